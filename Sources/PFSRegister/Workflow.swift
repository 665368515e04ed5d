import Foundation
import PFSModel
import SQLKit

/// A contract version as a command read it.
public struct ContractInput: Sendable {
    /// The contract.
    public let contract: Contract
    /// The file's name.
    public let fileName: String
    /// The file's bytes.
    public let bytes: [UInt8]
    /// SHA-256 of the bytes.
    public let sha256: String
    /// The canonical digest (what the contract says, whatever its layout).
    public let digest: String

    /// Creates one.
    public init(contract: Contract, fileName: String, bytes: [UInt8], sha256: String, digest: String) {
        self.contract = contract
        self.fileName = fileName
        self.bytes = bytes
        self.sha256 = sha256
        self.digest = digest
    }
}

/// A statement made by a settlement run, to be recorded with it.
public struct StatementInput: Sendable, Hashable {
    /// `settlement`, `payout` or `audit`.
    public let document: String
    /// The contractor, for a payout statement.
    public let party: String?
    /// `ja` or `en`.
    public let language: String
    /// `json`, `html`, …
    public let format: String
    /// Its path under an output folder, e.g. `maebashi/settlement-FY2024.ja.json`.
    public let path: String
    /// Its exact bytes.
    public let bytes: [UInt8]

    /// Creates one.
    public init(document: String, party: String?, language: String, format: String, path: String, bytes: [UInt8]) {
        self.document = document
        self.party = party
        self.language = language
        self.format = format
        self.path = path
        self.bytes = bytes
    }
}

/// Where a contract-year stands.
public enum YearState: String, Sendable, Hashable, Codable {
    case settled, reviewed, approved, rejected, issued
    /// Issued, some payments recorded.
    case partlyPaid = "partly-paid"
    /// Issued, every amount due paid.
    case paid
}

/// A recorded payment.
public struct PaymentRecord: Sendable, Hashable {
    public let payer: String
    public let payee: String
    public let amount: ExactDecimal
    public let date: String
    public let reference: String
}

/// Everything the register knows of one contract-year, derived from its events.
public struct YearRecord: Sendable {
    public let contractID: String
    /// The outcome year.
    public let year: Int
    /// The fiscal year whose budget pays it, as the run recorded it (the outcome year for
    /// runs recorded before payment years existed).
    public let paymentYear: Int
    public let state: YearState
    /// The run settled last (the one reviewed, approved, issued).
    public let runID: Int
    /// The contract version it was settled from.
    public let sha256: String
    public let digest: String
    /// What the run says each payer owes each payee.
    public let dues: [Due]
    /// What was paid.
    public let payments: [PaymentRecord]
    /// The run's figures for the budget officer: payments to date and what remains.
    public let paidToDate: ExactDecimal?
    public let remaining: ExactDecimal?
    /// The transitions, in order.
    public let events: [Event]
    /// The adjustment the current run is (1, 2, …), or nil for the year's first settlement.
    public let adjustment: Int?
    /// Whether the year was ever issued (its original statements stand whatever follows).
    public let everIssued: Bool
    /// Every run of the year that was issued (the original, then adjustments), with what
    /// it made due and what was paid against it.
    public let issuedRuns: [(dues: [Due], payments: [PaymentRecord])]
}

extension Register {
    /// The events of a contract-year that move its state, oldest first.
    func transitions(_ contract: String, _ year: Int, in db: any SQLDatabase) async throws -> [Event] {
        try await db.events(EventKind.transitions, contract: contract, year: year)
    }

    /// Where a year stands, or nil when it was never settled.
    func record(_ contract: String, _ year: Int, in db: any SQLDatabase) async throws -> YearRecord? {
        let events = try await transitions(contract, year, in: db)
        guard let settled = events.last(where: { $0.kind == EventKind.settled.rawValue }),
            case .settled(let payload) = EventPayload(settled)
        else { return nil }
        let dues = Self.dues(payload)
        let payments = events.filter { $0.seq > settled.seq }.compactMap { event -> PaymentRecord? in
            guard case .paid(let paid) = EventPayload(event) else { return nil }
            return Self.payment(paid)
        }
        let last = events.last?.kind ?? settled.kind
        let state: YearState
        switch EventKind(rawValue: last) {
        case .paid: state = payments.count >= dues.count ? .paid : .partlyPaid
        case .reviewed: state = .reviewed
        case .approved: state = .approved
        case .rejected: state = .rejected
        case .issued: state = dues.isEmpty ? .paid : .issued
        default: state = .settled
        }
        return YearRecord(
            contractID: contract, year: year, paymentYear: payload.paymentYear ?? year, state: state,
            runID: payload.run, sha256: payload.sha256 ?? "", digest: payload.digest ?? "", dues: dues,
            payments: payments, paidToDate: payload.paidToDate.flatMap(ExactDecimal.init(plain:)),
            remaining: payload.remaining.flatMap(ExactDecimal.init(plain:)), events: events,
            adjustment: payload.adjustment, everIssued: events.contains { $0.kind == EventKind.issued.rawValue },
            issuedRuns: Self.issuedRuns(events))
    }

