import Foundation
import PFS
import PFSRegister
import PFSTestSupport
import Testing

/// The register through the `pfs` commands a finance office runs, on both backends.
@Suite(.serialized) struct RegisterCommands {
    static let maebashi = Repository.contracts + "/maebashi-profit-share.xml"

    /// A register at a fresh location, set up as `prepare` does, in `folder`.
    static func prepared(
        _ backend: Backend, in folder: URL, binding contracts: [String] = [maebashi]
    ) async throws -> String {
        let register = Backend.argument(try await backend.freshLocation())
        try prepare(register, in: folder, binding: contracts)
        return register
    }

    /// What a register's administrator does before the first settlement, with the commands
    /// they run: the register and its authority (`authority.key`), the city, the evaluation
    /// firm and a provider, a member of the city (`finance.key`) and of the firm
    /// (`evaluator.key`), and each contract's parties bound to them.
    static func prepare(_ register: String, in folder: URL, binding contracts: [String] = [maebashi]) throws {
        let authority = ["--authority-key", "authority.key"]
        var steps: [[String]] = [
            ["register", "init"] + authority,
            ["register", "organisation", "add", "test-city", "--kind", "public-body", "--name-ja", "テスト市",
             "--name-en", "Test City"] + authority,
            ["register", "organisation", "add", "test-evaluation-firm", "--kind", "evaluation-firm", "--name-ja",
             "テスト評価", "--name-en", "Test Evaluation"] + authority,
            ["register", "organisation", "add", "test-provider", "--kind", "provider", "--name-ja", "テスト事業者",
             "--name-en", "Test Provider"] + authority,
            ["register", "member", "add", "finance-officer", "--organisation", "test-city", "--name-ja", "財務 太郎",
             "--name-en", "Taro Zaimu"] + authority,
            ["register", "member", "add", "evaluator-member", "--organisation", "test-evaluation-firm", "--name-ja",
             "評価 花子", "--name-en", "Hanako Hyoka"] + authority,
            ["key", "generate", "--out", "finance.key"], ["key", "generate", "--out", "evaluator.key"],
            ["key", "add", "--member", "finance-officer", "--public", "finance.key.pub"] + authority,
            ["key", "add", "--member", "evaluator-member", "--public", "evaluator.key.pub"] + authority,
        ]
        for contract in contracts {
            let parties = try ContractInput.load(path: contract).get().contract.parties.map { party in
                switch party.role {
                case .publicSector: return "\(party.id)=test-city"
                case .evaluator: return "\(party.id)=test-evaluation-firm"
                case .provider, .investor, .intermediary: return "\(party.id)=test-provider"
                }
            }
            steps.append(["register", "bind", contract] + parties.flatMap { ["--party", $0] } + authority)
        }
        for step in steps {
            let arguments = step.first == "key" && step[1] == "generate" ? step : step + ["--register", register]
            let run = try CommandRun.pfs(arguments, in: folder.path)
            #expect(run.status == 0, "pfs \(arguments.joined(separator: " ")): \(run.standardError)")
        }
    }

    static func run(_ arguments: [String], in folder: URL, expect status: Int32 = 0) throws -> CommandRun {
        let run = try CommandRun.pfs(arguments, in: folder.path)
        #expect(run.status == status, "pfs \(arguments.joined(separator: " ")): \(run.standardError)")
        return run
    }

