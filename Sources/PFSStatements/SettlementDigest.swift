import Crypto
import PFSModel

/// The settlement digest: the SHA-256 of a settlement's figures in a canonical form —
/// amounts, parties, years, rule versions and the contract's digest, no words (Contracts/
/// README.md, "The settlement digest", defines it line by line). Every statement records
/// it, `pfs verify` checks it, and a ledger row carries it, so a row is tied to the
/// statements of its year without their being made.
public enum SettlementDigest {
    /// The first line of the canonical form; a new version changes it.
    public static let header = "pfs-settlement-digest/1"

    /// The digest, lowercase hex.
    public static func of(_ settlement: Settlement) -> String {
        SHA256.hash(data: canonicalForm(settlement)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The canonical form: UTF-8 lines ending in LF, fields separated by one TAB, amounts as
    /// plain decimals without trailing zeros, `-` for a figure the settlement does not have.
    /// Identifiers hold no TAB or line end (the schemas' `Identifier`), nor do rule names.
    public static func canonicalForm(_ s: Settlement) -> [UInt8] {
        var form = CanonicalLines()
        form.line(header)
        form.line("contract", s.contract.id, s.contract.digest)
        form.line("year", String(s.fiscalYear.year), String(s.paymentYear.fiscalYear.year))
        form.line(
            "amounts", s.amounts.currency, figure(s.amounts.scale), figure(s.rounding.increment),
            s.rounding.mode.rawValue)
        for rule in s.rules { form.line("rule", rule.rule, String(rule.version)) }
        for kpi in s.kpis {
            form.line("kpi", kpi.id, figure(kpi.improvement), figure(kpi.fiscalImprovement))
        }
        for project in s.projects {
            form.line(
                "project", project.id, project.payer.id, figure(project.netAttributable),
                figure(project.attributable))
            for attribution in project.attributions {
                form.line(
                    "attribution", project.id, attribution.kpi, figure(attribution.fiscalImprovement),
                    figure(attribution.share), figure(attribution.attributable))
            }
            for allocation in project.allocations {
                form.line("allocation", project.id, allocation.party.id, figure(allocation.share), figure(allocation.amount))
            }
        }
        for payment in s.payments ?? [] {
            form.line(
                "payment", payment.id, payment.rule, figure(payment.outcome?.value), figure(payment.byRule),
                figure(payment.cutByCaps), figure(payment.amount))
            for part in payment.payers { form.line("payer", payment.id, part.party.id, figure(part.amount)) }
            for part in payment.payees { form.line("payee", payment.id, part.party.id, figure(part.amount)) }
        }
        if let totals = s.paymentTotals {
            form.line("payments", figure(totals.paidBefore), figure(totals.paidThisYear), figure(totals.paidToDate))
        }
        if let sib = s.sib {
            form.line("sib", sib.intermediary.id, figure(sib.receivedThisYear), figure(sib.feeThisYear), figure(sib.residualThisYear))
            for investor in sib.investors {
                form.line(
                    "investor", investor.party.id, figure(investor.principalThisYear), figure(investor.returnThisYear),
                    figure(investor.principalToDate), figure(investor.returnToDate))
            }
            for flow in sib.classes ?? [] {
                form.line(
                    "class", flow.id, figure(flow.principalThisYear), figure(flow.returnThisYear), figure(flow.loss),
                    figure(flow.principalOutstanding))
            }
        }
        return form.bytes
    }

    private static func figure(_ value: ExactDecimal?) -> String { value.map { $0.normalized().description } ?? "-" }

    /// Lines of TAB-separated fields.
    private struct CanonicalLines {
        var bytes: [UInt8] = []

        mutating func line(_ fields: String...) {
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(0x09) }
                bytes.append(contentsOf: field.utf8)
            }
            bytes.append(0x0A)
        }
    }
}
