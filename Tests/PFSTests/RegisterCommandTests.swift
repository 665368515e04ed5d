import Foundation
import PFS
import PFSRegister
import PFSTestSupport
import Testing

/// The register through the `pfs` commands a finance office runs, on both backends.
@Suite(.serialized) struct RegisterCommands {
    static let maebashi = Repository.contracts + "/maebashi-profit-share.xml"

    /// A register at a fresh location, with keys for the evaluator and the city, in `folder`.
    static func prepared(_ backend: Backend, in folder: URL) async throws -> String {
        let register = Backend.argument(try await backend.freshLocation())
        let path = folder.path
        #expect(try CommandRun.pfs(["register", "init", "--register", register], in: path).status == 0)
        for (party, file) in [("evaluator", "evaluator.key"), ("maebashi", "finance.key")] {
            #expect(try CommandRun.pfs(["key", "generate", "--party", party, "--out", file], in: path).status == 0)
            #expect(
                try CommandRun.pfs(
                    ["key", "add", "--party", party, "--public", file + ".pub", "--register", register], in: path
                )
                .status == 0)
        }
        return register
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
        _ = try Self.run(["register", "init", "--register", register], in: folder, expect: 1)
        _ = try Self.run(["settle", Self.maebashi] + year, in: folder)
        _ = try Self.run(["issue", Self.maebashi, "--output", "out", "--format", "json"] + year, in: folder, expect: 1)
        _ = try Self.run(["review", Self.maebashi, "--key", "evaluator.key"] + year, in: folder)
        _ = try Self.run(["approve", Self.maebashi, "--key", "finance.key"] + year, in: folder)
        _ = try Self.run(["issue", Self.maebashi, "--output", "out", "--format", "json"] + year, in: folder)
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
        #expect(verified.standardOutput.contains("signed by evaluator (evaluator)"))
        _ = try Self.run(
            [
                "paid", Self.maebashi, "--payer", "maebashi", "--payee", "provider", "--amount", "18", "--date",
                "2025-06-30",
                "--reference", "TR-2025-0001",
            ] + year, in: folder)
        let status = try Self.run(["status", "maebashi-profit-share", "--register", register], in: folder)
        #expect(status.standardOutput.contains("FY2024  paid"))
        #expect(status.standardOutput.contains("maebashi → provider  due 18  paid 2025-06-30 ref TR-2025-0001"))
        #expect(status.standardOutput.contains("maebashi  FY2024  issued 18  paid 18  outstanding 0"))
        let intact = try Self.run(["register", "verify", "--register", register], in: folder)
        #expect(intact.standardOutput.contains("8 events, history intact\n  head: event 8, hash "))
    }

    @Test(arguments: Backend.available)
    func aStatementAlteredAfterIssueOrSignedByTheWrongPartyIsRefused(_ backend: Backend) async throws {
        let folder = try TemporaryFolder.make()
        let register = try await Self.prepared(backend, in: folder)
        let year = ["--year", "2024", "--register", register]
        for step in [
            ["settle", Self.maebashi], ["review", Self.maebashi, "--key", "evaluator.key"],
            ["approve", Self.maebashi, "--key", "finance.key"], ["issue", Self.maebashi, "--output", "out", "--format", "json"],
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
                "REFUSED: the signature file named for evaluator was made by maebashi's key"))
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
        let register = try await Self.prepared(backend, in: folder)
        var generator = SystemRandomNumberGenerator()
        let contracts = ["maebashi-profit-share.xml", "hachioji-colorectal-screening-sib.xml", "example-sib.xml"]
        for round in 0..<9 {
            let contract = Repository.contracts + "/" + contracts[round % contracts.count]
            let checked = PFS.check(path: contract)
            let year = try #require(checked.contract.flatMap { PFS.settleableYears($0).last })
            let process = Process()
            process.executableURL = CommandRun.binary
            process.arguments = [
                "settle", contract, "--year", "\(year)", "--register", register, "--format", "json", "--format", "html",
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
        // Each contract's year is settled once, whether or not its run was killed.
        for contract in contracts {
            let path = Repository.contracts + "/" + contract
            let year = try #require(PFS.check(path: path).contract.flatMap { PFS.settleableYears($0).last })
            let run = try CommandRun.pfs(
                ["settle", path, "--year", "\(year)", "--register", register], in: folder.path)
            #expect(run.status == 0 || run.standardError.contains("is already settled from this contract version"))
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
        _ = try Self.run(["settle", Self.maebashi] + year, in: folder)
        _ = try Self.run(["review", Self.maebashi, "--key", "evaluator.key"] + year, in: folder)
        let processes = try (0..<4).map { _ in
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
        let adopt = ["register", "adopt", Self.maebashi, "--year", "2024", "--from", "old", "--register", register]
        let refused = try Self.run(adopt, in: folder, expect: 1)
        #expect(refused.standardError.contains("is not what pfs computes from maebashi-profit-share.xml"))
        try original.write(to: annual)
        let adopted = try Self.run(adopt, in: folder)
        #expect(adopted.standardOutput.contains("3 statements adopted from old"))
        _ = try Self.run(
            ["review", Self.maebashi, "--year", "2024", "--key", "evaluator.key", "--register", register], in: folder)
        let status = try Self.run(["status", "--register", register], in: folder)
        #expect(status.standardOutput.contains("unsigned: adopted from old"))
    }
}
