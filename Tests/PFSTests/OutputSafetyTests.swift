import Dispatch
import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements
import PFSTestSupport
import Testing

/// pfs never loses, overwrites or deletes what is not its own (issue 11, items 1–5 and 7).
@Suite struct OutputSafety {
    static let maebashi = Repository.path("Contracts/maebashi-profit-share.xml")

    /// The Maebashi contract with its FY2024 actual changed: another version, same id.
    static func maebashiVersion(actual: String) throws -> String {
        try String(contentsOfFile: maebashi, encoding: .utf8)
            .replacingOccurrences(
                of: #"<actual year="2024" value="2200""#, with: #"<actual year="2024" value="\#(actual)""#)
    }

    /// Runs the commands at once, each in its own process.
    static func concurrently(_ commands: [[String]]) -> [CommandRun?] {
        let results = Collected()
        DispatchQueue.concurrentPerform(iterations: commands.count) { index in
            results.set(index, try? CommandRun.pfs(commands[index]))
        }
        return (0..<commands.count).map { results.get($0) }
    }

    final class Collected: @unchecked Sendable {
        private var runs: [Int: CommandRun] = [:]
        private let lock = NSLock()
        func set(_ index: Int, _ run: CommandRun?) { lock.lock(); runs[index] = run; lock.unlock() }
        func get(_ index: Int) -> CommandRun? { lock.lock(); defer { lock.unlock() }; return runs[index] }
    }

    // MARK: 1. Output paths and what `pfs reports` removes

    @Test(arguments: [
        ["reports", "--output", ""], ["reports", "--contracts", ""], ["reports", "--output", "  "],
        ["settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--output", ""],
        ["portfolio", "Contracts", "--output", ""],
    ])
    func emptyOutputPathIsAUsageError(_ arguments: [String]) throws {
        let run = try CommandRun.pfs(arguments)
        #expect(run.status == 64)
        #expect(run.standardError.contains("must name a directory (it is empty)"))
        #expect(run.standardOutput.isEmpty)
    }

    @Test func statementFileNamesAreRecognised() {
        for name in [
            "settlement-FY2024.ja.txt", "audit-FY2024.json", "payout-provider-FY2024.en.html",
            "payout-a.b_c-d-FY2019.ja.csv",
            "settlement-FY2024.ja-r2.md", "audit-FY2024-r13.json", "settlement-FY2024.ja.pdf", "audit-FY2024.en.xlsx",
        ] {
            #expect(Statement.isStatementFileName(name), "\(name)")
        }
        for name in [
            "notes.txt", "settlement-FY2024.txt", "settlement-FY2024.fr.txt", "audit-FY2024.ja.json",
            "settlement-FY24.ja.txt",
            "payout--FY2024.json", "payout-1x-FY2024.json", "settlement-FY2024.ja-r1.txt", "settlement-FY2024.ja-r.txt",
            "settlement-FY2024-r2.ja.txt",
            ".settlement-FY2024.ja.txt", "settlement-FY2024.ja.txt.bak", "passwd", "settlement-FY2024.ja.docx",
        ] {
            #expect(!Statement.isStatementFileName(name), "\(name)")
        }
    }

    @Test func reportsRemovesOnlyItsOwnStatementsAndSaysSo() throws {
        let output = try HostileInput.temporaryDirectory().path
        let folder = output + "/maebashi-profit-share"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        let keep = ["notes.txt", "sub/settlement-FY2000.ja.txt", "settlement-FY2024.ja.txt.bak"]
        for name in keep { try "mine\n".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8) }
        try "elsewhere\n".write(toFile: output + "/target.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/audit-FY1999.json", withDestinationPath: output + "/target.txt")
        // A statement pfs wrote for this contract that the engine no longer makes (an old
        // year's), and a user's own file that only has a statement's name (issue 28, item 9).
        try FileManager.default.copyItem(
            atPath: Repository.path("Reports/maebashi-profit-share/settlement-FY2024.ja.txt"),
            toPath: folder + "/settlement-FY2000.ja.txt")
        try "my own notes for FY2099\n".write(toFile: folder + "/settlement-FY2099.en.txt", atomically: false, encoding: .utf8)
        try #"{"contract": {"id": "other-contract"}, "engine": {"name": "pfs"}}"#.write(
            toFile: folder + "/audit-FY2098.json", atomically: false, encoding: .utf8)

