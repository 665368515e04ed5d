import Foundation
import PFS
import PFSModel
import PFSRegister
import PFSTestSupport
import SQLKit
import Testing

/// Who may sign for whom (issue 24): organisations bound to each contract's parties, an
/// authority that alone adds and revokes, every change signed, on both backends.
@Suite(.serialized) struct TrustModel {
    static let maebashi = "maebashi-profit-share.xml"
    static let hachioji = "hachioji-colorectal-screening-sib.xml"

    /// A shared register where Hachioji's evaluator is another firm than Maebashi's, with a
    /// member and a key of its own.
    static func sharedRegister(_ backend: Backend) async throws -> (Register, TestKeys, Signer) {
        let (register, keys) = try await registerWithKeys(backend)
        let otherEvaluator = Signer.generated()
        try await register.addOrganisation(
            "hachioji-evaluation", kind: .evaluationFirm, nameJa: "八王子評価", nameEn: "Hachioji Evaluation",
            authority: keys.authority)
        try await register.addMember(
            "h-evaluator", organisation: "hachioji-evaluation", nameJa: "評価 次郎", nameEn: "Jiro Hyoka",
            authority: keys.authority)
        _ = try await register.addKey(
            member: "h-evaluator", publicKeyPEM: otherEvaluator.publicKeyPEM, authority: keys.authority)
        let hachioji = try contractInput(Self.hachioji)
        try await register.bind(
            hachioji.contract, party: "evaluator", organisation: "hachioji-evaluation", authority: keys.authority)
        try await keys.bind(register, hachioji)
        return (register, keys, otherEvaluator)
    }

    static func eventCount(_ register: Register) async throws -> Int { try await register.verify().events }

