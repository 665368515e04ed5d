import Foundation
import PFSModel
import PFSStatements
import SQLKit

/// A statement as issued: its bytes and the signatures the year collected.
public struct IssuedStatement: Sendable {
    public let path: String
    public let bytes: [UInt8]
    public let sha256: String
    /// Who signed, in order.
    public let signatures: [StatementSignature]
}

/// A signature collected for a statement at review or approval.
public struct StatementSignature: Sendable {
    public let party: String
    public let role: String
    public let keyID: String
    /// The 64-byte Ed25519 signature over the statement's exact bytes.
    public let signature: [UInt8]
    /// The signer's public key, PEM SubjectPublicKeyInfo.
    public let publicKeyPEM: String
    /// The chain to the register's authority (nil for a signature made under the old model).
    public let chain: SignatureChain?
}

/// What ties a signature to the register's authority, for OpenSSL to check without pfs.
public struct SignatureChain: Sendable {
    /// The member who signed and the organisation they acted for.
    public let member: String
    public let organisation: String
    /// The key certificate (text ending in the signer's PEM public key) and the authority's signature of it.
    public let keyCertificate: String
    public let keyCertificateSignature: [UInt8]
    /// The binding certificate (the organisation is the party, in its role) and the authority's signature.
    public let bindingCertificate: String
    public let bindingCertificateSignature: [UInt8]
    /// The authority's public key (PEM) and fingerprint.
    public let authorityPEM: String
    public let authorityFingerprint: String
}

extension Register {
    /// Records a settled year: the contract version (once), the run with the settlement's
    /// JSON and the statements, and the `settled` event. A year can be settled again while
    /// it is settled or rejected; once reviewed it cannot (reject it first), and once issued
    /// it never is.
    @discardableResult
    public func recordSettlement(
        _ input: ContractInput, settlement: Settlement, settlementJSON: [UInt8], statements: [StatementInput],
        signer: (any EventSigner)? = nil, party: String? = nil, comment: String? = nil
    ) async throws(RegisterError) -> Int {
        try await recordSettlement(
            input, settlement: settlement, settlementJSON: settlementJSON, statements: statements, signer: signer,
            party: party, comment: comment, restating: nil
        ).run
    }

    /// Records a settled year as above and, given the term's settlements from this contract
    /// version (`restating`), adjusts in the same transaction every later issued year whose
    /// amounts this version changes: a year's data that arrives after later years were
    /// issued over it restates them.
    public func recordSettlement(
        _ input: ContractInput, settlement: Settlement, settlementJSON: [UInt8], statements: [StatementInput],
        signer: (any EventSigner)? = nil, party: String? = nil, comment: String? = nil,
        restating history: [Settlement]?,
        reason: String? = nil
    ) async throws(RegisterError) -> (run: Int, adjustments: [RecordedAdjustment]) {
        let year = settlement.fiscalYear.year
        let dues: [Due]
        do {
            dues = try Due.of(settlement)
        } catch {
            throw .input("the amounts due of FY\(year) do not fit exactly")
        }
        return try await write { db in
            let who = try await self.participant(
                .settle, contract: input.contract, signer: signer, party: party, in: db)
            if let record = try await self.record(input.contract.id, year, in: db) {
                if record.everIssued {
                    throw RegisterError.refused(
                        "contract '\(input.contract.id)' FY\(year) was issued; an issued year is never settled again",
                        hint:
                            """
                            a changed figure is corrected by an adjustment: `pfs settle \(input.fileName) --year \
                            \(year) --register R --correction \"…\"`
                            """
                    )
                }
                switch record.state {
                case .settled where record.sha256 == input.sha256:
                    throw RegisterError.refused(
                        """
                        contract '\(input.contract.id)' FY\(year) is already settled from this contract version \
                        (run \(record.runID))
                        """,
                        hint: Self.next(.settled, file: input.fileName, year: year))
                case .settled, .rejected: break
                case .reviewed, .approved:
                    throw RegisterError.refused(
                        """
                        contract '\(input.contract.id)' FY\(year) is \(record.state.rawValue); it cannot be \
                        settled again unless sent back
                        """,
                        hint: """
                            reject it with a reason first: `pfs approve \(input.fileName) --year \(year) --key KEY \
                            --reject \"…\"`
                            """)
                case .issued, .partlyPaid, .paid:
                    throw RegisterError.refused(
                        """
                        contract '\(input.contract.id)' FY\(year) is \(record.state.rawValue); an issued year is \
                        never settled again
                        """,
                        hint: """
                            a correction after issue is made by an adjustment, never by rewriting the issued \
                            statement
                            """)
                }
            }
            // The rows name the event that writes them: the event goes in first.
            let lines = try DueLine.lines(of: settlement)
            // Under adjust-next-payment, what corrections found paid too much is deducted here.
            let (netted, owed) = try await self.netCredits(
                input.contract, year: year, dues: dues, in: db)
            let run = try await self.recordRun(
                input, settlement: settlement, settlementJSON: settlementJSON, statements: statements, who: who,
                comment: comment,
                extra: {
                    $0.lines = lines.map(SettledPayload.Line.init)
                    if !netted.isEmpty { $0.netted = netted.map(SettledPayload.Line.init) }
                }, dues: owed, in: db)
            guard let history else { return (run, []) }
            let adjustments = try await self.adjustments(
                input, history: history, from: year + 1, reason: reason,
                otherwise: "FY\(year) settled from this contract version: the issued years after it are restated",
                who: who, in: db)
            return (run, adjustments)
        }
    }

