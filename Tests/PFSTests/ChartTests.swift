import Foundation
import PFS
import PFSEvaluator
import PFSModel
import PFSTestSupport
import Testing

@testable import PFSStatements

/// Charts in HTML statements (issue 17, item 3): their figures are the settlement's, the
/// payment curves are the rules applied exactly, and each chart can be read without colour
/// and without sight.
@Suite struct Charts {
    static let picture = Repository.path("docs/images/payment-curve.svg")

    static func settled(_ name: String) throws -> (Contract, [Settlement]) {
        let checked = PFS.check(path: Repository.contracts + "/" + name, canonical: true)
        let history = try PFS.settleTerm(checked, fileName: name).get()
        return (try #require(checked.contract), history)
    }

    /// The KPI chart draws every settled year's expected and actual values and the baseline,
    /// marks the settled year, and lists the same figures in its table.
    @Test func kpiChartsDrawTheSettledYearsFigures() throws {
        let text = Adjustments.contract(actuals: [2020: 900, 2021: 950, 2022: 1100, 2023: 800, 2024: 700])
        let checked = PFS.check(bytes: Array(text.utf8), file: "c.xml")
        let history = try PFS.settleTerm(checked, fileName: "c.xml").get()
        let document = try #require(Statement.document(.settlement, history: history))
        let chart = try #require(document.charts.first { $0.key == "kpi-cost" })
        let actual = try #require(chart.series.first { $0.name.en == "Actual" })
        #expect(
            actual.points.map { "\($0.x):\($0.y)" } == ["2020:900", "2021:950", "2022:1100", "2023:800", "2024:700"])
        let expected = try #require(chart.series.first { $0.name.en == "Expected (counterfactual)" })
        #expect(expected.points.allSatisfy { $0.y == ExactDecimal(1000) } && expected.points.count == 5)
        let baseline = try #require(chart.series.first { $0.name.en.hasPrefix("Baseline") })
        #expect(baseline.points.map { "\($0.x):\($0.y)" } == ["2019:1000", "2024:1000"])
        #expect(chart.marks == [Chart.Mark(.x, ExactDecimal(2024), Phrase("settled", "精算年度"))])
        #expect(chart.table.rows.count == 5)
        #expect(chart.description.en.contains("FY2024: expected 1,000, actual 700"))
        // The cumulative chart adds up what each year made due.
        let cumulative = try #require(document.charts.first { $0.key == "cumulative" })
        var total = ExactDecimal.zero
        for (settlement, point) in zip(history, try #require(cumulative.series.first).points) {
            total = try total.adding(try ExactDecimal.sum(try DueLine.lines(of: settlement).map(\.amount)))
            #expect(point.y == total)
        }
    }

    /// Every point of every payment curve of the shipped contracts is the rule's exact
    /// result, never above the payment's cap; the curve passes through the year's outcome at
    /// what the settlement's rule gave; a tier's or threshold's jump is drawn at its mark.
    @Test func paymentCurvesAreTheRulesApplied() throws {
        var curves = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Repository.contracts)
        where name.hasSuffix(".xml") {
            let (contract, history) = try Self.settled(name)
            for settlement in history {
                for curve in Evaluator.paymentCurves(contract, year: settlement.fiscalYear.year) {
                    curves += 1
                    let payment = try #require(contract.payments.first { $0.id == curve.payment })
                    #expect(curve.points.map(\.outcome) == curve.points.map(\.outcome).sorted())
                    for point in curve.points {
                        var amount = try payment.rule.evaluate(
                            outcome: point.outcome, direction: curve.direction, kpiBaseline: curve.baseline,
                            rounding: contract.rounding
                        ).amount
                        if let cap = payment.cap { amount = min(amount, cap) }
                        #expect(point.amount == amount, "\(name) \(curve.payment) at \(point.outcome)")
                    }
                    let outcome = try #require(settlement.payments?.first { $0.id == curve.payment })
                    let atOutcome = curve.points.first { $0.outcome == outcome.outcome?.value }
                    #expect(atOutcome?.amount == min(outcome.byRule, payment.cap ?? outcome.byRule), "\(name)")
                }
            }
        }
        #expect(curves >= 5)
        let (contract, _) = try Self.settled("example-fixed-and-tiers.xml")
        let tiers = try #require(Evaluator.paymentCurves(contract, year: 2022).first { $0.payment == "takers" })
        for mark in tiers.marks {
            let at = tiers.points.filter { $0.outcome < mark }.last?.amount
            let after = tiers.points.first { $0.outcome >= mark }?.amount
            #expect(at != after, "a jump at \(mark)")
        }
    }

    /// Each chart is an image with a title and a description, its series differ in dash
    /// pattern (not colour alone), nothing is scripted or fetched; each shipped HTML
    /// statement has one figure per chart.
    @Test func chartsAreAccessibleAndSelfContained() throws {
        let (contract, history) = try Self.settled("example-fixed-and-tiers.xml")
        let curves = Evaluator.paymentCurves(contract, year: 2022)
        let document = try #require(Statement.document(.settlement, history: history, curves: curves))
        #expect(document.charts.map(\.key) == ["kpi-checkup-takers", "payment-takers", "cumulative"])
        for chart in document.charts {
            let svg = SVGChart.render(chart, language: .ja, idPrefix: "chart-")
            #expect(svg.contains(#"role="img""#) && svg.contains(#"aria-labelledby="chart-\#(chart.key)-title"#))
            #expect(svg.contains("<title id=\"chart-\(chart.key)-title\">\(chart.title.ja)</title>"))
            #expect(svg.contains("<desc id=\"chart-\(chart.key)-desc\">"))
            #expect(!svg.contains("<script") && !svg.contains("href"))
            let dashes = chart.series.indices.map { SVGChart.styles[$0 % SVGChart.styles.count].dash }
            #expect(Set(dashes).count == chart.series.count)
        }
        for folder in try FileManager.default.contentsOfDirectory(atPath: Repository.reports) {
            for file in try FileManager.default.contentsOfDirectory(atPath: Repository.reports + "/" + folder)
            where file.hasSuffix(".html") {
                let html = try String(contentsOfFile: Repository.reports + "/\(folder)/\(file)", encoding: .utf8)
                #expect(!html.contains("<script"))
                #expect(
                    html.components(separatedBy: "<figure").count == html.components(separatedBy: "<svg").count,
                    "\(folder)/\(file)")
            }
        }
    }

    /// The picture in the README is the tiered payment's chart as pfs draws it now
    /// (`PFS_RECORD=1` re-records it).
    @Test func theReadmePictureIsCurrent() throws {
        let html = try String(
            contentsOfFile: Repository.reports + "/example-fixed-and-tiers/settlement-FY2022.en.html", encoding: .utf8)
        let figure = try #require(html.range(of: #"<figure id="payment-takers">"#))
        let start = try #require(html.range(of: "<svg", range: figure.upperBound..<html.endIndex))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let svg = String(html[start.lowerBound..<end.upperBound]) + "\n"
        if Repository.recording {
            try svg.write(toFile: Self.picture, atomically: true, encoding: .utf8)
            Issue.record("re-recorded docs/images/payment-curve.svg")
            return
        }
        #expect(try String(contentsOfFile: Self.picture, encoding: .utf8) == svg)
    }
}