    @Test(arguments: Backend.available)
    func hachiojisEvaluatorCannotReviewMaebashi(_ backend: Backend) async throws {
        let (register, keys, hachiojiEvaluator) = try await Self.sharedRegister(backend)
        defer { Task { await register.close() } }
        let input = try contractInput(Self.maebashi)
        try await recordYear(register, input, year: 2024, keys: keys)
        let before = try await Self.eventCount(register)
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: hachiojiEvaluator) }
                == """
                organisation 'hachioji-evaluation' (member 'h-evaluator', key \(hachiojiEvaluator.keyID.prefix(16))) \
                is not a party of contract 'maebashi-profit-share'; its evaluator is 'evaluator' → 'test-evaluation-firm'
                """)
        // The same firm's key reviews Hachioji, where it is bound.
        let hachioji = try contractInput(Self.hachioji)
        try await recordYear(register, hachioji, year: 2018, keys: keys)
        try await register.review(hachioji, year: 2018, signer: hachiojiEvaluator)
        #expect(
            await refusal { try await register.review(hachioji, year: 2018, signer: keys.evaluator) }
                == "cannot review contract 'hachioji-colorectal-screening-sib' FY2018: it is reviewed")
        #expect(try await Self.eventCount(register) == before + 2)
        #expect(try await register.verify().findings.isEmpty)
    }

    @Test(arguments: Backend.available)
    func anUnboundPartyCannotActAndABindingEndsInTime(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput(Self.maebashi)
        // Not bound yet: nobody may settle it.
        #expect(
            await refusal {
                let year = try settledYear(input, year: 2024)
                try await register.recordSettlement(
                    input, settlement: year.settlement, settlementJSON: year.json, statements: year.statements,
                    signer: keys.finance)
            }
                == "the public-sector party 'maebashi' of contract 'maebashi-profit-share' is bound to no organisation")
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        try await register.revoke(
            .binding(contract: input.contract.id, party: "maebashi"), reason: "the city changed departments",
            authority: keys.authority)
        #expect(
            await refusal { try await register.approve(input, year: 2024, signer: keys.finance) }
                == "the public-sector party 'maebashi' of contract 'maebashi-profit-share' is bound to no organisation")
        // What was signed under the binding stays valid.
        #expect(try await register.verify().findings.isEmpty)
    }

    @Test(arguments: Backend.available)
    func onlyTheAuthorityAddsAndRevokes(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let intruder = Signer.generated()
        let before = try await Self.eventCount(register)
        let notAuthority =
            "the key \(keys.finance.keyID.prefix(16)) is not this register's authority (fingerprint \(keys.authority.fingerprint.prefix(16))…)"
        #expect(
            await refusal {
                _ = try await register.addKey(
                    member: "finance-officer", publicKeyPEM: intruder.publicKeyPEM, authority: keys.finance)
            } == notAuthority)
        #expect(
            await refusal {
                try await register.addOrganisation(
                    "evil", kind: .provider, nameJa: "悪", nameEn: "Evil", authority: keys.finance)
            } == notAuthority)
        #expect(
            await refusal {
                try await register.revoke(.key(keys.finance.keyID), reason: "taken over", authority: keys.finance)
            } == notAuthority)
        #expect(
            await refusal {
                try await register.bind(
                    try contractInput(Self.maebashi).contract, party: "maebashi", organisation: TestKeys.city,
                    authority: keys.evaluator)
            } == "the key \(keys.evaluator.keyID.prefix(16)) is not this register's authority (fingerprint \(keys.authority.fingerprint.prefix(16))…)")
        #expect(try await Self.eventCount(register) == before)
    }

    /// A key event written into the database behind pfs's back, chained and hashed as pfs
    /// would but signed by another key than the authority's: it grants nothing, and verify
    /// reports it.
    @Test(arguments: Backend.available)
    func aKeyWhoseChainDoesNotLeadToTheAuthorityIsRefusedAndReported(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput(Self.maebashi)
        try await recordYear(register, input, year: 2024, keys: keys)
        let forger = Signer.generated()
        let forged = Signer.generated()
        try await Forgery.appendKeyEvent(
            register, key: forged, member: "evaluator-member", organisation: TestKeys.firm, signedBy: forger)
        #expect(
            await refusal { try await register.review(input, year: 2024, signer: forged) }
                == "the key \(forged.keyID.prefix(16)) is not registered")
        let findings = try await register.verify().findings.map(\.description)
        #expect(
            findings == [
                "event 13 (key-added): is not signed by the register's authority: only the authority adds and revokes"
            ])
    }

    @Test(arguments: Backend.available)
    func noChangeIsRecordedUnsigned(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput(Self.maebashi)
        try await keys.bind(register, input)
        let unsigned = """
            to settle, sign with the key of a member of the organisation bound to the contract's public-sector \
            party: give --key FILE
            """
        let before = try await Self.eventCount(register)
        #expect(
            await refusal {
                let year = try settledYear(input, year: 2024)
                try await register.recordSettlement(
                    input, settlement: year.settlement, settlementJSON: year.json, statements: year.statements,
                    signer: nil)
            } == unsigned)
        #expect(
            await refusal {
                try await register.recordCorrection(
                    contract: input.contract, from: input.sha256, to: input.sha256, values: [], reason: "x", signer: nil)
            } == unsigned)
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        try await register.approve(input, year: 2024, signer: keys.finance)
        #expect(
            await refusal { _ = try await register.issue(input, year: 2024, signer: nil) }
                == unsigned.replacingOccurrences(of: "to settle", with: "to issue"))
        _ = try await register.issue(input, year: 2024, signer: keys.finance)
        #expect(
            await refusal {
                try await register.recordPayment(
                    input, year: 2024, payer: "maebashi", payee: "provider", amount: "18",
                    date: "2025-06-30", reference: "TR-1", signer: nil)
            } == unsigned.replacingOccurrences(of: "to settle", with: "to record a payment"))
        #expect(try await Self.eventCount(register) == before + 4)
        // Every event after the register's first is signed, by the authority or by a member.
        let trust = try await register.trust()
        #expect(trust.unauthorised.isEmpty)
        #expect(try await register.verify().findings.isEmpty)
    }

    @Test(arguments: Backend.available)
    func aRevokedKeysEarlierSignaturesStayValid(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput(Self.maebashi)
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        try await register.revoke(.member("evaluator-member"), reason: "left the firm", authority: keys.authority)
        try await register.approve(input, year: 2024, signer: keys.finance)
        #expect(try await register.verify().findings.isEmpty)
        let hachioji = try contractInput(Self.hachioji)
        try await recordYear(register, hachioji, year: 2018, keys: keys)
        #expect(
            await refusal { try await register.review(hachioji, year: 2018, signer: keys.evaluator) }
                == "member 'evaluator-member' (key \(keys.evaluator.keyID.prefix(16))) was revoked")
        try await register.revoke(.organisation(TestKeys.city), reason: "merged", authority: keys.authority)
        #expect(
            await refusal { _ = try await register.issue(input, year: 2024, signer: keys.finance) }
                == "organisation 'test-city' was revoked")
    }
}