    /// Records a run: the contract version (once), the run, its statements and the
    /// `settled` event naming them, with what `extra` adds to its payload and `dues` as what
    /// is owed.
    func recordRun(
        _ input: ContractInput, settlement: Settlement, settlementJSON: [UInt8], statements: [StatementInput],
        who: Participant, comment: String?, extra: (inout SettledPayload) -> Void, dues: [Due], in db: any SQLDatabase
    ) async throws -> Int {
        let year = settlement.fiscalYear.year
        var rows: [RegisterRow] = []
        var newVersion: SettledPayload.NewVersion?
        var versionID = try await db.contractVersionID(of: input.contract.id, sha256: input.sha256)
        if versionID == nil {
            let id = try await db.nextID("contract_versions")
            rows.append(
                .contractVersion(
                    id: id, contract: input.contract.id, digest: input.digest, sha256: input.sha256,
                    fileName: input.fileName, bytes: input.bytes))
            newVersion = .init(id: id, sha256: input.sha256)
            versionID = id
        }
        let runID = try await db.nextID("settlement_runs")
        let rules = settlement.rules.map { "\($0.rule)@\($0.version)" }.joined(separator: ",")
        rows.append(
            .run(
                id: runID, contractVersion: versionID ?? 0, contract: input.contract.id, year: year, engine: self.engine,
                rules: rules, json: settlementJSON, sha256: sha256Hex(settlementJSON)))
        var recorded: [SettledPayload.Statement] = []
        var statementID = try await db.nextID("statements")
        for statement in statements {
            let sha = sha256Hex(statement.bytes)
            rows.append(
                .statement(
                    id: statementID, run: runID, document: statement.document, party: statement.party,
                    language: statement.language, format: statement.format, path: statement.path,
                    bytes: statement.bytes, sha256: sha))
            recorded.append(.init(id: statementID, path: statement.path, sha256: sha))
            statementID += 1
        }
        var payload = SettledPayload(
            newContractVersion: newVersion, run: runID, paymentYear: settlement.paymentYear.fiscalYear.year,
            contractVersion: versionID ?? 0, sha256: input.sha256, digest: input.digest, engine: self.engine,
            rules: rules, settlementSHA256: sha256Hex(settlementJSON), settlementDigest: SettlementDigest.of(settlement),
            statements: recorded,
            dues: dues.map { .init(payer: $0.payer, payee: $0.payee, amount: $0.amount.description) })
        extra(&payload)
        if let totals = settlement.paymentTotals {
            payload.paidToDate = totals.paidToDate.description
            payload.remaining = totals.remaining?.description
        } else if let cap = settlement.rewardCap {
            payload.remaining = cap.remaining.description
        }
        let event = try await Event.append(
            .settled, contract: input.contract.id, year: year, actor: who, comment: comment, payload: payload,
            in: db)
        try await db.insert(rows, writtenBy: event.seq)
        return runID
    }

    /// The evaluator's review: signs every statement of the run, or sends the year back.
    public func review(
        _ input: ContractInput, year: Int, signer: any EventSigner, reject reason: String? = nil,
        comment: String? = nil
    ) async throws(RegisterError) {
        try await signOff(
            .review, input, year: year, from: .settled, to: .reviewed, signer: signer, reject: reason, comment: comment)
    }

    /// The finance manager's approval: signs every statement of the run, or sends the year back.
    public func approve(
        _ input: ContractInput, year: Int, signer: any EventSigner, reject reason: String? = nil,
        comment: String? = nil
    ) async throws(RegisterError) {
        try await signOff(
            .approve, input, year: year, from: .reviewed, to: .approved, signer: signer, reject: reason,
            comment: comment)
    }