    @Test(arguments: Backend.available)
    func aYearIsSettledReviewedApprovedIssuedPaidAndOpenSSLChecksTheSignatures(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let register = try await Self.prepared(backend, in: folder)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: folder.appendingPathComponent("evaluator.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let year = ["--year", "2024", "--register", register]
        _ = try Self.run(["register", "init", "--authority-key", "again.key", "--register", register], in: folder, expect: 1)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/again.key"))
        _ = try Self.run(["settle", Self.maebashi, "--key", "finance.key"] + year, in: folder)
        _ = try Self.run(["issue", Self.maebashi, "--key", "finance.key", "--output", "out", "--format", "json"] + year, in: folder, expect: 1)
        _ = try Self.run(["review", Self.maebashi, "--key", "evaluator.key"] + year, in: folder)
        _ = try Self.run(["approve", Self.maebashi, "--key", "finance.key"] + year, in: folder)
        _ = try Self.run(["issue", Self.maebashi, "--key", "finance.key", "--output", "out", "--format", "json"] + year, in: folder)
        let statement = folder.appendingPathComponent("out/maebashi-profit-share/maebashi/settlement-FY2024.json").path
        let keys = folder.appendingPathComponent("out/maebashi-profit-share/keys").path
        for party in ["evaluator", "maebashi"] {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = [
                "pkeyutl", "-verify", "-pubin", "-inkey", keys + "/\(party).pem", "-rawin", "-in", statement,
                "-sigfile",
                statement + ".\(party).sig",
            ]
            let output = Pipe()
            openssl.standardOutput = output
            try openssl.run()
            openssl.waitUntilExit()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(
                openssl.terminationStatus == 0 && said.contains("Signature Verified Successfully"), "\(party): \(said)")
        }
        let verified = try Self.run(
            ["verify", statement, "--contract", Self.maebashi, "--register", register], in: folder)
        #expect(
            verified.standardOutput.contains(
                "signed by member evaluator-member (Hanako Hyoka) of test-evaluation-firm (Test Evaluation), key "))
        #expect(verified.standardOutput.contains(" for party evaluator (evaluator)\n"))
        _ = try Self.run(
            [
                "paid", Self.maebashi, "--key", "finance.key", "--payer", "maebashi", "--payee", "provider", "--amount", "18", "--date",
                "2025-06-30",
                "--reference", "TR-2025-0001",
            ] + year, in: folder)
        let status = try Self.run(["status", "maebashi-profit-share", "--register", register], in: folder)
        #expect(status.standardOutput.contains("FY2024  paid"))
        #expect(status.standardOutput.contains("maebashi → provider  due 18  paid 2025-06-30 ref TR-2025-0001"))
        #expect(status.standardOutput.contains("maebashi  FY2024  issued 18  paid 18  outstanding 0"))
        let intact = try Self.run(["register", "verify", "--register", register], in: folder)
        #expect(intact.standardOutput.contains("16 events, history intact\n  head: event 16, hash "))
    }