/// What someone with the database's password could do to the trust tables (issue 24).
@Suite(.serialized) struct TrustTampering {
    static func issuedYear(_ backend: Backend) async throws -> (Register, TestKeys) {
        let (register, keys) = try await registerWithKeys(backend)
        let input = try contractInput(TrustModel.maebashi)
        try await recordYear(register, input, year: 2024, keys: keys)
        try await register.review(input, year: 2024, signer: keys.evaluator)
        try await register.approve(input, year: 2024, signer: keys.finance)
        _ = try await register.issue(input, year: 2024, signer: keys.finance)
        return (register, keys)
    }

    static func tampered(_ backend: Backend, _ table: String, _ statement: String) async throws -> [String] {
        let (register, _) = try await Self.issuedYear(backend)
        defer { Task { await register.close() } }
        let lifted = try await RegisterTampering.liftTriggers(table, register)
        try await register.store.sql.raw(SQLQueryString(statement)).run()
        let findings = try await RegisterTampering.findings(register)
        // The lifted triggers are reported too, always last.
        #expect(Array(findings.suffix(lifted.count)) == lifted)
        return Array(findings.dropLast(lifted.count))
    }

    // Events 1–7 set the register up, 8–11 bind the contract's parties (the provider's
    // organisation first); 12 settled, 13 reviewed, 14 approved, 15 issued.

    @Test(arguments: Backend.available)
    func aDeletedSignatureRowIsFound(_ backend: Backend) async throws {
        #expect(
            try await Self.tampered(backend, "signatures", "DELETE FROM signatures WHERE id = 1") == [
                "signatures of event 13 (reviewed): the signature of statement 1 is recorded but its row is missing: deleted"
            ])
    }

    @Test(arguments: Backend.available)
    func aRelabelledSignaturePartyIsFound(_ backend: Backend) async throws {
        #expect(
            try await Self.tampered(backend, "signatures", "UPDATE signatures SET party = 'maebashi' WHERE id = 1") == [
                "signatures row 1: its key, party or role is not that of event 13, which made it"
            ])
    }

    @Test(arguments: Backend.available)
    func anEditedMigrationsRowIsFound(_ backend: Backend) async throws {
        #expect(
            try await Self.tampered(
                backend, "register_migrations", "UPDATE register_migrations SET engine = '0.1' WHERE version = 2") == [
                    "register_migrations row 2: its time or engine is not the one recorded: it was edited"
                ])
        #expect(
            try await Self.tampered(
                backend, "register_migrations",
                "UPDATE register_migrations SET description = 'nothing' WHERE version = 1") == [
                    "register_migrations row 1: its description is not the migration's: it was edited"
                ])
    }

    @Test(arguments: Backend.available)
    func aDeletedBindingOrAnEditedOrganisationIsFound(_ backend: Backend) async throws {
        #expect(
            try await Self.tampered(backend, "bindings", "DELETE FROM bindings WHERE party = 'evaluator'") == [
                "bindings row 3: bound by event 11 but missing: deleted"
            ])
        #expect(
            try await Self.tampered(
                backend, "organisations", "UPDATE organisations SET name_en = 'Other City' WHERE id = 'test-city'") == [
                    "organisations row test-city: it is not what the event that added it records"
                ])
        #expect(
            try await Self.tampered(
                backend, "members", "UPDATE members SET organisation = 'test-city' WHERE id = 'evaluator-member'") == [
                    "members row evaluator-member: it is not what the event that added it records"
                ])
    }

    @Test(arguments: Backend.available)
    func aKeyMovedToAnotherMemberIsFound(_ backend: Backend) async throws {
        let (register, keys) = try await Self.issuedYear(backend)
        defer { Task { await register.close() } }
        let lifted = try await RegisterTampering.liftTriggers("signing_keys", register)
        try await register.store.sql.raw(
            "UPDATE signing_keys SET member = 'finance-officer', party = 'test-city' WHERE key_id = \(bind: keys.evaluator.keyID)"
        ).run()
        #expect(
            try await RegisterTampering.findings(register) == [
                "signing_keys row \(keys.evaluator.keyID.prefix(16)): the key or its party is not the one recorded",
                "signing_keys row \(keys.evaluator.keyID.prefix(16)): its member, organisation or key is not the one recorded",
            ] + lifted)
    }
}