    private func signOff(
        _ duty: Duty, _ input: ContractInput, year: Int, from: YearState, to: EventKind, signer: any EventSigner,
        reject reason: String?,
        comment: String?
    ) async throws(RegisterError) {
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .input("--reject needs a reason")
        }
        try await write { db in
            let record = try await self.require([from], input, year, to: duty.verb, in: db)
            let who = try await self.participant(duty, contract: input.contract, signer: signer, party: nil, in: db)
            if let reason {
                _ = try await Event.append(
                    .rejected, contract: input.contract.id, year: year, actor: who, comment: reason,
                    payload: RejectedPayload(run: record.runID, at: duty == .review ? "review" : "approval"), in: db)
                return
            }
            var rows: [RegisterRow] = []
            var signed: [SignOffPayload.Signature] = []
            var signatureID = try await db.nextID("signatures")
            for statement in try await db.statementBytes(ofRun: record.runID) {
                let signature = Data(try signer.signature(of: statement.bytes, for: .statement)).base64EncodedString()
                rows.append(
                    .signature(
                        id: signatureID, statement: statement.id, keyID: signer.keyID, party: who.party, role: who.role,
                        signature: signature))
                signed.append(.init(statement: statement.id, sha256: sha256Hex(statement.bytes), signature: signature))
                signatureID += 1
            }
            let event = try await Event.append(
                to, contract: input.contract.id, year: year, actor: who, comment: comment,
                payload: SignOffPayload(run: record.runID, signatures: signed), in: db)
            try await db.insert(rows, writtenBy: event.seq)
        }
    }

    /// Issues an approved year (once; asked again, returns the same statements without a
    /// new event, so a folder that could not be written can be written again).
    public func issue(
        _ input: ContractInput, year: Int, signer: (any EventSigner)? = nil, party: String? = nil,
        comment: String? = nil
    ) async throws(RegisterError) -> (statements: [IssuedStatement], newlyIssued: Bool) {
        try await write { db in
            let record = try await self.require(
                [.approved, .issued, .partlyPaid, .paid], input, year, to: "issue", in: db)
            var newly = false
            if record.state == .approved {
                let who = try await self.participant(
                    .issue, contract: input.contract, signer: signer, party: party, in: db)
                _ = try await Event.append(
                    .issued, contract: input.contract.id, year: year, actor: who, comment: comment,
                    payload: RunPayload(run: record.runID), in: db)
                newly = true
            }
            return (try await self.statements(ofRun: record.runID, in: db), newly)
        }
    }

    /// The statements of a run with the signatures collected for them.
    func statements(ofRun run: Int, in db: any SQLDatabase) async throws -> [IssuedStatement] {
        let trust = try await self.trust(in: db)
        guard let (contract, year) = try await db.runYear(run) else {
            throw RegisterError.refused("run \(run) is missing", hint: Self.tamperedHint)
        }
        var byStatement: [Int: [StatementSignature]] = [:]
        for (stored, publicKeyPEM) in try await db.signatures(ofRun: run) {
            byStatement[stored.statement, default: []].append(
                StatementSignature(
                    party: stored.party, role: stored.role, keyID: stored.keyID,
                    signature: Array(Data(base64Encoded: stored.signature) ?? Data()), publicKeyPEM: publicKeyPEM,
                    chain: Self.chain(keyID: stored.keyID, party: stored.party, contract: contract, at: stored.seq, trust: trust)))
        }
        return try await db.statements(ofRun: run).map { statement in
            let id = statement.id
            // The file's path is made from what the statement is, never read back.
            guard
                let path = StatementInput.derivedPath(
                    contract: contract, year: year,
                    document: StatementInput.document(statement.document, storedPath: statement.path),
                    party: statement.party, language: statement.language, format: statement.format)
            else {
                throw RegisterError.refused(
                    "statement \(id) of \(contract) FY\(year) is not a document pfs makes", hint: Self.tamperedHint)
            }
            for signature in byStatement[id] ?? [] where !signature.party.isContractIdentifier {
                throw RegisterError.refused(
                    "statement \(id) of \(contract) FY\(year) is signed for a party that is not an id",
                    hint: Self.tamperedHint)
            }
            return IssuedStatement(
                path: path, bytes: statement.bytes, sha256: statement.sha256, signatures: byStatement[id] ?? [])
        }
    }

    /// The certificates that tie a signature made at event `seq` to the authority.
    private static func chain(
        keyID: String, party: String, contract: String, at seq: Int, trust: TrustState
    ) -> SignatureChain? {
        guard let authority = trust.authority, let key = trust.keys[keyID], let member = key.member,
            let keyCertificate = key.certificate,
            let keySignature = key.certificateSignature.flatMap({ Data(base64Encoded: $0) }),
            let binding = trust.binding(contract, party, at: seq),
            let bindingSignature = Data(base64Encoded: binding.certificateSignature)
        else { return nil }
        return SignatureChain(
            member: member, organisation: key.holder, keyCertificate: keyCertificate,
            keyCertificateSignature: Array(keySignature), bindingCertificate: binding.certificate,
            bindingCertificateSignature: Array(bindingSignature), authorityPEM: authority.publicKeyPEM,
            authorityFingerprint: authority.fingerprint)
    }

    /// What to do when the register holds rows pfs never wrote.
    static let tamperedHint = "the register was changed outside pfs: run `pfs register verify` and restore it from a backup"

    /// Records that a payer paid a payee the amount the issued statement says. The amount is
    /// as written (`18`, `1234.5`): no `ExactDecimal` (an Int128) lives in this async
    /// function's context, where this build of Swift misaligned one and crashed.
    public func recordPayment(
        _ input: ContractInput, year: Int, payer: String, payee: String, amount amountText: String, date: String,
        reference: String, signer: (any EventSigner)? = nil, party: String? = nil
    ) async throws(RegisterError) {
        if let problem = Self.amountProblem(amountText) { throw .input(problem) }
        guard Self.isDate(date) else { throw .input("--date \(date) is not a date written YYYY-MM-DD") }
        // Outcomes of a fiscal year are paid once it has begun, and a payment is recorded
        // once made: 1900 or 9999 is a typing slip, refused before it reaches the history.
        let fiscalYear = input.contract.fiscalYear(year)
        let today = Self.day(Date())
        let tomorrow = Self.day(Date().addingTimeInterval(86_400))  // a payer east of UTC is a day ahead
        guard date >= fiscalYear.firstDay, date <= tomorrow else {
            let why =
                date < fiscalYear.firstDay
                ? "before \(fiscalYear.label) began (\(fiscalYear.firstDay))" : "after today (\(today))"
            throw .input("--date \(date) is \(why): a payment is recorded with the day it was made")
        }
        guard !reference.trimmingCharacters(in: .whitespaces).isEmpty else { throw .input("--reference is empty") }
        try await write { db in
            guard let amount = ExactDecimal(plain: amountText) else { return }
            let record = try await self.require(
                [.issued, .partlyPaid], input, year, to: "record a payment for", in: db)
            guard let due = record.dues.first(where: { $0.payer == payer && $0.payee == payee }) else {
                throw RegisterError.refused(
                    "the issued statement of FY\(year) has no amount from '\(payer)' to '\(payee)'",
                    hint: "amounts due: "
                        + record.dues.map { "\($0.payer) → \($0.payee) \($0.amount)" }.joined(separator: "; "))
            }
            guard due.amount == amount else {
                throw RegisterError.refused(
                    "the issued amount from '\(payer)' to '\(payee)' for FY\(year) is \(due.amount), not \(amount)",
                    hint: "record the amount the issued statement says; a different figure needs a correction")
            }
            if let earlier = record.payments.first(where: { $0.payer == payer && $0.payee == payee }) {
                throw RegisterError.refused(
                    """
                    the payment from '\(payer)' to '\(payee)' for FY\(year) was already recorded \
                    (\(earlier.date), \(earlier.reference))
                    """,
                    hint: "each amount due is paid once")
            }
            let who = try await self.participant(
                .pay, contract: input.contract, signer: signer, party: party, in: db)
            let id = try await db.nextID("payments")
            let event = try await Event.append(
                .paid, contract: input.contract.id, year: year, actor: who,
                payload: PaidPayload(
                    payment: id, payer: payer, payee: payee, amount: amount.description, date: date,
                    reference: reference, run: record.runID), in: db)
            try await db.insert(
                [
                    .payment(
                        id: id, contract: input.contract.id, year: year, payer: payer, payee: payee,
                        amount: amount.description, date: date, reference: reference)
                ], writtenBy: event.seq)
        }
    }

    /// Why `text` is not an amount as written, or nil (a synchronous frame holds the Int128).
    static func amountProblem(_ text: String) -> String? {
        switch ExactDecimal.parse(text) {
        case .success: return nil
        case .failure(let error):
            return "the amount \(text.printable()) is not a decimal written plainly (e.g. 18 or 1234.5): \(error.explanation)"
        }
    }

    /// `date` as YYYY-MM-DD, UTC.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func isDate(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return text.count == 10 && formatter.date(from: text).map { formatter.string(from: $0) == text } == true
    }
}