        let run = try CommandRun.pfs(["reports", "--output", output])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardOutput.contains("removed \(folder)/settlement-FY2000.ja.txt (the engine no longer makes it)\n"))
        #expect(run.standardOutput.hasSuffix(" removed\n") && run.standardOutput.contains(", 1 removed\n"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/settlement-FY2000.ja.txt"))
        #expect(
            run.standardOutput.contains(
                "kept \(folder)/settlement-FY2099.en.txt: named like a statement, but not one pfs wrote for this contract\n"
            ))
        #expect(try String(contentsOfFile: folder + "/settlement-FY2099.en.txt", encoding: .utf8) == "my own notes for FY2099\n")
        #expect(FileManager.default.fileExists(atPath: folder + "/audit-FY2098.json"))
        for name in keep {
            #expect(try String(contentsOfFile: folder + "/" + name, encoding: .utf8) == "mine\n", "\(name)")
        }
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/audit-FY1999.json") == output
                + "/target.txt")
        #expect(try String(contentsOfFile: output + "/target.txt", encoding: .utf8) == "elsewhere\n")
        // A folder that is not a statement file is refused by the removal itself.
        #expect(StatementOutput.removeStatement(at: folder + "/notes.txt", of: "maebashi-profit-share").problem?.check == "output-write")
        #expect(FileManager.default.fileExists(atPath: folder + "/notes.txt"))
    }

    // MARK: 2. Duplicate contract ids

    @Test func duplicateContractIDsAreRefusedBeforeAnythingIsWritten() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let contracts = directory + "/contracts", output = directory + "/out"
        try FileManager.default.createDirectory(atPath: contracts, withIntermediateDirectories: true)
        try Self.maebashiVersion(actual: "2200").write(toFile: contracts + "/a.xml", atomically: false, encoding: .utf8)
        try Self.maebashiVersion(actual: "2300").write(toFile: contracts + "/b.xml", atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(
            atPath: Repository.path("Contracts/example-sib.xml"), toPath: contracts + "/sib.xml")

        let portfolio = try CommandRun.pfs(["portfolio", contracts, "--output", output, "--statements"])
        #expect(portfolio.status == 1)
        #expect(
            portfolio.standardError.contains(
                """
                \(contracts)/a.xml:10: error: [duplicate-contract-id] contract id 'maebashi-profit-share' is also \
                declared by \(contracts)/b.xml;
                """
            ))
        #expect(
            portfolio.standardError.contains(
                """
                \(contracts)/b.xml:10: error: [duplicate-contract-id] contract id 'maebashi-profit-share' is also \
                declared by \(contracts)/a.xml;
                """
            ))
        #expect(portfolio.standardOutput.hasSuffix("2 contracts with errors\n"))
        #expect(!FileManager.default.fileExists(atPath: output + "/maebashi-profit-share"))
        #expect(FileManager.default.fileExists(atPath: output + "/example-sib"))

        let check = try CommandRun.pfs(["check", contracts])
        #expect(check.status == 1)
        #expect(
            check.standardOutput.contains("\(contracts)/a.xml: 1 error\n")
                && check.standardOutput.contains("\(contracts)/b.xml: 1 error\n"))
        #expect(check.standardOutput.contains("[duplicate-contract-id]"))

        let reports = try CommandRun.pfs(["reports", "--contracts", contracts, "--output", output + "-reports"])
        #expect(reports.status == 1)
        #expect(reports.standardError.contains("[duplicate-contract-id]"))
        #expect(!FileManager.default.fileExists(atPath: output + "-reports"))

        // The same file named twice is one contract, not a duplicate.
        let twice = try CommandRun.pfs(["check", contracts + "/a.xml", contracts + "/a.xml"])
        #expect(twice.status == 0)
    }

    // MARK: 3. Concurrent runs

    /// Two versions of one contract settled into one folder at once, many times: one run
    /// issues, the other is refused, and the folder holds exactly one version's set.
    @Test func concurrentSettlesNeverLeaveAMixedSet() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let versions = [directory + "/v1.xml", directory + "/v2.xml"]
        try Self.maebashiVersion(actual: "2200").write(toFile: versions[0], atomically: false, encoding: .utf8)
        try Self.maebashiVersion(actual: "2300").write(toFile: versions[1], atomically: false, encoding: .utf8)
        var references: [[String: String]] = []
        for (index, version) in versions.enumerated() {
            let reference = directory + "/reference-\(index)"
            #expect(try CommandRun.pfs(["settle", version, "--year", "2024", "--output", reference]).status == 0)
            references.append(try Self.contents(of: reference + "/maebashi-profit-share"))
        }
        #expect(references[0] != references[1] && references[0].keys == references[1].keys)
        for round in 0..<6 {
            let output = directory + "/race-\(round)"
            let runs = Self.concurrently(versions.map { ["settle", $0, "--year", "2024", "--output", output] })
            let statuses = runs.map { $0?.status ?? -1 }.sorted()
            #expect(statuses == [0, 1], "round \(round): \(runs.map { $0?.standardError ?? "" })")
            #expect(runs.contains { $0?.standardError.contains("[statement-exists]") == true })
            let written = try Self.contents(of: output + "/maebashi-profit-share")
            #expect(written == references[0] || written == references[1], "round \(round): a mixed set")
        }
    }

    /// With --new-revision both runs issue: one as the first revision, the other as -r2,
    /// and neither is lost.
    @Test func concurrentNewRevisionsAreNeverLost() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let versions = [directory + "/v1.xml", directory + "/v2.xml"]
        try Self.maebashiVersion(actual: "2200").write(toFile: versions[0], atomically: false, encoding: .utf8)
        try Self.maebashiVersion(actual: "2300").write(toFile: versions[1], atomically: false, encoding: .utf8)
        for round in 0..<6 {
            let output = directory + "/race-\(round)"
            let runs = Self.concurrently(
                versions.map {
                    [
                        "settle", $0, "--year", "2024", "--output", output, "--new-revision",
                        "--document", "settlement",
                    ]
                })
            #expect(runs.map { $0?.status ?? -1 } == [0, 0], "round \(round): \(runs.map { $0?.standardError ?? "" })")
            let written = try Self.contents(of: output + "/maebashi-profit-share")
            #expect(written.keys.sorted() == ["settlement-FY2024.ja-r2.txt", "settlement-FY2024.ja.txt"])
            #expect(Set(written.values).count == 2, "round \(round): one revision lost")
        }
    }

    static func contents(of folder: String) throws -> [String: String] {
        var contents: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            contents[name] = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        }
        return contents
    }

    // MARK: 4. Temporary files of killed runs

    @Test func temporaryFilesOfAKilledRunAreRemoved() throws {
        let output = try HostileInput.temporaryDirectory().path
        let folder = output + "/maebashi-profit-share"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let leftover = folder + "/.settlement-FY2024.ja.txt.pfs-999999-42-1"
        let notOurs = folder + "/.settlement-FY2024.ja.txt.swp"
        try "partial".write(toFile: leftover, atomically: false, encoding: .utf8)
        try "editor".write(toFile: notOurs, atomically: false, encoding: .utf8)
        let run = try CommandRun.pfs(["settle", Self.maebashi, "--year", "2024", "--output", output])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("removed \(leftover) (left by a run that was stopped)\n"))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(FileManager.default.fileExists(atPath: notOurs))
    }

    /// A run killed with SIGKILL while writing a large portfolio leaves hidden temporary
    /// files at most; the next run removes them and leaves none of its own.
    @Test func aRunKilledWhileWritingIsCleanedUpByTheNext() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let output = directory + "/out"
        let process = Process()
        process.executableURL = CommandRun.binary
        process.arguments = [
            "portfolio", Repository.contracts, "--output", output, "--statements", "--format", "html", "--format",
            "text",
            "--lang", "ja", "--lang", "en", "--document", "settlement", "--document", "audit", "--document", "payout",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(150_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let again = try CommandRun.pfs([
            "portfolio", Repository.contracts, "--output", output, "--statements", "--format", "html", "--format",
            "text",
            "--lang", "ja", "--lang", "en", "--document", "settlement", "--document", "audit", "--document", "payout",
        ])
        #expect(again.status == 0, "\(again.standardError)")
        let left = (FileManager.default.subpaths(atPath: output) ?? []).filter { $0.contains(".pfs-") }
        #expect(left.isEmpty, "\(left)")
    }

    // MARK: 5. Output failures stop a portfolio run

    @Test func portfolioOutputPathThatIsAFileExits70WithOneMessage() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let file = directory + "/not-a-folder"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let run = try CommandRun.pfs(["portfolio", "Contracts", "--output", file])
        #expect(run.status == 70)
        #expect(run.standardError.components(separatedBy: "error:").count == 2, "\(run.standardError)")
        #expect(
            run.standardError.hasPrefix(
                "\(file): error: [output-write] cannot create the output folder: Not a directory\n"))
    }

    @Test func portfolioStopsAtTheFirstOutputError() throws {
        let output = try HostileInput.temporaryDirectory().path
        // One contract's folder is taken by a file: writing it fails, and the run stops.
        try "x".write(toFile: output + "/example-claw-back", atomically: false, encoding: .utf8)
        let run = try CommandRun.pfs(["portfolio", "Contracts", "--output", output, "--jobs", "1", "--statements"])
        #expect(run.status == 70)
        #expect(run.standardError.components(separatedBy: "error:").count == 2, "\(run.standardError)")
        #expect(
            run.standardError.contains(
                """
                \(output)/example-claw-back: error: [output-write] cannot create the folder for the statements: \
                Not a directory
                """
            ))
        #expect(run.standardError.contains("pfs: stopped at the first output error"))
        // Contracts after it (in file order) were not settled.
        #expect(!FileManager.default.fileExists(atPath: output + "/maebashi-profit-share"))
    }

    // MARK: 7. Files that are not regular files

    @Test func aFIFOInAPortfolioFolderIsSkippedNotWaitedOn() throws {
        let directory = try HostileInput.temporaryDirectory().path
        try FileManager.default.copyItem(atPath: Self.maebashi, toPath: directory + "/maebashi.xml")
        #expect(mkfifo(directory + "/pipe.xml", 0o644) == 0)
        let portfolio = try CommandRun.pfs(["portfolio", directory, "--output", directory + "/out"])
        #expect(portfolio.status == 0)
        #expect(portfolio.standardError.contains("\(directory)/pipe.xml: warning: [file-skipped] not a regular file"))
        #expect(portfolio.standardOutput.contains("\n1 contract, "))
        let check = try CommandRun.pfs(["check", directory])
        #expect(check.status == 0)
        #expect(check.standardOutput.contains("[file-skipped]"))
        // Named on its own, a FIFO with no writer is read as what it holds (nothing), at once.
        let named = try CommandRun.pfs(["check", directory + "/pipe.xml"])
        #expect(named.status == 1)
        #expect(named.standardOutput.contains("[xml-syntax] the file is empty"))
    }
}