/// Writes into the database what pfs never would, as someone with its password can.
enum Forgery {
    /// A `key-added` event for `key`, chained and hashed after the head but signed by
    /// `signer`, and its `signing_keys` row.
    static func appendKeyEvent(
        _ register: Register, key: Signer, member: String, organisation: String, signedBy signer: Signer
    ) async throws {
        let (seq, head) = try #require(try await register.head())
        // Everything a key-added event records, but the authority's signature and certificate.
        let payload = try String(
            decoding: JSONSerialization.data(
                withJSONObject: [
                    "keyId": key.keyID, "member": member, "organisation": organisation, "publicKey": key.publicKeyPEM,
                    "publicKeySHA256": sha256Hex(Array(key.publicKeyPEM.utf8)),
                ], options: [.sortedKeys]), as: UTF8.self)
        let fields: [String: Any] = [
            "seq": seq + 1, "at": "2026-01-01T00:00:00.000Z", "kind": "key-added", "role": "authority",
            "keyId": signer.keyID, "payload": payload, "prevHash": head, "hash": "",
        ]
        var event = try JSONDecoder().decode(Event.self, from: JSONSerialization.data(withJSONObject: fields))
        event.signature = Data(SigningKeys.sign(event.signedBytes, with: signer.key)).base64EncodedString()
        event.hash = event.computedHash
        try await register.store.sql.raw(
            """
            INSERT INTO events (seq, at, kind, role, key_id, payload, signature, prev_hash, hash)
            VALUES (\(bind: event.seq), \(bind: event.at), \(bind: event.kind), \(bind: event.role),
            \(bind: event.keyId), \(bind: event.payload), \(bind: event.signature), \(bind: event.prevHash),
            \(bind: event.hash))
            """
        ).run()
        try await register.store.sql.raw(
            """
            INSERT INTO signing_keys (key_id, event_seq, party, public_key, member)
            VALUES (\(bind: key.keyID), \(bind: event.seq), \(bind: organisation), \(bind: key.publicKeyPEM),
            \(bind: member))
            """
        ).run()
    }
}