    /// The README's block of OpenSSL commands, as written there.
    static func readmeOpenSSLBlock() throws -> String {
        let readme = try String(contentsOfFile: Repository.path("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- openssl-chain"))
        let start = try #require(readme.range(of: "```sh\n", range: marker.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// Runs a shell script (`sh -e`) in `folder`.
    static func shell(_ script: String, in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-e", "-c", script]
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A contractor checks an issued statement's whole chain (statement ← signer's key ←
    /// authority) with exactly the README's OpenSSL commands, and they fail when a
    /// certificate was edited; `pfs verify` says the same, in words.
    @Test(arguments: Backend.available)
    func theReadmesOpenSSLCommandsCheckTheWholeChain(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let register = try await Self.prepared(backend, in: folder)
        let year = ["--year", "2024", "--register", register]
        for step in [
            ["settle", Self.maebashi, "--key", "finance.key"], ["review", Self.maebashi, "--key", "evaluator.key"],
            ["approve", Self.maebashi, "--key", "finance.key"],
            ["issue", Self.maebashi, "--key", "finance.key", "--output", "issued", "--format", "json", "--format", "md",
             "--lang", "en"],
        ] {
            _ = try Self.run(step + year, in: folder)
        }
        let authority = try Signer(pem: String(contentsOfFile: folder.path + "/authority.key", encoding: .utf8))
        // The statements name the authority their signatures lead to, in every format.
        let issued = folder.path + "/issued/maebashi-profit-share/maebashi/settlement-FY2024"
        #expect(
            try String(contentsOfFile: issued + ".json", encoding: .utf8).contains(
                "\"register\" : {\n    \"authority\" : \"\(authority.fingerprint)\"\n  }"))
        #expect(
            try String(contentsOfFile: issued + ".en.md", encoding: .utf8).contains(
                "Register authority (key fingerprint)"))
        #expect(try String(contentsOfFile: issued + ".en.md", encoding: .utf8).contains(authority.fingerprint))
        // And their JSON, `register` included, is what the formats' schemas say.
        let schemas = Repository.path("Sources/PFSStatements/Schema")
        let validated = try Self.shell(
            """
            python3 -c 'import json, sys, jsonschema
            for statement, schema in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
                jsonschema.validate(json.load(open(statement)), json.load(open(schema)))
            print("valid")' \(issued).json \(schemas)/pfs-settlement-1.schema.json \
            \(folder.path)/issued/maebashi-profit-share/provider/payout-provider-FY2024.json \
            \(schemas)/pfs-payout-1.schema.json
            """, in: folder)
        #expect(validated.output == "valid\n", "\(validated.output)")
        let script = try Self.readmeOpenSSLBlock()
        let checked = try Self.shell(script, in: folder)
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("SHA2-256(stdin)= \(authority.fingerprint)\n"))
        #expect(checked.output.components(separatedBy: "Signature Verified Successfully").count - 1 == 3)
        #expect(checked.output.contains("organisation: test-evaluation-firm (テスト評価 / Test Evaluation)\n"))
        #expect(checked.output.contains("party: evaluator\nrole: evaluator\n"))
        let statement = folder.path + "/issued/maebashi-profit-share/maebashi/settlement-FY2024.json"
        let verified = try Self.run(["verify", statement, "--contract", Self.maebashi], in: folder)
        #expect(verified.standardOutput.contains("    authority \(authority.fingerprint) "))
        let evaluator = try Signer(pem: String(contentsOfFile: folder.path + "/evaluator.key", encoding: .utf8))
        #expect(
            verified.standardOutput.contains(
                """
                signed for party evaluator (evaluator) by member evaluator-member (評価 花子 / Hanako Hyoka) of \
                test-evaluation-firm (テスト評価 / Test Evaluation), key \(evaluator.keyID.prefix(16)): key and binding \
                certified by the authority
                """))
        // A contractor without the contract file checks the signatures alone.
        let alone = try Self.run(["verify", statement], in: folder)
        #expect(alone.standardOutput.hasPrefix("\(statement): not recomputed (give --contract CONTRACT.xml"))
        #expect(alone.standardOutput.hasSuffix("certified by the authority\nsignatures verified\n"), "\(alone.standardOutput)")
        let nothing = try Self.run(
            ["verify", Repository.reports + "/maebashi-profit-share/settlement-FY2024.json"], in: folder, expect: 64)
        #expect(nothing.standardError.contains("nothing to check: give --contract CONTRACT.xml to recompute the statement"))
        // The binding certificate edited to name the city: OpenSSL refuses it, and so does pfs.
        let binding = folder.path + "/issued/maebashi-profit-share/keys/evaluator.binding"
        let text = try String(contentsOfFile: binding, encoding: .utf8)
        try text.replacingOccurrences(of: "organisation: test-evaluation-firm", with: "organisation: test-city")
            .write(toFile: binding, atomically: false, encoding: .utf8)
        let edited = try Self.shell(script, in: folder)
        #expect(edited.status != 0)
        #expect(edited.output.contains("Signature Verification Failure"), "\(edited.output)")
        let refusedAlone = try Self.run(["verify", statement], in: folder, expect: 1)
        #expect(refusedAlone.standardOutput.hasSuffix("NOT verified\n"))
        let refused = try Self.run(["verify", statement, "--contract", Self.maebashi], in: folder, expect: 1)
        #expect(
            refused.standardOutput.contains(
                "REFUSED: the binding certificate of evaluator is not signed by the authority \(authority.fingerprint.prefix(16))…"))
    }

    @Test(arguments: Backend.available)
    func aStatementAlteredAfterIssueOrSignedByTheWrongPartyIsRefused(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let register = try await Self.prepared(backend, in: folder)
        let year = ["--year", "2024", "--register", register]
        for step in [
            ["settle", Self.maebashi, "--key", "finance.key"], ["review", Self.maebashi, "--key", "evaluator.key"],
            ["approve", Self.maebashi, "--key", "finance.key"], ["issue", Self.maebashi, "--key", "finance.key", "--output", "out", "--format", "json"],
        ] {
            _ = try Self.run(step + year, in: folder)
        }
        let statement = folder.appendingPathComponent("out/maebashi-profit-share/provider/payout-provider-FY2024.json").path
        let verify = ["verify", statement, "--contract", Self.maebashi, "--register", register]
        // The city's signature file renamed as the evaluator's: the wrong party signed it.
        try FileManager.default.removeItem(atPath: statement + ".evaluator.sig")
        try FileManager.default.copyItem(atPath: statement + ".maebashi.sig", toPath: statement + ".evaluator.sig")
        let wrongParty = try Self.run(verify, in: folder, expect: 1)
        #expect(
            wrongParty.standardOutput.contains(
                "REFUSED: the signature file named for evaluator was made by member finance-officer (Taro Zaimu) of test-city (Test City), key "))
        #expect(wrongParty.standardOutput.contains(", which does not act for evaluator: a signature by the wrong party\n"))
        // One byte changed after issue.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: statement))
        bytes[bytes.count - 2] = UInt8(ascii: " ")
        try bytes.write(to: URL(fileURLWithPath: statement))
        let altered = try Self.run(verify, in: folder, expect: 1)
        #expect(altered.standardOutput.contains("are not a statement the register holds: altered after issue"))
    }

    /// `kill -9` at random moments of `settle --register` leaves the register whole, and a
    /// re-run completes the year.
    @Test(arguments: Backend.available)
    func aKilledCommandLeavesTheRegisterConsistent(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let contracts = ["maebashi-profit-share.xml", "hachioji-colorectal-screening-sib.xml", "example-sib.xml"]
        let register = try await Self.prepared(
            backend, in: folder, binding: contracts.map { Repository.contracts + "/" + $0 })
        var generator = SystemRandomNumberGenerator()
        for round in 0..<9 {
            let contract = Repository.contracts + "/" + contracts[round % contracts.count]
            let checked = PFS.check(path: contract)
            let year = try #require(checked.contract.flatMap { PFS.settleableYears($0).last })
            let process = Process()
            process.executableURL = CommandRun.binary
            process.currentDirectoryURL = folder
            process.arguments = [
                "settle", contract, "--year", "\(year)", "--register", register, "--key", "finance.key", "--format", "json", "--format", "html",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...120_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let verified = try Self.run(["register", "verify", "--register", register], in: folder)
            #expect(verified.standardOutput.contains("history intact"), "round \(round)")
        }
        // Each contract's year is settled once: a run that was killed before it committed is
        // recorded now, one that committed is refused as already settled.
        for contract in contracts {
            let path = Repository.contracts + "/" + contract
            let checked = PFS.check(path: path)
            let id = try #require(checked.contract?.id)
            let year = try #require(checked.contract.flatMap { PFS.settleableYears($0).last })
            let opened = try await Register.open(RegisterLocation.parse(register))
            let recorded: YearRecord?
            do {
                recorded = try await opened.record(of: id, year: year)
            } catch {
                await opened.close()
                throw error
            }
            await opened.close()
            let run = try CommandRun.pfs(
                ["settle", path, "--year", "\(year)", "--register", register, "--key", "finance.key"], in: folder.path)
            if let record = recorded {
                #expect(run.status == 1)
                #expect(
                    run.standardError.contains(
                        "contract '\(id)' FY\(year) is already settled from this contract version (run \(record.runID))"))
            } else {
                #expect(run.status == 0, "\(run.standardError)")
            }
        }
        let status = try Self.run(["status", "--register", register], in: folder)
        #expect(status.standardOutput.components(separatedBy: "  settled  (run").count - 1 == contracts.count)
    }

    /// Two officers approve the same year at the same moment: exactly one succeeds.
    @Test(arguments: Backend.available)
    func concurrentApprovalsOfOneYearNeverBothSucceed(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let register = try await Self.prepared(backend, in: folder)
        let year = ["--year", "2024", "--register", register]
        _ = try Self.run(["settle", Self.maebashi, "--key", "finance.key"] + year, in: folder)
        _ = try Self.run(["review", Self.maebashi, "--key", "evaluator.key"] + year, in: folder)
        let processes = (0..<4).map { _ in
            let process = Process()
            process.executableURL = CommandRun.binary
            process.currentDirectoryURL = folder
            process.arguments = ["approve", Self.maebashi, "--key", "finance.key"] + year
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.filter { $0.terminationStatus == 0 }.count == 1)
        #expect(processes.filter { $0.terminationStatus == 1 }.count == 3)
        let status = try Self.run(["status", "--register", register], in: folder)
        #expect(status.standardOutput.components(separatedBy: " approved by ").count - 1 == 1)
        let intact = try Self.run(["register", "verify", "--register", register], in: folder)
        #expect(intact.standardOutput.contains("history intact"))
    }

    /// Statements written by `settle --output` before there was a register are adopted as a
    /// settled year when they verify, and refused when one figure was changed.
    @Test(arguments: Backend.available)
    func statementsWrittenBeforeTheRegisterAreAdoptedWhenTheyVerify(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let register = try await Self.prepared(backend, in: folder)
        _ = try Self.run(
            ["settle", Self.maebashi, "--year", "2024", "--output", "old", "--format", "json"], in: folder)
        let annual = folder.appendingPathComponent("old/maebashi-profit-share/settlement-FY2024.json")
        let original = try Data(contentsOf: annual)
        try Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"18\"", with: "\"17\"").utf8)
            .write(to: annual)
        let adopt = ["register", "adopt", Self.maebashi, "--year", "2024", "--from", "old", "--register", register, "--key", "finance.key"]
        let refused = try Self.run(adopt, in: folder, expect: 1)
        #expect(refused.standardError.contains("is not what pfs computes from maebashi-profit-share.xml"))
        try original.write(to: annual)
        let adopted = try Self.run(adopt, in: folder)
        #expect(adopted.standardOutput.contains("3 statements adopted from old"))
        _ = try Self.run(
            ["review", Self.maebashi, "--year", "2024", "--key", "evaluator.key", "--register", register], in: folder)
        let status = try Self.run(["status", "--register", register], in: folder)
        #expect(status.standardOutput.contains("settled by maebashi (public-sector) signed by member finance-officer of test-city (key "))
        #expect(status.standardOutput.contains("): adopted from old\n"))
    }
}
