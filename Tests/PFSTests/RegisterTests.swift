import Foundation
import PFS
import PFSModel
import PFSRegister
import PFSTestSupport
import SQLKit
import Testing

/// The register's life of a year, on SQLite and on PostgreSQL (issue 13).
@Suite(.serialized) struct RegisterWorkflow {
    @Test func postgresIsTestedInCI() {
        // CI starts a server; a register suite that quietly ran on SQLite alone would pass.
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Backend.postgresURL != nil, "CI must set PFS_TEST_POSTGRES_URL (see .ci/run)")
            #expect(RegisterStore.postgreSQLBuiltIn, "CI must build with --traits PostgreSQL (see .ci/run)")
        }
    }

    @Test(arguments: Backend.available)
    func aFullTermGoesThroughEveryState(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("hachioji-colorectal-screening-sib.xml")
        let years = PFS.settleableYears(input.contract)
        #expect(years.count > 1)
        var payments = 0
        for year in years {
            try await recordYear(register, input, year: year, keys: keys)
            try await register.review(input, year: year, signer: keys.evaluator, comment: "recomputed by hand")
            try await register.approve(input, year: year, signer: keys.finance)
            let (statements, newly) = try await register.issue(input, year: year, signer: keys.finance)
            #expect(newly)
            #expect(statements.allSatisfy { $0.signatures.map(\.role) == ["evaluator", "public-sector"] })
            for statement in statements {
                for signature in statement.signatures {
                    let key = try SigningKeys.publicKey(pem: signature.publicKeyPEM)
                    #expect(SigningKeys.isValid(signature.signature, of: statement.bytes, by: key))
                }
            }
            let status = try await register.status(contract: input.contract.id)
            let record = try #require(status.years.first { $0.year == year })
            #expect(record.state == (record.dues.isEmpty ? .paid : .issued))
            payments += record.dues.count
            for due in record.dues {
                try await register.recordPayment(
                    input, year: year, payer: due.payer, payee: due.payee, amount: due.amount.description, date: "2025-06-30",
                    reference: "TR-\(year)", signer: keys.finance)
            }
        }
        let status = try await register.status()
        #expect(status.years.map(\.year) == years)
        #expect(status.years.allSatisfy { $0.state == .paid })
        #expect(status.byPayer.allSatisfy { $0.outstanding == .zero })
        #expect(payments > 0)
        let (events, findings) = try await register.verify()
        #expect(findings.isEmpty)
        // 11 to set up: the register, two organisations, two members, two keys, the provider's
        // organisation and three bindings.
        #expect(events == 11 + years.count * 4 + payments)
    }

    @Test(arguments: Backend.available)
    func everyStepIsRefusedFromTheWrongStateOrByTheWrongRole(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.evaluator) }
                == "contract 'maebashi-profit-share' FY2024 has not been settled in this register")
        try await recordYear(register, input, year: 2024, keys: keys)
        #expect(
            await refusal { try await recordYear(register, input, year: 2024, keys: keys) }
                == "contract 'maebashi-profit-share' FY2024 is already settled from this contract version (run 1)")
        #expect(
            await refusal { try await register.approve(input, year: 2024, signer: keys.finance) }
                == "cannot approve contract 'maebashi-profit-share' FY2024: it is settled")
        #expect(
            await refusal { _ = try await register.issue(input, year: 2024, signer: keys.finance) }
                == "cannot issue contract 'maebashi-profit-share' FY2024: it is settled")
        // The finance office's key cannot review: its organisation is the public sector, not the evaluator.
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.finance) }
                == """
                organisation 'test-city' (member 'finance-officer', key \(keys.finance.keyID.prefix(16))) is party \
                'maebashi' of contract 'maebashi-profit-share', which is public-sector; only the evaluator may review
                """)
        let stranger = Signer.generated()
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: stranger) }?
                .hasPrefix("the key \(stranger.keyID.prefix(16)) is not registered") == true)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.evaluator) }
                == "cannot review contract 'maebashi-profit-share' FY2024: it is reviewed")
        #expect(
            await refusal { try await recordYear(register, input, year: 2024, keys: keys) }
                == "contract 'maebashi-profit-share' FY2024 is reviewed; it cannot be settled again unless sent back")
        try await register.approve(input, year: 2024, signer: keys.finance)
        _ = try await register.issue(input, year: 2024, signer: keys.finance)
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "provider", amount: "17",
                    date: "2025-06-30",
                    reference: "TR-1", signer: keys.finance)
            } == "the issued amount from 'maebashi' to 'provider' for FY2024 is 18, not 17")
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "evaluator", amount: "18",
                    date: "2025-06-30", reference: "TR-1", signer: keys.finance)
            } == "the issued statement of FY2024 has no amount from 'maebashi' to 'evaluator'")
        try await register.recordPayment(
            input, year: 2024, payer: "maebashi", payee: "provider", amount: "18", date: "2025-06-30",
            reference: "TR-1", signer: keys.finance)
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "provider", amount: "18",
                    date: "2025-07-01", reference: "TR-2", signer: keys.finance)
            } == "cannot record a payment for contract 'maebashi-profit-share' FY2024: it is paid")
        #expect(
            await refusal { try await recordYear(register, input, year: 2024, keys: keys) }
                == "contract 'maebashi-profit-share' FY2024 was issued; an issued year is never settled again")
        // Every refusal recorded nothing: 11 setup events and the 5 steps.
        #expect(try await register.verify().events == 16)
    }

    @Test(arguments: Backend.available)
    func aRejectionSendsTheYearBackAndARevokedKeyNoLongerSigns(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator, reject: "baseline source missing")
        let rejected = try #require(try await register.status().years.first)
        #expect(rejected.state == .rejected)
        #expect(rejected.events.last?.comment == "baseline source missing")
        #expect(try await recordYear(register, input, year: 2024, keys: keys) == 2)
        try await register.revoke(
            .key(String(keys.evaluator.keyID.prefix(12))), reason: "laptop lost", authority: keys.authority)
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.evaluator) }
                == "the key \(keys.evaluator.keyID.prefix(16)) of member 'evaluator-member' was revoked")
        let replacement = Signer.generated()
        _ = try await register.addKey(
            member: "evaluator-member", publicKeyPEM: replacement.publicKeyPEM, authority: keys.authority)
        try await register.review(input, year: 2024, signer: replacement)
        #expect(try await register.verify().findings.isEmpty)
    }

    @Test(arguments: Backend.available)
    func aChangedContractIsRefused(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024, keys: keys)
        var text = String(decoding: input.bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "</contract>", with: "<!-- edited --></contract>")
        let checked = PFS.check(bytes: Array(text.utf8), file: input.fileName)
        let provenance = PFS.provenance(of: checked, fileName: input.fileName)
        let edited = ContractInput(
            contract: try #require(checked.contract), fileName: input.fileName, bytes: checked.bytes,
            sha256: provenance.sha256, digest: provenance.digest)
        let message = await refusal { try await register.review(edited, year: 2024, signer: keys.evaluator) }
        #expect(message?.hasPrefix("contract 'maebashi-profit-share' changed since FY2024 was settled") == true)
        #expect(message?.hasSuffix("the same contract in another layout)") == true)
    }

    @Test(arguments: Backend.available)
    func exportAndImportRoundTrip(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        var lines: [String] = []
        try await register.export { lines.append($0) }
        let copyLocation = try await backend.freshLocation()
        let rows = try await Register.importing(lines, into: copyLocation)
        #expect(rows == lines.count - 1)
        let copy = try await Register.open(copyLocation)
        var again: [String] = []
        try await copy.export { again.append($0) }
        await copy.close()
        let same = again == lines
        #expect(same, "an imported register exports the same lines")
        // An edited export is refused, and leaves no register behind.
        let edited = lines.map { $0.replacingOccurrences(of: #"\"amount\":\"18\""#, with: #"\"amount\":\"81\""#) }
        let changed = edited != lines
        #expect(changed)
        let editedLocation = try await backend.freshLocation()
        #expect(
            await refusal { _ = try await Register.importing(edited, into: editedLocation) }?.hasPrefix(
                "the export does not verify") == true)
    }

    @Test(arguments: Backend.available)
    func aRegisterOfANewerPfsIsRefused(_ backend: Backend) async throws {
        let location = try await backend.freshLocation()
        let register = try await Register.create(location, authority: Signer.generated())
        try await register.store.sql.raw(
            """
            INSERT INTO register_migrations (version, description, applied_at, engine) VALUES (99, 'future', \
            'now', '9.0')
            """
        ).run()
        await register.close()
        await #expect(throws: RegisterError.newerSchema(found: 99, known: 2)) { try await Register.open(location) }
    }
}