/// A random run of valid and invalid actions by the right and the wrong keys leaves a
/// register that verifies, in which every refused action recorded nothing (issue 24).
@Suite(.serialized) struct TrustProperties {
    /// SplitMix64: a seeded generator, so a failing run can be replayed from its seed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: Backend.available)
    func randomActionsLeaveAWholeRegisterAndRefusalsRecordNothing(_ backend: Backend) async throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        var random = Seeded(state: seed)
        let (register, keys, hachiojiEvaluator) = try await TrustModel.sharedRegister(backend)
        defer { Task { await register.close() } }
        let stranger = Signer.generated()
        let signers: [Signer?] = [keys.finance, keys.evaluator, hachiojiEvaluator, stranger, keys.authority, nil]
        let years = [
            (try contractInput(TrustModel.maebashi), 2024), (try contractInput(TrustModel.hachioji), 2018),
            (try contractInput(TrustModel.hachioji), 2019),
        ]
        var refused = 0, recorded = 0
        for step in 0..<30 {
            let (input, year) = years[Int.random(in: 0..<years.count, using: &random)]
            let signer = signers[Int.random(in: 0..<signers.count, using: &random)]
            let before = try await register.verify().events
            let action = Int.random(in: 0..<7, using: &random)
            do {
                switch action {
                case 0:
                    let settled = try settledYear(input, year: year)
                    try await register.recordSettlement(
                        input, settlement: settled.settlement, settlementJSON: settled.json,
                        statements: settled.statements, signer: signer)
                case 1: try await register.review(input, year: year, signer: signer ?? stranger)
                case 2: try await register.approve(input, year: year, signer: signer ?? stranger)
                case 3: try await register.review(input, year: year, signer: signer ?? stranger, reject: "recount")
                case 4: _ = try await register.issue(input, year: year, signer: signer)
                case 5:
                    _ = try await register.addKey(
                        member: "evaluator-member", publicKeyPEM: Signer.generated().publicKeyPEM,
                        authority: signer ?? stranger)
                default:
                    try await register.revoke(
                        .key((signer ?? stranger).keyID), reason: "step \(step)", authority: keys.authority)
                }
                recorded += 1
                #expect(try await register.verify().events == before + 1, "seed \(seed), step \(step)")
            } catch let error as RegisterError {
                guard case .refused = error else {
                    Issue.record("seed \(seed), step \(step): \(error)")
                    continue
                }
                refused += 1
                #expect(try await register.verify().events == before, "seed \(seed), step \(step): \(error)")
            }
        }
        let (_, findings) = try await register.verify()
        #expect(findings.isEmpty, "seed \(seed): \(findings)")
        #expect(try await register.trust().unauthorised.isEmpty)
        #expect(refused + recorded == 30)
    }
}

/// A register made before organisations (by pfs 0.1.0, the export in
/// Fixtures/register-v1) is upgraded: nothing is re-signed, the old events still verify and
/// are said to be of the old model, old keys no longer act, and members bound by the
/// mapping carry on (issue 24, item 6).
@Suite(.serialized) struct TrustUpgrade {
    static let folder = Repository.fixtures + "/register-v1"

