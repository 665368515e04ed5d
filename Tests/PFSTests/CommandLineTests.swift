import Foundation
import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSOutput
import PFSStatements
import PFSTestSupport
import Testing

/// Runs the real `pfs` binary and checks output and exit status.
@Suite struct CommandLineInterface {
    let maebashi = "Contracts/maebashi-profit-share.xml"

    @Test func checkCleanContract() throws {
        let run = try CommandRun.pfs(["check", maebashi])
        #expect(run.status == 0)
        #expect(run.standardOutput == "Contracts/maebashi-profit-share.xml: ok (format 1)\n")
    }

    @Test func checkReportsFileLineAndProblem() throws {
        let run = try CommandRun.pfs(["check", "Tests/PFSTests/Fixtures/invalid/reference-unknown.xml", maebashi])
        #expect(run.status == 1)
        #expect(
            run.standardOutput.hasPrefix(
                """
                Tests/PFSTests/Fixtures/invalid/reference-unknown.xml:22:27: error: [reference-unknown] project \
                'project' names payer 'town', which is not a declared party\n
                """
            ))
        #expect(run.standardOutput.contains("reference-unknown.xml: 3 errors\n"))
        #expect(run.standardOutput.hasSuffix("Contracts/maebashi-profit-share.xml: ok (format 1)\n"))
    }

    @Test func checkJSONCarriesTheSameDiagnostics() throws {
        let run = try CommandRun.pfs(["check", "--json", "Tests/PFSTests/Fixtures/invalid/share-range.xml"])
        #expect(run.status == 1)
        struct Output: Decodable {
            struct File: Decodable { let file: String; let ok: Bool; let diagnostics: [Diagnostic] }
            let files: [File]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(run.standardOutput.utf8))
        let file = try #require(output.files.first)
        #expect(!file.ok)
        #expect(file.diagnostics.map(\.check) == ["share-range", "share-range"])
        #expect(file.diagnostics[0].location.line == 24)
        #expect(file.diagnostics[0].hint == "write shares as fractions: 0.3 for 30%")
    }

    @Test func missingFile() throws {
        let run = try CommandRun.pfs(["check", "Contracts/no-such-contract.xml"])
        #expect(run.status == 1)
        #expect(
            run.standardOutput.hasPrefix(
                "Contracts/no-such-contract.xml: error: [file-unreadable] no such file\n  hint: check the path\n"))
        // The command expands a directory to its contracts; the loader refuses one.
        let directory = try CommandRun.pfs(["check", "Contracts"])
        #expect(directory.status == 0)
        #expect(directory.standardOutput.hasSuffix("Contracts/maebashi-profit-share.xml: ok (format 1)\n"))
        #expect(
            directory.standardOutput.split(separator: "\n").count
                == (try FileManager.default.contentsOfDirectory(atPath: Repository.contracts)).filter {
                    $0.hasSuffix(".xml")
                }.count)
        #expect(
            PFS.check(path: Repository.contracts, displayName: "Contracts").diagnostics.map(\.rendered)
                == [
                    """
                    Contracts: error: [file-unreadable] this is a directory, not a contract file\n  hint: name a \
                    contract .xml file
                    """
                ])
    }

    /// Each usage error, with the first line it prints.
    static let usageErrors: [(arguments: [String], error: String)] = [
        (["check"], "Error: Missing expected argument '<files> ...'"),
        (["settle", "Contracts/maebashi-profit-share.xml"], "Error: give either --year YEAR or --all"),
        (
            ["settle", "Contracts/maebashi-profit-share.xml", "--year", "R6"],
            "Error: The value 'R6' is invalid for '--year <year>'"
        ),
        (
            ["settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf"],
            "Error: PDF statements are written to files: add --output DIR"
        ),
        (
            ["settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "text", "--format", "json"],
            "Error: several --format values need --output DIR"
        ),
        (["frobnicate"], "Error: Unexpected argument 'frobnicate'"),
        (
            ["settle", "Contracts/maebashi-profit-share.xml", "--all", "--year", "2024"],
            "Error: give either --year YEAR or --all"
        ),
        (
            ["settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--new-revision"],
            "Error: --new-revision needs --output DIR"
        ),
        (["check", "--jobs", "0", "Contracts"], "Error: --jobs must be at least 1"),
        (["portfolio", "Contracts"], "Error: Missing expected argument '--output <output>'"),
    ]

    @Test(arguments: 0..<usageErrors.count)
    func usageErrorsExit64(_ index: Int) throws {
        let (arguments, error) = Self.usageErrors[index]
        let run = try CommandRun.pfs(arguments)
        #expect(run.status == 64)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.split(separator: "\n").first.map(String.init) == error, "\(arguments)")
    }

    @Test func settleJSONReportsTheMaebashiFigures() throws {
        let run = try CommandRun.pfs(["settle", maebashi, "--year", "2024", "--format", "json"])
        #expect(run.status == 0)
        let settlement = try JSONStatement.decode(run.standardOutput)
        let itemC = try #require(settlement.kpis.first { $0.id == "item-c" })
        #expect(itemC.improvement?.description == "300")
        #expect(settlement.projects.map(\.attributable.description) == ["90"])
        #expect(settlement.totals.providerRewards.description == "18")
        #expect(settlement.totals.publicShare.description == "72")
        #expect(settlement.amounts.label.ja == "千円")
        let bytes = try [UInt8](Data(contentsOf: Repository.root.appendingPathComponent(maebashi)))
        #expect(settlement.contract.sha256 == PFS.sha256Hex(bytes))
        #expect(settlement.engine.version == PFS.version)
    }

    @Test func settleRefusesAYearOutsideTheTermAndPrintsNothing() throws {
        let run = try CommandRun.pfs(["settle", maebashi, "--year", "2030"])
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(
            run.standardError.hasPrefix(
                """
                Contracts/maebashi-profit-share.xml:16:3: error: [settle-year-in-term] fiscal year 2030 is \
                outside the contract's term 2020–2024\n
                """
            ))
    }

    @Test func settleWritesNothingWhenAContractHasErrors() throws {
        let directory = try HostileInput.temporaryDirectory()
        let run = try CommandRun.pfs([
            "settle", "Tests/PFSTests/Fixtures/invalid/share-range.xml", "--year", "2024", "--output", directory.path,
        ])
        #expect(run.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func settleWritesEveryDocumentInEachFormatUnderOutput() throws {
        let directory = try HostileInput.temporaryDirectory()
        let run = try CommandRun.pfs([
            "settle", maebashi, "--year", "2024", "--format", "text", "--format", "json", "--lang", "en",
            "--output", directory.path,
        ])
        #expect(run.status == 0)
        let expected = [
            "settlement-FY2024.en.txt", "settlement-FY2024.json", "payout-provider-FY2024.en.txt",
            "payout-provider-FY2024.json", "audit-FY2024.en.txt", "audit-FY2024.json",
        ]
        #expect(run.standardOutput == expected.map { "wrote \(directory.path)/maebashi-profit-share/\($0)\n" }.joined())
        for (file, arguments) in [
            ("settlement-FY2024.en.txt", ["--lang", "en"]), ("settlement-FY2024.json", ["--format", "json"]),
            ("payout-provider-FY2024.json", ["--format", "json", "--party", "provider"]),
            ("audit-FY2024.en.txt", ["--document", "audit", "--lang", "en"]),
        ] {
            let path = directory.path + "/maebashi-profit-share/" + file
            let printed = try CommandRun.pfs(["settle", maebashi, "--year", "2024"] + arguments).standardOutput
            #expect(StatementOutput.holds(path, printed), "\(file) differs from what settle prints")
        }
    }

    @Test func statementsDoNotDependOnTheWorkingDirectory() throws {
        let fromRoot = try CommandRun.pfs(["settle", maebashi, "--year", "2024"]).standardOutput
        let fromContracts = try CommandRun.pfs(
            ["settle", "maebashi-profit-share.xml", "--year", "2024"], in: Repository.contracts
        ).standardOutput
        #expect(fromRoot == fromContracts)
    }

    @Test func issuedStatementsAreNeverSilentlyReplaced() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let arguments = [
            "settle", maebashi, "--year", "2024", "--document", "settlement", "--lang", "en", "--output", directory,
        ]
        let path = directory + "/maebashi-profit-share/settlement-FY2024.en.txt"
        #expect(try CommandRun.pfs(arguments).standardOutput == "wrote \(path)\n")
        // Same inputs again: nothing to do.
        let again = try CommandRun.pfs(arguments)
        #expect(again.status == 0)
        #expect(again.standardOutput == "unchanged \(path)\n")
        // A different statement on disk (issued earlier from other data) is not overwritten.
        let issued = "an earlier statement\n"
        try issued.write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try CommandRun.pfs(arguments)
        #expect(refused.status == 1)
        #expect(refused.standardOutput.isEmpty)
        #expect(
            refused.standardError == """
                \(path): error: [statement-exists] already holds a different statement; pfs does not overwrite an issued statement
                  hint: compare the two; to issue a corrected statement run again with --new-revision, which writes settlement-FY2024.en-r2.txt beside it

                """)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == issued)
        // Asked for explicitly, the new statement becomes revision 2; repeating it is a no-op.
        let revised = try CommandRun.pfs(arguments + ["--new-revision"])
        let revisionPath = directory + "/maebashi-profit-share/settlement-FY2024.en-r2.txt"
        #expect(revised.standardOutput == "wrote \(revisionPath)\n")
        #expect(try CommandRun.pfs(arguments + ["--new-revision"]).standardOutput == "unchanged \(revisionPath)\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == issued)
    }

    /// A set of statements becomes visible only when all are written and flushed; until
    /// then they are hidden temporary files beside their targets, which a failure removes.
    @Test func statementBatchShowsNothingUntilCommitted() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let first = directory + "/contract/settlement-FY2024.json",
            second = directory + "/contract/settlement-FY2025.json"
        let batch = StatementBatch()
        #expect(batch.stage(Array("one\n".utf8), to: first) == nil)
        #expect(batch.stage(Array("two\n".utf8), to: second) == nil)
        let staged = try FileManager.default.contentsOfDirectory(atPath: directory + "/contract")
        #expect(staged.count == 2 && staged.allSatisfy { $0.hasPrefix(".settlement-FY202") && $0.contains(".pfs-") })
        #expect(!FileManager.default.fileExists(atPath: first) && !FileManager.default.fileExists(atPath: second))
        #expect(batch.commit() == nil)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory + "/contract").sorted() == [
                "settlement-FY2024.json", "settlement-FY2025.json",
            ])
        #expect(StatementOutput.holds(first, "one\n") && StatementOutput.holds(second, "two\n"))

        let discarded = StatementBatch()
        #expect(discarded.stage(Array("three\n".utf8), to: directory + "/other/audit-FY2024.json") == nil)
        discarded.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/other").isEmpty)
        #expect(discarded.commit() == nil)

        let blocked = StatementBatch().stage([], to: "/dev/null/reports/settlement-FY2024.json")
        #expect(blocked?.check == "output-write")
        #expect(blocked?.message == "cannot write the statement: Not a directory")
        #expect(blocked?.location.file == "/dev/null/reports/settlement-FY2024.json")
    }

    @Test func unwritableOutputExits70() throws {
        let run = try CommandRun.pfs(["settle", maebashi, "--year", "2024", "--output", "/dev/null/reports"])
        #expect(run.status == 70)
        #expect(
            run.standardError
                == """
                /dev/null/reports/maebashi-profit-share: error: [output-write] cannot create the folder for the \
                statements: Not a directory\n
                """
        )
    }

    @Test func settleAllYearsInOrderWithCumulativePayments() throws {
        let run = try CommandRun.pfs([
            "settle", "Contracts/hachioji-colorectal-screening-sib.xml", "--all", "--format", "json",
        ])
        #expect(run.status == 0)
        let settlements = try JSONDecoder().decode([Settlement].self, from: Data(run.standardOutput.utf8))
        #expect(settlements.map(\.fiscalYear.year) == [2017, 2018, 2019])
        #expect(settlements.map { $0.paymentTotals?.paidToDate.description } == ["2441", "5401", "5401"])
        let maebashi = try CommandRun.pfs(["settle", maebashi, "--all"])
        #expect(maebashi.status == 0)
        #expect(
            maebashi.standardError
                == """
                Contracts/maebashi-profit-share.xml: note: not settled, nothing to settle or data missing yet: \
                FY2020, FY2021, FY2022, FY2023\n
                """
        )
        #expect(
            maebashi.standardOutput == (try CommandRun.pfs(["settle", self.maebashi, "--year", "2024"])).standardOutput)
    }

    @Test func portfolioSettlesEveryContractAndYear() throws {
        let output = try HostileInput.temporaryDirectory().path
        let run = try CommandRun.pfs(["portfolio", "Contracts", "--output", output, "--statements"])
        #expect(run.status == 0)
        let expected = try ReportSet.generate(contractsDirectory: Repository.contracts).get().filter {
            $0.path.contains("/settlement-FY") && $0.path.hasSuffix(".json")
        }
        let contracts = try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter {
            $0.hasSuffix(".xml")
        }.count
        #expect(
            run.standardOutput.hasSuffix(
                " ledger rows, \(expected.count) statements in \(output), 0 contracts with errors\n"))
        #expect(run.standardOutput.contains("\n\(contracts) contracts, "))
        for file in expected {
            #expect(try String(contentsOfFile: output + "/" + file.path, encoding: .utf8) == file.content)
        }
        // Again: everything is unchanged and counted as such; a broken contract fails alone.
        let again = try CommandRun.pfs([
            "portfolio", "Contracts", "Tests/PFSTests/Fixtures/invalid/share-range.xml", "--output", output,
            "--statements",
        ])
        #expect(again.status == 1)
        #expect(
            again.standardOutput.hasSuffix(
                " ledger rows, \(expected.count) statements in \(output), 1 contract with errors\n"))
        #expect(again.standardOutput.contains("\n\(contracts + 1) contracts, "))
        #expect(
            again.standardError.hasPrefix("Tests/PFSTests/Fixtures/invalid/share-range.xml:24:7: error: [share-range]"))
    }
}
