import Foundation
import PFSLedger
import PFSLoader
import PFSModel
import PFSOutput
import PFSStatements
import PFSTestSupport
import Testing

@testable import PFS

/// `pfs verify`: every issued JSON statement recomputes from its contract; an altered
/// figure or a changed contract is caught; layout changes to the XML are not changes.
@Suite struct Verifying {
    static let maebashi = Repository.path("Contracts/maebashi-profit-share.xml")
    static let statement = Repository.path("Reports/maebashi-profit-share/settlement-FY2024.json")

    /// Every JSON statement under Reports/ and the contract it was made from (the value
    /// documents, `pfs value`'s, are not statements of a year: `pfs verify` refuses them, and
    /// the golden test holds them).
    static func issuedStatements() throws -> [(statement: String, contract: String)] {
        var pairs: [(String, String)] = []
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            guard let contract = PFS.check(path: path).contract else { continue }
            let directory = Repository.reports + "/" + contract.id
            for file in FileManager.default.subpaths(atPath: directory) ?? []
            where file.hasSuffix(".json") && !file.hasPrefix("value-") {
                pairs.append((directory + "/" + file, path))
            }
        }
        return pairs.sorted { $0.0 < $1.0 }
    }

    @Test func everyIssuedStatementVerifies() throws {
        let issued = try Self.issuedStatements()
        #expect(issued.count > 60)
        for (statement, contract) in issued {
            let report = try Verification.verify(statementPath: statement, contractPath: contract).get()
            #expect(
                report.verified,
                """
                \(statement): \
                \(report.differences.prefix(3).map { "\($0.path): \($0.statement) → \($0.recomputed)" })
                """
            )
            #expect(!report.contractChanged)
            #expect(report.ruleChanges.isEmpty)
        }
    }

    /// Alters one value of a statement and returns where verify says it differs.
    func alter(_ statement: String, replacing old: String, with new: String) throws -> [Verification.Difference] {
        let text = try String(contentsOfFile: statement, encoding: .utf8)
        let altered = text.replacingOccurrences(of: old, with: new)
        #expect(altered != text, "the statement has no \(old)")
        let path = try HostileInput.temporaryDirectory().path + "/statement.json"
        try altered.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try Verification.verify(statementPath: path, contractPath: Self.maebashi).get()
        #expect(!report.verified)
        #expect(!report.contractChanged)
        return report.differences
    }

    @Test func anAlteredFigureIsFoundWherever() throws {
        // The provider's 18 made 19 in the annual settlement…
        let settlement = try alter(Self.statement, replacing: #""amount" : "18""#, with: #""amount" : "19""#)
        #expect(
            settlement == [
                .init(path: "projects[smart-city].allocations[1].amount", statement: "\"19\"", recomputed: "\"18\""),
                .init(path: "totals.byParty[1].amount", statement: "\"19\"", recomputed: "\"18\""),
            ])
        // …in the payout statement, and in the audit trail's calculation.
        let payout = try alter(
            Repository.path("Reports/maebashi-profit-share/payout-provider-FY2024.json"),
            replacing: #""amount" : "18""#, with: #""amount" : "180""#)
        #expect(
            payout.contains(
                .init(
                    path: "sections[amounts].tables[amounts].rows[0].amount", statement: "\"180\"", recomputed: "\"18\""
                )))
        let audit = try alter(
            Repository.path("Reports/maebashi-profit-share/audit-FY2024.json"),
            replacing: #""value" : "2200""#, with: #""value" : "2100""#)
        #expect(audit.map(\.path) == ["sections[inputs].tables[inputs].rows[6].value"])
    }

    @Test func aChangedContractIsNamedAsSuch() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let text = try String(contentsOfFile: Self.maebashi, encoding: .utf8)
        let changed = text.replacingOccurrences(
            of: #"<actual year="2024" value="2200""#, with: #"<actual year="2024" value="2100""#)
        #expect(changed != text)
        let contract = directory + "/maebashi-profit-share.xml"
        try changed.write(toFile: contract, atomically: true, encoding: .utf8)
        let report = try Verification.verify(statementPath: Self.statement, contractPath: contract).get()
        #expect(report.contractChanged)
        #expect(!report.verified)
        #expect(
            report.differences.contains(
                .init(path: "projects[smart-city].allocations[1].amount", statement: "\"18\"", recomputed: "\"24\"")))
        let run = try CommandRun.pfs(["verify", Self.statement, "--contract", contract])
        #expect(run.status == 1)
        #expect(
            run.standardOutput.contains(
                "  contract changed since the statement was issued: digest at issue 91133d6843c83869343cd61b2fff32e973bf03b073f0231fad13f9c2268e7c55, now "
            ))
        #expect(run.standardOutput.hasSuffix("NOT verified\n"))
    }

    @Test func layoutIsNotAChange() throws {
        let text = try String(contentsOfFile: Self.maebashi, encoding: .utf8)
        // Re-indented, attributes swapped, a comment added, single quotes: same content.
        let relaid = text.replacingOccurrences(of: "\n    ", with: "\n\t\t")
            .replacingOccurrences(
                of: #"<actual year="2024" value="2200""#, with: #"<actual   value='2200'  year="2024""#
            )
            .replacingOccurrences(of: "<kpis>", with: "<kpis><!-- reviewed -->")
        #expect(relaid != text)
        let original = try #require(CanonicalForm.bytes(of: Array(text.utf8), file: "a.xml"))
        #expect(CanonicalForm.bytes(of: Array(relaid.utf8), file: "b.xml") == original)
        // A changed value is a different canonical form.
        let changed = text.replacingOccurrences(of: #"value="2200""#, with: #"value="2200.0""#)
        #expect(CanonicalForm.bytes(of: Array(changed.utf8), file: "c.xml") != original)
        #expect(CanonicalForm.bytes(of: Array("<a>".utf8), file: "d.xml") == nil)

        let directory = try HostileInput.temporaryDirectory().path
        let contract = directory + "/renamed.xml"
        try relaid.write(toFile: contract, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["verify", Self.statement, "--contract", contract])
        #expect(run.status == 0)
        #expect(
            run.standardOutput == """
                \(Self.statement): pfs-settlement/1, FY2024, recomputed from \(contract)
                  contract unchanged: digest 91133d6843c83869343cd61b2fff32e973bf03b073f0231fad13f9c2268e7c55
                  contract file differs from the one the statement records: SHA-256 at issue \(PFS.sha256Hex(Array(text.utf8))), now \(PFS.sha256Hex(Array(relaid.utf8))) (same content: formatting only)
                  settlement digest matches: 7e97c28d4ce0bc9706cfd1a99f10d1929e685997d6fe7dfce7dc6f5c6e4ca77d
                verified

                """)
    }

    @Test func statementsVerifyCannotReadAreReported() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let notJSON = directory + "/settlement.txt"
        try "Annual settlement\n".write(toFile: notJSON, atomically: true, encoding: .utf8)
        let foreign = directory + "/other.json"
        try #"{"format": "something/2"}"#.write(toFile: foreign, atomically: true, encoding: .utf8)
        let several = directory + "/all.json"
        try CommandRun.pfs(["settle", "Contracts/hachioji-colorectal-screening-sib.xml", "--all", "--format", "json"])
            .standardOutput
            .write(toFile: several, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (
                [several],
                """
                \(several): error: [statement-several] holds several statements (as `pfs settle --all --format \
                json` prints them); pfs verifies one statement at a time\n  hint: write the statements with \
                --output DIR and verify each file\n
                """
            ),
            (
                [directory + "/missing.json"],
                """
                \(directory)/missing.json: error: [statement-unreadable] cannot read the statement\n  hint: check \
                the path and permissions\n
                """
            ),
            (
                [notJSON],
                """
                \(notJSON):1:1: error: [statement-not-json] is not valid JSON: expected a value\n  hint: verify \
                the .json statement pfs wrote; text, Markdown, HTML and CSV statements are made from the same \
                figures\n
                """
            ),
            (
                [foreign],
                """
                \(foreign): error: [statement-format] is not a statement pfs can verify (format 'something/2'; it \
                needs a format, a fiscal year and the contract's file name)\n  hint: pfs verifies \
                pfs-settlement/1, pfs-payout/1, pfs-audit/1 and pfs-value/1 documents\n
                """
            ),
        ]
        for (arguments, expected) in cases {
            let run = try CommandRun.pfs(["verify"] + arguments + ["--contract", Self.maebashi])
            #expect(run.status == 1)
            #expect(run.standardError == expected)
        }
        let payout = try String(
            contentsOfFile: Repository.path("Reports/maebashi-profit-share/payout-provider-FY2024.json"),
            encoding: .utf8)
        let stranger = directory + "/payout-stranger.json"
        try payout.replacingOccurrences(of: #""party" : "provider""#, with: #""party" : "stranger""#).write(
            toFile: stranger, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["verify", stranger, "--contract", Self.maebashi])
        #expect(run.status == 1)
        #expect(
            run.standardError.hasPrefix(
                """
                \(stranger): error: [statement-party] the statement is for party 'stranger', which receives \
                nothing under the contract as it is now\n
                """
            ))
    }
}