    @Test(arguments: Backend.available)
    func aRegisterOfTheOldModelIsUpgradedWithoutReSigning(_ backend: Backend) async throws {
        let lines = try String(contentsOfFile: Self.folder + "/export.jsonl", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let location = try await backend.freshLocation()
        _ = try await Register.importing(lines, into: location)
        let register = try await Register.open(location)
        defer { Task { await register.close() } }
        #expect(try await register.verify().findings.isEmpty)
        let input = try contractInput(TrustModel.maebashi)
        let oldKey = try Signer(pem: String(contentsOfFile: Self.folder + "/finance-old-model.key", encoding: .utf8))
        // Before the upgrade nothing acts: the register has no authority.
        #expect(
            await refusal { try await register.recordSettlement(
                input, settlement: try settledYear(input, year: 2024).settlement, settlementJSON: [], statements: [],
                signer: oldKey) }
                == "the register has no authority (it was made before organisations): upgrade it with `pfs register upgrade`")
        let eventsBefore = try await register.verify().events
        var before: [String] = []
        try await register.export { before.append($0) }
        let authority = Signer.generated()
        let mapping = try PartyMapping.parse(
            """
            contract,party,organisation,kind,name_ja,name_en
            maebashi-profit-share,maebashi,maebashi-city,public-body,前橋市,Maebashi City
            maebashi-profit-share,provider,provider-co,provider,事業者,Provider
            maebashi-profit-share,evaluator,eval-firm,evaluation-firm,評価機関,Evaluation firm
            """
        ).get()
        let through = try await register.upgrade(authority: authority, mappings: mapping)
        #expect(through == eventsBefore)
        // Every row made before is exported unchanged (keys gain the column `member`, empty):
        // nothing was re-signed.
        var after: [String] = []
        try await register.export { after.append($0.replacingOccurrences(of: #""member":null,"#, with: "")) }
        let kept = before.dropFirst().filter { !after.contains($0) }
        #expect(kept.isEmpty, "\(kept.prefix(2))")
        let trust = try await register.trust()
        #expect(trust.oldModelThrough == eventsBefore)
        #expect(trust.authority?.fingerprint == authority.fingerprint)
        #expect(try await register.verify().findings.isEmpty)
        // An old key no longer acts; a member's key does.
        #expect(
            await refusal { try await register.revoke(.key(oldKey.keyID), reason: "x", authority: oldKey) }
                == "the key \(oldKey.keyID.prefix(16)) is not this register's authority (fingerprint \(authority.fingerprint.prefix(16))…)")
        #expect(
            await refusal {
                try await register.recordCorrection(
                    contract: input.contract, from: input.sha256, to: input.sha256, values: [], reason: "x",
                    signer: oldKey)
            } == "the key \(oldKey.keyID.prefix(16)) was registered for party 'maebashi' before organisations existed; such a key no longer acts")
        try await register.addMember(
            "tanaka", organisation: "maebashi-city", nameJa: "田中", nameEn: "Tanaka", authority: authority)
        let tanaka = Signer.generated()
        _ = try await register.addKey(member: "tanaka", publicKeyPEM: tanaka.publicKeyPEM, authority: authority)
        try await register.recordCorrection(
            contract: input.contract, from: input.sha256, to: input.sha256, values: [], reason: "checked after upgrade",
            signer: tanaka)
        #expect(try await register.verify().findings.isEmpty)
    }

    /// The same through the commands an administrator runs.
    @Test func theUpgradeCommandBindsFromAMappingAndVerifySaysWhatIsOld() throws {
        let folder = try TemporaryFolder.make()
        try """
            contract,party,organisation,kind,name_ja,name_en
            maebashi-profit-share,maebashi,maebashi-city,public-body,前橋市,Maebashi City
            maebashi-profit-share,evaluator,eval-firm,evaluation-firm,評価機関,Evaluation firm
            """.write(to: folder.appendingPathComponent("map.csv"), atomically: false, encoding: .utf8)
        _ = try LostDataDefects.run(
            ["register", "import", Self.folder + "/export.jsonl", "--register", "r.sqlite"], in: folder, expect: 0)
        let upgraded = try LostDataDefects.run(
            ["register", "upgrade", "--authority-key", "a.key", "--bindings", "map.csv", "--register", "r.sqlite"],
            in: folder, expect: 0)
        #expect(upgraded.standardOutput.hasPrefix("upgraded r.sqlite: events 1–8 were made under the old model"))
        #expect(upgraded.standardOutput.contains("2 parties bound to their organisations\n"))
        _ = try LostDataDefects.run(
            ["register", "upgrade", "--authority-key", "b.key", "--register", "r.sqlite"], in: folder, expect: 1)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/b.key"))
        let verified = try LostDataDefects.run(["register", "verify", "--register", "r.sqlite"], in: folder, expect: 0)
        #expect(
            verified.standardOutput.contains(
                "r.sqlite: events 1–8 were made under the old model (before organisations and the authority)"))
        #expect(verified.standardOutput.contains("r.sqlite: 13 events, history intact\n"))
        let bad = folder.appendingPathComponent("bad.csv")
        try "contract,party,organisation,kind,name_ja,name_en\nx,y,z,city,a,b\n".write(
            to: bad, atomically: false, encoding: .utf8)
        let refused = try LostDataDefects.run(
            ["register", "upgrade", "--authority-key", "c.key", "--bindings", "bad.csv", "--register", "r.sqlite"],
            in: folder, expect: 1)
        #expect(
            refused.standardError
                == "pfs: bad.csv: line 2 of the mapping is not contract,party,organisation,kind,name_ja,name_en with a kind of public-body, provider, evaluation-firm, investor, intermediary\n")
    }
}
