import Foundation
import Hummingbird
import PFS
import PFSLedger
import PFSModel
import PFSRegister
import PFSStatements

/// The finance officer's budget view: per payer and fiscal year of payment, what was issued,
/// paid and is outstanding; per contract, what remains to its maximum; and the envelope —
/// the least and the most the rules allow in each future year — as figures and as a chart.
extension Portal {
    static let budgetTitle = Phrase("Budget: issued, paid and to come", "予算：発行済・支払済と今後の見通し")

    func budgetPage(_ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        let ids = Set(viewer.contracts.filter { $0.value.roles.contains(.financeOfficer) }.keys)
        let (contracts, years, envelopes) = try await pool.use { register in
            let contracts = try await cache.contracts(register).filter { ids.contains($0.contract.id) }
            var years: [YearRecord] = []
            for recorded in contracts { years += try await register.years(of: recorded.contract.id) }
            return (contracts, years, try await cache.envelopes(register, of: ids))
        }
        let byPayer = RegisterStatus.byPayer(years).map { row -> [String: Any] in
            [
                "payer": row.payer, "year": "\(row.year)", "issued": row.issued.description.groupingThousands,
                "paid": row.paid.description.groupingThousands,
                "outstanding": row.outstanding.description.groupingThousands,
            ]
        }
        var perContract: [[String: Any]] = []
        var totals = EnvelopeTotals()
        for recorded in contracts {
            let contract = recorded.contract
            let bounds = envelopes[contract.id] ?? []
            try totals.add(bounds)
            let remaining = years.last { $0.contractID == contract.id }?.remaining
            perContract.append([
                "id": contract.id, "title": Phrase(contract.title, fallback: contract.id).text(language),
                "remaining": remaining.map { money($0, contract) } ?? Pages.word("noMaximum", language),
                "bounds": bounds.map { bound -> [String: Any] in
                    [
                        "year": yearName(contract, bound.fiscalYear, language),
                        "paymentYear": yearName(contract, bound.paymentYear, language),
                        "payer": partyName(contract, bound.payer, language),
                        "least": money(bound.minimum, contract),
                        "most": bound.maximum.map { money($0, contract) } ?? Pages.word("noMaximum", language),
                    ]
                },
            ])
        }
        let envelope = totals.totals
        let chart = Self.envelopeChart(envelope)
        return Responses.html(
            Pages.render(
                "budget", title: Self.budgetTitle, language: language,
                context: [
                    "byPayer": byPayer, "hasByPayer": !byPayer.isEmpty, "contracts": perContract,
                    "envelope": envelope.map { total -> [String: Any] in
                        [
                            "payer": total.payer, "year": "\(total.fiscalYear)",
                            "least": total.minimum.description.groupingThousands + " " + total.currency,
                            "most": total.maximum.map { $0.description.groupingThousands + " " + total.currency }
                                ?? Pages.word("noMaximum", language),
                        ]
                    },
                    "hasEnvelope": !envelope.isEmpty,
                    "chart": chart.map { $0.svg(language, idPrefix: "budget") } ?? "",
                    "chartDescription": chart?.description.text(language) ?? "",
                ], signedIn: viewer))
    }

    /// The envelope's totals per fiscal year of payment, least and most, in one currency (the
    /// chart draws the first currency; a portfolio in several gets the table only for the rest).
    static func envelopeChart(_ totals: [EnvelopeTotal]) -> Chart? {
        guard let currency = totals.first?.currency else { return nil }
        var least: [Int: ExactDecimal] = [:]
        var most: [Int: ExactDecimal] = [:]
        for total in totals where total.currency == currency {
            least[total.fiscalYear] = (try? (least[total.fiscalYear] ?? .zero).adding(total.minimum)) ?? total.minimum
            if let maximum = total.maximum {
                most[total.fiscalYear] = (try? (most[total.fiscalYear] ?? .zero).adding(maximum)) ?? maximum
            }
        }
        let years = least.keys.sorted()
        let point = { (year: Int, value: ExactDecimal) in Chart.Point(x: ExactDecimal(year), y: value) }
        return Chart(
            key: "envelope",
            title: Phrase("Future payments: the least and the most the rules allow", "今後の支払：規則上の最少額と最大額"),
            description: Phrase(
                "Per fiscal year of payment, in \(currency), the sum over your contracts and payers.",
                "支払年度ごと（\(currency)）、担当する契約と支払者の合計。"),
            xIsYear: true, xLabel: Phrase("Fiscal year of payment", "支払年度"), yLabel: Phrase(currency, currency),
            series: [
                Chart.Series(Phrase("Least", "最少額"), years.map { point($0, least[$0] ?? .zero) }),
                Chart.Series(Phrase("Most", "最大額"), years.compactMap { year in most[year].map { point(year, $0) } }),
            ].filter { !$0.points.isEmpty },
            marks: [],
            table: Table(
                "envelope",
                [
                    Column("year", Phrase("Fiscal year", "年度")), Column("least", Phrase("Least", "最少額")),
                    Column("most", Phrase("Most", "最大額")),
                ],
                rows: years.map { year in
                    [.text("\(year)"), .text((least[year] ?? .zero).description), .text(most[year]?.description ?? "—")]
                }))
    }
}