/// A forged or hostile statement is refused clearly and printed safely (issue 11, items
/// 9, 10 and 25).
@Suite struct VerifyingHostileStatements {
    static let statementText = { () -> String in
        (try? String(contentsOfFile: Verifying.statement, encoding: .utf8)) ?? ""
    }()

    func verify(
        _ text: String, name: String = "statement.json", contract: String = Verifying.maebashi
    ) throws -> CommandRun {
        let path = try HostileInput.temporaryDirectory().path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try CommandRun.pfs(["verify", path, "--contract", contract])
    }

    /// A second "amount" before the real one used to win silently and verify.
    @Test func duplicateKeysAreRefused() throws {
        let forged = Self.statementText.replacingOccurrences(
            of: #""providerRewards" : "18""#, with: #""providerRewards" : "1800", "providerRewards" : "18""#)
        #expect(forged != Self.statementText)
        let run = try verify(forged)
        #expect(run.status == 1)
        #expect(
            run.standardError.contains(
                "error: [statement-duplicate-key] the key \"providerRewards\" appears twice in one object"))
        #expect(!run.standardOutput.contains("verified"))
    }

    @Test func aSyntaxErrorHasItsLineAndColumn() throws {
        let broken = Self.statementText.replacingOccurrences(of: #""currency" : "JPY","#, with: #""currency" : "JPY""#)
        let run = try verify(broken)
        #expect(run.status == 1)
        #expect(
            run.standardError.contains(
                "statement.json:4:5: error: [statement-not-json] is not valid JSON: expected ',' or '}'"),
            "\(run.standardError)")
    }