/// What someone with the database's password could do behind pfs's back (issue 13).
@Suite(.serialized) struct RegisterTampering {
    /// A register with one year settled, reviewed, approved, issued and paid.
    static func paidYear(_ backend: Backend) async throws -> Register {
        let (register, keys) = try await registerWithKeys(backend)
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        try await register.approve(input, year: 2024, signer: keys.finance)
        _ = try await register.issue(input, year: 2024, signer: keys.finance)
        try await register.recordPayment(
            input, year: 2024, payer: "maebashi", payee: "provider", amount: "18", date: "2025-06-30",
            reference: "TR-1", signer: keys.finance)
        return register
    }

    /// Lifts the append-only triggers of `table`, as a database owner can, and returns what
    /// `register verify` then says of them.
    @discardableResult
    static func liftTriggers(_ table: String, _ register: Register) async throws -> [String] {
        switch register.store.backend {
        case .sqlite:
            try await register.store.sql.raw("DROP TRIGGER \(unsafeRaw: table)_no_update").run()
            try await register.store.sql.raw("DROP TRIGGER \(unsafeRaw: table)_no_delete").run()
            return ["update", "delete"].map {
                "table \(table): its append-only trigger \(table)_no_\($0) is missing: dropped"
            }
        case .postgres:
            try await register.store.sql.raw("ALTER TABLE \(unsafeRaw: table) DISABLE TRIGGER USER").run()
            return ["append_only", "no_truncate"].map {
                "table \(table): its append-only trigger \(table)_\($0) is disabled"
            }
        }
    }

