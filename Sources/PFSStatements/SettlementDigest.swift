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

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The digest, lowercase hex.
    public static func of(_ settlement: Settlement) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: canonicalForm(settlement)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The canonical form: UTF-8 lines ending in LF, fields separated by one TAB, amounts as
    /// plain decimals without trailing zeros, `-` for a figure the settlement does not have.
    /// Identifiers hold no TAB or line end (the schemas' `Identifier`), nor do rule names.
    public static func canonicalForm(_ s: Settlement) -> [UInt8] {
        var form = CanonicalLines()
        form.line(.text(header))
        form.line("contract", .text(s.contract.id), .text(s.contract.digest))
        form.line("year", .integer(s.fiscalYear.year), .integer(s.paymentYear.fiscalYear.year))
        form.line(
            "amounts", .text(s.amounts.currency), .amount(s.amounts.scale), .amount(s.rounding.increment),
            .text(s.rounding.mode.rawValue))
        for rule in s.rules { form.line("rule", .text(rule.rule), .integer(rule.version)) }
        for kpi in s.kpis {
            form.line("kpi", .text(kpi.id), .amount(kpi.improvement), .amount(kpi.fiscalImprovement))
        }
        for project in s.projects {
            form.line(
                "project", .text(project.id), .text(project.payer.id), .amount(project.netAttributable),
                .amount(project.attributable))
            for attribution in project.attributions {
                form.line(
                    "attribution", .text(project.id), .text(attribution.kpi), .amount(attribution.fiscalImprovement),
                    .amount(attribution.share), .amount(attribution.attributable))
            }
            for allocation in project.allocations {
                form.line(
                    "allocation", .text(project.id), .text(allocation.party.id), .amount(allocation.share),
                    .amount(allocation.amount))
            }
        }
        for payment in s.payments ?? [] {
            form.line(
                "payment", .text(payment.id), .text(payment.rule), .amount(payment.outcome?.value),
                .amount(payment.byRule), .amount(payment.cutByCaps), .amount(payment.amount))
            for part in payment.payers { form.line("payer", .text(payment.id), .text(part.party.id), .amount(part.amount)) }
            for part in payment.payees { form.line("payee", .text(payment.id), .text(part.party.id), .amount(part.amount)) }
        }
        if let totals = s.paymentTotals {
            form.line("payments", .amount(totals.paidBefore), .amount(totals.paidThisYear), .amount(totals.paidToDate))
        }
        if let sib = s.sib {
            form.line(
                "sib", .text(sib.intermediary.id), .amount(sib.receivedThisYear), .amount(sib.feeThisYear),
                .amount(sib.residualThisYear))
            for investor in sib.investors {
                form.line(
                    "investor", .text(investor.party.id), .amount(investor.principalThisYear),
                    .amount(investor.returnThisYear), .amount(investor.principalToDate), .amount(investor.returnToDate))
            }
            for flow in sib.classes ?? [] {
                form.line(
                    "class", .text(flow.id), .amount(flow.principalThisYear), .amount(flow.returnThisYear),
                    .amount(flow.loss), .amount(flow.principalOutstanding))
            }
        }
        return form.bytes
    }

    /// Lines of TAB-separated fields, amounts written straight into the bytes (a ledger
    /// run makes one form per settled year).
    private struct CanonicalLines {
        enum Field {
            case text(String)
            case integer(Int)
            /// Plain, without trailing zeros; `-` when absent.
            case amount(ExactDecimal?)
        }

        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(2048) }

        mutating func line(_ tag: StaticString, _ fields: Field...) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount))
            for field in fields {
                bytes.append(0x09)
                append(field)
            }
            bytes.append(0x0A)
        }

        mutating func line(_ field: Field) {
            append(field)
            bytes.append(0x0A)
        }

        private mutating func append(_ field: Field) {
            switch field {
            case .text(let text): bytes.append(contentsOf: text.utf8)
            case .integer(let value): bytes.append(contentsOf: String(value).utf8)
            case .amount(let value?): value.withPlainBytes { bytes.append(contentsOf: $0) }
            case .amount(nil): bytes.append(0x2D)
            }
        }
    }
}