    @Test func aHugeStatementIsRefusedUnread() throws {
        let path = try HostileInput.temporaryDirectory().path + "/huge.json"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(Verification.maximumStatementBytes + 1))
        try handle.close()
        let run = try CommandRun.pfs(["verify", path, "--contract", Verifying.maebashi])
        #expect(run.status == 1)
        #expect(
            run.standardError.hasPrefix("\(path): error: [input-too-large] the statement has more than 67108864 bytes"))
    }

    /// An ESC sequence in a value is printed escaped, and a long value shortened.
    @Test func valuesArePrintedSafely() throws {
        let escape = "\\u001B[2K\\u001B[1A"
        let long = String(repeating: "x", count: 5_000)
        let altered = Self.statementText
            .replacingOccurrences(of: #""ja" : "千円""#, with: #""ja" : "千円\#(escape)""#)
            .replacingOccurrences(of: #""en" : "thousand yen""#, with: #""en" : "\#(long)""#)
        let run = try verify(altered)
        #expect(run.status == 1)
        #expect(!run.standardOutput.contains("\u{1B}"))
        #expect(run.standardOutput.contains(#"amounts.label.ja: "千円\u{1B}[2K\u{1B}[1A" → "千円""#))
        #expect(run.standardOutput.contains("… (5000 characters)\" → \"thousand yen\""))
        #expect(!run.standardOutput.contains(long))
        #expect(run.standardOutput.hasSuffix("NOT verified\n"))
    }

    /// Verified against the wrong contract, the first and only thing said is so.
    @Test func theWrongContractIsNamedFirst() throws {
        let run = try CommandRun.pfs(["verify", Verifying.statement, "--contract", "Contracts/example-sib.xml"])
        #expect(run.status == 1)
        #expect(
            run.standardError == """
                \(Verifying.statement): error: [statement-contract] the statement was made from contract 'maebashi-profit-share' (digest 91133d6843c83869343cd61b2fff32e973bf03b073f0231fad13f9c2268e7c55), not from 'example-sib' in Contracts/example-sib.xml
                  hint: verify it against the contract it was issued from

                """)
        #expect(run.standardOutput.isEmpty)
    }

    @Test func strictJSONReadsWhatPfsWritesAndNothingLoose() {
        #expect(StrictJSONProbe.problem(Self.statementText) == nil)
        #expect(StrictJSONProbe.problem(#"{"a": 1, "b": [1, 2, {"a": 2}]}"#) == nil)
        #expect(
            StrictJSONProbe.problem(#"{"a": 1, "a": 2}"#)
                == "1:10 the key \"a\" appears twice in one object")
        #expect(StrictJSONProbe.problem(#"{"a": 1, "\u0061": 2}"#) == "1:10 the key \"a\" appears twice in one object")
        #expect(StrictJSONProbe.problem(#"{"a": 01}"#) == "1:7 '01' is not a number")
        #expect(StrictJSONProbe.problem(#"{"a": "\q"}"#) == "1:8 '\\q' is not a JSON escape")
        #expect(StrictJSONProbe.problem("{\n  \"a\": tru\n}") == "2:8 expected a value")
        #expect(StrictJSONProbe.problem(#"{"a": "x"} {}"#) == "1:12 unexpected text after the JSON value")
        #expect(
            StrictJSONProbe.problem(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
                == "1:65 nested more than 64 levels deep")
    }
}