/// A statement issued with --new-revision says it is a revision and which statement it
/// replaces (issue 11, item 22).
@Suite struct Revisions {
    @Test func aRevisionNamesTheStatementItReplacesAndVerifies() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let contract = directory + "/c.xml", output = directory + "/out"
        try OutputSafety.maebashiVersion(actual: "2200").write(toFile: contract, atomically: false, encoding: .utf8)
        let arguments = [
            "settle", contract, "--year", "2024", "--output", output, "--format", "text", "--format", "json", "--lang",
            "en",
        ]
        #expect(try CommandRun.pfs(arguments).status == 0)
        let folder = output + "/maebashi-profit-share"
        let first = try Data(contentsOf: URL(fileURLWithPath: folder + "/settlement-FY2024.en.txt"))
        try OutputSafety.maebashiVersion(actual: "2100").write(toFile: contract, atomically: false, encoding: .utf8)
        let revised = try CommandRun.pfs(arguments + ["--new-revision"])
        #expect(revised.status == 0)
        #expect(revised.standardOutput.contains("wrote \(folder)/settlement-FY2024.en-r2.txt\n"))
        let text = try String(contentsOfFile: folder + "/settlement-FY2024.en-r2.txt", encoding: .utf8)
        let value = "2, replaces settlement-FY2024.en.txt (SHA-256"
        #expect(PaymentYears.fact("Revision", in: text) == value)
        // The digest wraps onto the next line, under the value.
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Revision ") })
        let indent = String(repeating: " ", count: line.count - value.count)
        #expect(text.contains("\n" + indent + PFS.sha256Hex(Array(first)) + ")\n"))
        let json = try String(contentsOfFile: folder + "/settlement-FY2024-r2.json", encoding: .utf8)
        #expect(json.contains("\"replaces\" : \"settlement-FY2024.json\""))
        // The same figures again: every statement is unchanged, no revision 3.
        let again = try CommandRun.pfs(arguments + ["--new-revision"])
        #expect(again.status == 0)
        #expect(!again.standardOutput.contains("wrote"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/settlement-FY2024-r3.json"))
        // The revision verifies against the contract it was made from.
        let verify = try CommandRun.pfs(["verify", folder + "/settlement-FY2024-r2.json", "--contract", contract])
        #expect(verify.status == 0)
        #expect(verify.standardOutput.hasSuffix("verified\n"))
    }
}