    /// The dues and payments of each issued run, from the year's events.
    static func issuedRuns(_ events: [Event]) -> [(dues: [Due], payments: [PaymentRecord])] {
        var runs: [(dues: [Due], payments: [PaymentRecord], issued: Bool)] = []
        for event in events {
            switch EventPayload(event) {
            case .settled(let settled): runs.append((dues(settled), [], false))
            case .issued: if !runs.isEmpty { runs[runs.count - 1].issued = true }
            case .paid(let paid):
                if let payment = payment(paid), !runs.isEmpty { runs[runs.count - 1].payments.append(payment) }
            default: break
            }
        }
        return runs.filter(\.issued).map { ($0.dues, $0.payments) }
    }

    static func dues(_ payload: SettledPayload) -> [Due] {
        (payload.dues ?? []).compactMap { line -> Due? in
            guard let amount = ExactDecimal(plain: line.amount) else { return nil }
            return Due(payer: line.payer, payee: line.payee, amount: amount)
        }
    }

    static func payment(_ paid: PaidPayload) -> PaymentRecord? {
        guard let amount = ExactDecimal(plain: paid.amount) else { return nil }
        return PaymentRecord(payer: paid.payer, payee: paid.payee, amount: amount, date: paid.date, reference: paid.reference)
    }

    /// Who acts: the member whose key signs, for the one party of the contract in the duty's
    /// role that the member's organisation is bound to (or `party`, when it names one). No
    /// change is made without a key whose chain leads to the register's authority.
    func participant(
        _ duty: Duty, contract: Contract, signer: (any EventSigner)?, party: String?, in db: any SQLDatabase
    ) async throws -> Participant {
        guard let signer else {
            throw RegisterError.refused(
                """
                to \(duty.verb), sign with the key of a member of the organisation bound to the contract's \
                \(duty.role.rawValue) party: give --key FILE
                """,
                hint: """
                    no change is recorded unsigned; a member gets a key with `pfs key generate --out FILE` and the \
                    register's administrator adds it: `pfs key add --member M --public FILE.pub --authority-key \
                    AUTHORITY.pem`
                    """)
        }
        let trust = try await self.trust(in: db)
        switch trust.actingParty(
            keyID: signer.keyID, contract: contract, role: duty.role, party: party, verb: duty.verb)
        {
        case .failure(let refusal): throw refusal
        case .success(let acting):
            return Participant(
                party: acting.party, role: duty.role.rawValue, member: acting.member,
                organisation: acting.organisation, signer: signer)
        }
    }

    /// The year's record, refused unless in one of `states`, and unless the contract is the
    /// version it was settled from.
    func require(
        _ states: Set<YearState>, _ input: ContractInput, _ year: Int, to verb: String, in db: any SQLDatabase
    ) async throws -> YearRecord {
        guard let record = try await record(input.contract.id, year, in: db) else {
            throw RegisterError.refused(
                "contract '\(input.contract.id)' FY\(year) has not been settled in this register",
                hint: "settle it first: `pfs settle \(input.fileName) --year \(year) --register R`")
        }
        guard states.contains(record.state) else {
            throw RegisterError.refused(
                "cannot \(verb) contract '\(input.contract.id)' FY\(year): it is \(record.state.rawValue)",
                hint: Self.next(record.state, file: input.fileName, year: year))
        }
        guard record.sha256 == input.sha256 else {
            let same = record.digest == input.digest
            throw RegisterError.refused(
                """
                contract '\(input.contract.id)' changed since FY\(year) was settled (settled from SHA-256 \
                \(record.sha256.prefix(16))…, this file is \
                \(input.sha256.prefix(16))…\(same ? "; the same contract in another layout" : ""))
                """,
                hint: "use the file the year was settled from, or settle the year again from this one")
        }
        return record
    }

    static func next(_ state: YearState, file: String, year: Int) -> String {
        switch state {
        case .settled: return "the evaluator reviews it next: `pfs review \(file) --year \(year) --key KEY`"
        case .reviewed: return "the finance manager approves it next: `pfs approve \(file) --year \(year) --key KEY`"
        case .approved: return "issue it next: `pfs issue \(file) --year \(year) --output DIR`"
        case .rejected: return "settle it again: `pfs settle \(file) --year \(year) --register R`"
        case .issued, .partlyPaid:
            return """
                record its payments: `pfs paid \(file) --year \(year) --payer P --payee Q --amount A --date D \
                --reference REF`
                """
        case .paid: return "the year is closed: every amount due is paid"
        }
    }
}