    /// The evaluator's key id as findings show it.
    static func keysOf(_ register: Register) async throws -> String {
        String(try await register.trust().keys.values.first { $0.member == "evaluator-member" }?.keyID.prefix(16) ?? "")
    }

    static func findings(_ register: Register) async throws -> [String] {
        try await register.verify().findings.map(\.description)
    }

    @Test(arguments: Backend.available)
    func theDatabaseRefusesUpdatesAndDeletes(_ backend: Backend) async throws {
        let register = try await Self.paidYear(backend)
        defer { Task { await register.close() } }
        for statement in [
            "UPDATE payments SET amount = '19'", "DELETE FROM events WHERE seq = 4",
            "UPDATE statements SET bytes = bytes",
        ] {
            await #expect(throws: (any Error).self, "\(statement)") {
                try await register.store.sql.raw(SQLQueryString(statement)).run()
            }
        }
        #expect(try await Self.findings(register).isEmpty)
    }

    @Test(arguments: Backend.available)
    func anEditedRowIsFound(_ backend: Backend) async throws {
        let register = try await Self.paidYear(backend)
        defer { Task { await register.close() } }
        let lifted = try await Self.liftTriggers("payments", register)
        try await register.store.sql.raw("UPDATE payments SET amount = '19'").run()
        #expect(try await Self.findings(register) == ["payments row 1: its amount is not the one recorded"] + lifted)
        try await Self.liftTriggers("statements", register)
        try await register.store.sql.raw("UPDATE statements SET bytes = \(bind: Data("{}".utf8)) WHERE id = 2").run()
        #expect(
            try await Self.findings(register).contains(
                "statements row 2: the statement's bytes are not the ones recorded"))
    }

    @Test(arguments: Backend.available)
    func anEditedDeletedOrReorderedEventIsFound(_ backend: Backend) async throws {
        let register = try await Self.paidYear(backend)
        defer { Task { await register.close() } }
        // Events 1–11 set the register up; 12 settled, 13 reviewed, 14 approved, 15 issued, 16 paid.
        let lifted = try await Self.liftTriggers("events", register)
        try await register.store.sql.raw("UPDATE events SET comment = 'looks fine' WHERE seq = 13").run()
        let edited = try await Self.findings(register)
        #expect(edited.contains("event 13 (reviewed): its fields do not give its hash: the event was edited"))
        #expect(
            edited.contains(
                "event 13 (reviewed): its signature does not verify with key \(try await Self.keysOf(register))"))
        try await register.store.sql.raw("UPDATE events SET comment = NULL WHERE seq = 13").run()
        #expect(try await Self.findings(register) == lifted)
        // Swapping two events' places (the first and the issue, which no row refers to).
        let swap = [
            "UPDATE events SET seq = 100 WHERE seq = 1", "UPDATE events SET seq = 1 WHERE seq = 15",
            "UPDATE events SET seq = 15 WHERE seq = 100",
        ]
        for statement in swap { try await register.store.sql.raw(SQLQueryString(statement)).run() }
        let reordered = try await Self.findings(register)
        #expect(reordered.contains("event 1 (issued): does not follow the event before it (its previous hash differs)"))
        #expect(reordered.contains("event 1 (issued): its fields do not give its hash: the event was edited"))
        for statement in swap { try await register.store.sql.raw(SQLQueryString(statement)).run() }
        #expect(try await Self.findings(register) == lifted)
        // An event deleted from the middle (the database keeps rows from losing their event).
        await #expect(throws: (any Error).self) {
            try await register.store.sql.raw("DELETE FROM events WHERE seq = 13").run()
        }
        try await register.store.sql.raw("DELETE FROM events WHERE seq = 15").run()
        let deleted = try await Self.findings(register)
        #expect(deleted.contains("event 16 (paid): event 15 before it is missing: deleted"))
        #expect(deleted.contains("event 16 (paid): does not follow the event before it (its previous hash differs)"))
    }
}