/// `pfs explain`: the tree from a payment back to the inputs.
@Suite struct Explaining {
    @Test func fromTheRewardBackToTheDeclaredValues() throws {
        let run = try CommandRun.pfs([
            "explain", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--party", "provider", "--lang", "en",
        ])
        #expect(run.status == 0)
        #expect(
            run.standardOutput == """
                maebashi-profit-share FY2024 (令和6年度): the calculation (amounts in thousand yen; contract digest 91133d6843c83869…)

                S5  project 'smart-city' provider reward 'provider' = 18
                │   S3 × 0.2 = 90 × 0.2 = 18 → 18 (whole multiples of 1)
                └─ S3  project 'smart-city' amount to split = 90
                   │   90 rounded down to a multiple of 1 = 90
                   └─ S2  project 'smart-city' attributable from KPI 'item-c' = 90
                      │   fiscal improvement (S1) × share = 300 × 0.3 = 90
                      └─ S1  KPI 'item-c' fiscal improvement (lower-is-better, money) = 300
                         │   expected − actual = 2500 − 2200 = 300
                         ├─ item-c expected FY2024 = 2500  [maebashi-profit-share.xml line 47, source: 前橋市公表資料 (R6見込み)]
                         │     /contract[@id='maebashi-profit-share']/kpis/kpi[@id='item-c']/expected[@year='2024']
                         └─ item-c actual FY2024 = 2200  [maebashi-profit-share.xml line 48, source: 前橋市公表資料 (R6実績)]
                               /contract[@id='maebashi-profit-share']/kpis/kpi[@id='item-c']/actual[@year='2024']

                """)
    }

    @Test func byKPIOtherBranchesAreNamedNotExpanded() throws {
        let run = try CommandRun.pfs([
            "explain", "Contracts/example-weighted-estimate.xml", "--year", "2024", "--kpi", "trial-estimate",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("無作為化比較試験による低減効果 実績 令和6年度（2024年度）"))
        // Everything a Japanese reader sees is Japanese, names instead of ids (issue 29, item 7).
        #expect(run.standardOutput.contains("max(0, 29.4 − 0) × 40 = 29.4 × 40 = 1,176、1 単位で四捨五入 = 1,176"))
        #expect(run.standardOutput.contains("支払「再入院率低減に応じた支払」（成果単価方式）「県」から「事業者」へ"))
        let english = try CommandRun.pfs([
            "explain", "Contracts/example-weighted-estimate.xml", "--year", "2024", "--kpi", "trial-estimate", "--lang",
            "en",
        ])
        #expect(english.standardOutput.contains("trial-estimate actual FY2024"))
        #expect(english.standardOutput.contains("rounded half-up to a multiple of 1 = 1176"))
        let everything = try CommandRun.pfs(["explain", "Contracts/maebashi-profit-share.xml", "--year", "2024"])
        #expect(everything.standardOutput.contains("S4  事業「スマートシティ事業」のうち「前橋市」に帰属する財政効果（支払なし） = 72"))
        #expect(everything.standardOutput.contains("S5  事業「スマートシティ事業」のうち「事業者（例）」への成果報酬 = 18"))
        #expect(everything.standardOutput.contains("maebashi-profit-share.xml 47行目、出典 前橋市公表資料 (R6見込み)"))
    }

    @Test func unknownPartyOrKPIIsAnErrorThatListsTheKnownOnes() throws {
        let party = try CommandRun.pfs([
            "explain", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--party", "nobody",
        ])
        #expect(party.status == 1)
        #expect(
            party.standardError == """
                Contracts/maebashi-profit-share.xml: error: [unknown-party] party 'nobody' pays or receives nothing in FY2024
                  hint: parties with amounts this year: maebashi, provider

                """)
        let kpi = try CommandRun.pfs([
            "explain", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--kpi", "item-a",
        ])
        #expect(kpi.status == 1)
        #expect(
            kpi.standardError == """
                Contracts/maebashi-profit-share.xml: error: [unknown-kpi] no result of FY2024 depends on KPI 'item-a'
                  hint: KPIs used this year: item-c

                """)
        let both = try CommandRun.pfs([
            "explain", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--kpi", "item-c", "--party",
            "provider",
        ])
        #expect(both.status == 64)
    }
}

