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
        let seq = (try await Event.head(db)?.seq ?? 0) + 1
        var inserts: [SQLQueryString] = []
        var newVersion: SettledPayload.NewVersion?
        var versionID = try await db.select().column("id").from("contract_versions")
            .where("contract_id", .equal, input.contract.id).where("sha256", .equal, input.sha256)
            .first(decodingColumn: "id", as: Int.self)
        if versionID == nil {
            let id = try await self.nextID("contract_versions", in: db)
            inserts.append(
                """
                INSERT INTO contract_versions (id, event_seq, contract_id, digest, sha256, file_name, bytes)
                VALUES (\(bind: id), \(bind: seq), \(bind: input.contract.id), \(bind: input.digest),
                \(bind: input.sha256), \(bind: input.fileName), \(bind: Data(input.bytes)))
                """)
            newVersion = .init(id: id, sha256: input.sha256)
            versionID = id
        }
        let runID = try await self.nextID("settlement_runs", in: db)
        let rules = settlement.rules.map { "\($0.rule)@\($0.version)" }.joined(separator: ",")
        inserts.append(
            """
            INSERT INTO settlement_runs (id, event_seq, contract_version_id, contract_id, fiscal_year,
            engine_version, rules, settlement_json, settlement_sha256)
            VALUES (\(bind: runID), \(bind: seq), \(bind: versionID ?? 0), \(bind: input.contract.id),
            \(bind: year), \(bind: self.engine), \(bind: rules), \(bind: Data(settlementJSON)),
            \(bind: sha256Hex(settlementJSON)))
            """)
        var recorded: [SettledPayload.Statement] = []
        var statementID = try await self.nextID("statements", in: db)
        for statement in statements {
            let sha = sha256Hex(statement.bytes)
            inserts.append(
                """
                INSERT INTO statements (id, event_seq, run_id, document, party, language, format, path, bytes,
                sha256)
                VALUES (\(bind: statementID), \(bind: seq), \(bind: runID), \(bind: statement.document),
                \(bind: statement.party), \(bind: statement.language), \(bind: statement.format),
                \(bind: statement.path), \(bind: Data(statement.bytes)), \(bind: sha))
                """)
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
        _ = try await Event.append(
            .settled, contract: input.contract.id, year: year, actor: who, comment: comment, payload: payload,
            in: db)
        for insert in inserts { try await db.raw(insert).run() }
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
            let seq = (try await Event.head(db)?.seq ?? 0) + 1
            var inserts: [SQLQueryString] = []
            var signed: [SignOffPayload.Signature] = []
            var signatureID = try await self.nextID("signatures", in: db)
            for row in try await db.select().columns("id", "bytes").from("statements").where(
                "run_id", .equal, record.runID
            )
            .orderBy("id").all() {
                let statementID = try row.decode(column: "id", as: Int.self)
                let bytes = Array(try row.decode(column: "bytes", as: Data.self))
                let signature = Data(try signer.signature(of: bytes, for: .statement)).base64EncodedString()
                inserts.append(
                    """
                    INSERT INTO signatures (id, event_seq, statement_id, key_id, party, role, signature)
                    VALUES (\(bind: signatureID), \(bind: seq), \(bind: statementID), \(bind: signer.keyID),
                    \(bind: who.party), \(bind: who.role), \(bind: signature))
                    """)
                signed.append(.init(statement: statementID, sha256: sha256Hex(bytes), signature: signature))
                signatureID += 1
            }
            _ = try await Event.append(
                to, contract: input.contract.id, year: year, actor: who, comment: comment,
                payload: SignOffPayload(run: record.runID, signatures: signed), in: db)
            for insert in inserts { try await db.raw(insert).run() }
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
        let signatureRows = try await db.raw(
            """
            SELECT s.statement_id, s.event_seq, s.key_id, s.party, s.role, s.signature, k.public_key, t.run_id
            FROM signatures s JOIN statements t ON t.id = s.statement_id JOIN signing_keys k ON k.key_id = s.key_id
            WHERE t.run_id = \(bind: run) ORDER BY s.id
            """
        ).all()
        let trust = try await self.trust(in: db)
        var byStatement: [Int: [StatementSignature]] = [:]
        for row in signatureRows {
            let signature = Array(Data(base64Encoded: try row.decode(column: "signature", as: String.self)) ?? Data())
            let keyID = try row.decode(column: "key_id", as: String.self)
            let party = try row.decode(column: "party", as: String.self)
            byStatement[try row.decode(column: "statement_id", as: Int.self), default: []].append(
                StatementSignature(
                    party: party, role: try row.decode(column: "role", as: String.self), keyID: keyID,
                    signature: signature, publicKeyPEM: try row.decode(column: "public_key", as: String.self),
                    chain: try await self.chain(
                        keyID: keyID, party: party, run: run, at: row.decode(column: "event_seq", as: Int.self),
                        trust: trust, in: db)))
        }
        guard
            let runRow = try await db.select().columns("contract_id", "fiscal_year").from("settlement_runs")
                .where("id", .equal, run).first()
        else { throw RegisterError.refused("run \(run) is missing", hint: Self.tamperedHint) }
        let contract = try runRow.decode(column: "contract_id", as: String.self)
        let year = try runRow.decode(column: "fiscal_year", as: Int.self)
        let columns = ["id", "document", "party", "language", "format", "path", "bytes", "sha256"]
        return try await db.select().columns(columns.map { SQLIdentifier($0) }).from("statements")
            .where("run_id", .equal, run).orderBy("id").all().map { row in
                let id = try row.decode(column: "id", as: Int.self)
                // The file's path is made from what the statement is, never read back.
                guard
                    let path = StatementInput.derivedPath(
                        contract: contract, year: year,
                        document: StatementInput.document(
                            try row.decode(column: "document", as: String.self),
                            storedPath: try row.decode(column: "path", as: String.self)),
                        party: try row.decode(column: "party", as: String?.self),
                        language: try row.decode(column: "language", as: String.self),
                        format: try row.decode(column: "format", as: String.self))
                else {
                    throw RegisterError.refused(
                        "statement \(id) of \(contract) FY\(year) is not a document pfs makes",
                        hint: Self.tamperedHint)
                }
                for signature in byStatement[id] ?? [] where !signature.party.isContractIdentifier {
                    throw RegisterError.refused(
                        "statement \(id) of \(contract) FY\(year) is signed for a party that is not an id",
                        hint: Self.tamperedHint)
                }
                return IssuedStatement(
                    path: path, bytes: Array(try row.decode(column: "bytes", as: Data.self)),
                    sha256: try row.decode(column: "sha256", as: String.self), signatures: byStatement[id] ?? [])
            }
    }

    /// The certificates that tie a signature made at event `seq` to the authority.
    private func chain(
        keyID: String, party: String, run: Int, at seq: Int, trust: TrustState, in db: any SQLDatabase
    ) async throws -> SignatureChain? {
        guard let authority = trust.authority, let key = trust.keys[keyID], let member = key.member,
            let keyCertificate = key.certificate,
            let keySignature = key.certificateSignature.flatMap({ Data(base64Encoded: $0) }),
            let contract = try await db.select().column("contract_id").from("settlement_runs").where("id", .equal, run)
                .first(decodingColumn: "contract_id", as: String.self),
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
            let seq = (try await Event.head(db)?.seq ?? 0) + 1
            let id = try await self.nextID("payments", in: db)
            _ = try await Event.append(
                .paid, contract: input.contract.id, year: year, actor: who,
                payload: PaidPayload(
                    payment: id, payer: payer, payee: payee, amount: amount.description, date: date,
                    reference: reference, run: record.runID), in: db)
            try await db.raw(
                """
                INSERT INTO payments (id, event_seq, contract_id, fiscal_year, payer, payee, amount, paid_on, reference)
                VALUES (\(bind: id), \(bind: seq), \(bind: input.contract.id), \(bind: year), \(bind: payer),
                \(bind: payee), \(bind: amount.description), \(bind: date), \(bind: reference))
                """
            ).run()
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

    /// The next id of a table (inside the write lock).
    func nextID(_ table: String, in db: any SQLDatabase) async throws -> Int {
        let largest = try await db.raw("SELECT MAX(id) AS m FROM \(unsafeRaw: table)").first(
            decodingColumn: "m", as: Int?.self)
        return (largest.flatMap { $0 } ?? 0) + 1
    }
}
