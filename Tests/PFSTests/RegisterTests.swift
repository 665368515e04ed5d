import Foundation
import PFS
import PFSModel
import PFSRegister
import PFSTestSupport
import Testing

/// The register's life of a year, on SQLite and on PostgreSQL (issue 13).
@Suite(.serialized) struct RegisterWorkflow {
    @Test func postgresIsTestedInCI() {
        // CI starts a server; a register suite that quietly ran on SQLite alone would pass.
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Backend.postgresURL != nil, "CI must set PFS_TEST_POSTGRES_URL (see .ci/run)")
        }
    }

    @Test(arguments: Backend.available)
    func aFullTermGoesThroughEveryState(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend, financeParty: "hachioji")
        defer { Task { await register.close() } }
        let input = try contractInput("hachioji-colorectal-screening-sib.xml")
        let years = PFS.settleableYears(input.contract)
        #expect(years.count > 1)
        var payments = 0
        for year in years {
            try await recordYear(register, input, year: year)
            try await register.review(input, year: year, signer: keys.evaluator, comment: "recomputed by hand")
            try await register.approve(input, year: year, signer: keys.finance)
            let (statements, newly) = try await register.issue(input, year: year)
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
                    input, year: year, payer: due.payer, payee: due.payee, amount: due.amount, date: "2025-06-30",
                    reference: "TR-\(year)")
            }
        }
        let status = try await register.status()
        #expect(status.years.map(\.year) == years)
        #expect(status.years.allSatisfy { $0.state == .paid })
        #expect(status.byPayer.allSatisfy { $0.outstanding == .zero })
        #expect(payments > 0)
        let (events, findings) = try await register.verify()
        #expect(findings.isEmpty)
        #expect(events == 3 + years.count * 4 + payments)
    }

    @Test(arguments: Backend.available)
    func everyStepIsRefusedFromTheWrongStateOrByTheWrongRole(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.evaluator) }
                == "contract 'maebashi-profit-share' FY2024 has not been settled in this register")
        try await recordYear(register, input, year: 2024)
        #expect(
            await refusal { try await recordYear(register, input, year: 2024) }
                == "contract 'maebashi-profit-share' FY2024 is already settled from this contract version (run 1)")
        #expect(
            await refusal { try await register.approve(input, year: 2024, signer: keys.finance) }
                == "cannot approve contract 'maebashi-profit-share' FY2024: it is settled")
        #expect(
            await refusal { _ = try await register.issue(input, year: 2024) }
                == "cannot issue contract 'maebashi-profit-share' FY2024: it is settled")
        // The finance office's key cannot review: its party is public-sector, not the evaluator.
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.finance) }
                == "party 'maebashi' is public-sector in contract 'maebashi-profit-share'; only the evaluator may review")
        let stranger = Signer.generated()
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: stranger) }?
                .hasPrefix("the key \(stranger.keyID.prefix(16)) is not registered") == true)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.evaluator) }
                == "cannot review contract 'maebashi-profit-share' FY2024: it is reviewed")
        #expect(
            await refusal { try await recordYear(register, input, year: 2024) }
                == "contract 'maebashi-profit-share' FY2024 is reviewed; it cannot be settled again unless sent back")
        try await register.approve(input, year: 2024, signer: keys.finance)
        _ = try await register.issue(input, year: 2024)
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "provider", amount: ExactDecimal(17), date: "2025-06-30",
                    reference: "TR-1")
            } == "the issued amount from 'maebashi' to 'provider' for FY2024 is 18, not 17")
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "evaluator", amount: ExactDecimal(18),
                    date: "2025-06-30", reference: "TR-1")
            } == "the issued statement of FY2024 has no amount from 'maebashi' to 'evaluator'")
        try await register.recordPayment(
            input, year: 2024, payer: "maebashi", payee: "provider", amount: ExactDecimal(18), date: "2025-06-30",
            reference: "TR-1")
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "provider", amount: ExactDecimal(18),
                    date: "2025-07-01", reference: "TR-2")
            } == "cannot record a payment for contract 'maebashi-profit-share' FY2024: it is paid")
        #expect(
            await refusal { try await recordYear(register, input, year: 2024) }
                == "contract 'maebashi-profit-share' FY2024 is paid; an issued year is never settled again")
        // Every refusal recorded nothing: 3 setup events and the 5 steps.
        #expect(try await register.verify().events == 8)
    }

    @Test(arguments: Backend.available)
    func aRejectionSendsTheYearBackAndARevokedKeyNoLongerSigns(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024)
        try await register.review(input, year: 2024, signer: keys.evaluator, reject: "baseline source missing")
        let rejected = try #require(try await register.status().years.first)
        #expect(rejected.state == .rejected)
        #expect(rejected.events.last?.comment == "baseline source missing")
        #expect(try await recordYear(register, input, year: 2024) == 2)
        try await register.revokeKey(keyID: String(keys.evaluator.keyID.prefix(12)), reason: "laptop lost")
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: keys.evaluator) }
                == "the key \(keys.evaluator.keyID.prefix(16)) of party 'evaluator' was revoked")
        let replacement = Signer.generated()
        _ = try await register.addKey(party: "evaluator", publicKeyPEM: replacement.publicKeyPEM)
        try await register.review(input, year: 2024, signer: replacement)
        #expect(try await register.verify().findings.isEmpty)
    }

    @Test(arguments: Backend.available)
    func aChangedContractIsRefused(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024)
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
        try await recordYear(register, input, year: 2024)
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
        #expect(await refusal { _ = try await Register.importing(edited, into: editedLocation) }?.hasPrefix("the export does not verify") == true)
    }

    @Test(arguments: Backend.available)
    func aRegisterOfANewerPfsIsRefused(_ backend: Backend) async throws {
        let location = try await backend.freshLocation()
        let register = try await Register.create(location)
        try await register.store.sql.raw(
            "INSERT INTO register_migrations (version, description, applied_at, engine) VALUES (99, 'future', 'now', '9.0')"
        ).run()
        await register.close()
        await #expect(throws: RegisterError.newerSchema(found: 99, known: 1)) { try await Register.open(location) }
    }
}