/// Messages a user can meet around statements that no other test triggers.
@Suite struct StatementMessages {
    static let maebashi = "Contracts/maebashi-profit-share.xml"

    @Test func verifySaysWhichEngineAndRuleVersionsDiffer() throws {
        let original = try String(contentsOfFile: Verifying.statement, encoding: .utf8)
        let older =
            original
            .replacingOccurrences(of: #""version" : "0.1.0""#, with: #""version" : "0.0.9""#)
            .replacingOccurrences(
                of: #""rule" : "profit-share",\#n      "version" : 1"#,
                with: #""rule" : "profit-share",\#n      "version" : 2"#)
        #expect(older.contains(#""version" : 2"#))
        let path = try HostileInput.temporaryDirectory().path + "/settlement.json"
        try older.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["verify", path, "--contract", Self.maebashi])
        #expect(run.status == 0, "a different engine or rule version alone is reported, not a failure")
        #expect(
            run.standardOutput == """
                \(path): pfs-settlement/1, FY2024, recomputed from \(Self.maebashi)
                  contract unchanged: digest 91133d6843c83869343cd61b2fff32e973bf03b073f0231fad13f9c2268e7c55
                  settlement digest matches: 7e97c28d4ce0bc9706cfd1a99f10d1929e685997d6fe7dfce7dc6f5c6e4ca77d
                  issued by pfs 0.0.9; recomputed by pfs 0.1.0
                  rule profit-share: version 2 at issue, version 1 now; differences may come from the rule
                verified

                """)
    }

    @Test func usageErrorsOfTheStatementOptions() throws {
        let cases: [([String], String)] = [
            (
                ["settle", Self.maebashi, "--year", "2024", "--lang", "ja", "--lang", "en"],
                "Error: several --lang values need --output DIR\n"
            ),
            (
                ["explain", Self.maebashi, "--year", "2024", "--kpi", "item-c", "--party", "provider"],
                "Error: give --party or --kpi, not both\n"
            ),
            (
                [
                    "settle", "Contracts/hachioji-colorectal-screening-sib.xml", "--all", "--format", "json",
                    "--document", "audit",
                ],
                """
                pfs: several JSON documents; choose one with --document and --party, or write them with --output \
                DIR\n
                """
            ),
        ]
        for (arguments, expected) in cases {
            let run = try CommandRun.pfs(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.standardError.hasPrefix(expected), "\(arguments): \(run.standardError)")
        }
    }
}
