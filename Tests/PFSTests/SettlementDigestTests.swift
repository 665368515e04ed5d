import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSOutput
import PFSStatements
import PFSTestSupport
import Testing

/// The settlement digest: the canonical form of a settlement's figures, the same whether the
/// steps were described or not, recorded by every statement, checked by `pfs verify` and
/// carried by every ledger row.
@Suite struct SettlementDigests {
    static let maebashi = Repository.path("Contracts/maebashi-profit-share.xml")

    static func history(_ path: String, steps: Bool = true) throws -> [Settlement] {
        try PFS.settleTerm(
            PFS.check(path: path, canonical: true), fileName: PFS.lastPathComponent(path), steps: steps
        ).get()
    }

    /// Maebashi's worked example, line by line: what an evaluator hashes by hand
    /// (`printf '…' | sha256sum`) to check the digest a statement records.
    @Test func theCanonicalFormOfMaebashi() throws {
        let settlement = try #require(try Self.history(Self.maebashi).last)
        let form = String(decoding: SettlementDigest.canonicalForm(settlement), as: UTF8.self)
        #expect(
            form.components(separatedBy: "\n") == [
                "pfs-settlement-digest/1",
                "contract\tmaebashi-profit-share\t\(settlement.contract.digest)",
                "year\t2024\t2024",
                "amounts\tJPY\t1000\t1\tdown",
                "rule\tfiscal-improvement\t1",
                "rule\tlargest-remainder\t1",
                "rule\tnegative-improvement/floor\t1",
                "rule\tprofit-share\t1",
                // Items A, B and D have no published actual: no improvement.
                "kpi\titem-a\t-\t-",
                "kpi\titem-b\t-\t-",
                "kpi\titem-c\t300\t300",
                "kpi\titem-d\t-\t-",
                "project\tsmart-city\tmaebashi\t90\t90",
                "attribution\tsmart-city\titem-c\t300\t0.3\t90",
                "allocation\tsmart-city\tmaebashi\t0.8\t72",
                "allocation\tsmart-city\tprovider\t0.2\t18",
                "",
            ])
        #expect(SettlementDigest.of(settlement) == PFS.sha256Hex(Array(form.utf8)))
    }

    /// Figures alone (what the ledger settles) give every settlement's digest, for every
    /// year of every shipped contract; their steps are empty.
    @Test func theDigestNeedsNoSteps() throws {
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let described = try Self.history(path)
            let figures = try Self.history(path, steps: false)
            #expect(described.map(SettlementDigest.of) == figures.map(SettlementDigest.of), "\(path)")
            #expect(figures.allSatisfy { $0.steps.isEmpty })
            #expect(described.allSatisfy { !$0.steps.isEmpty })
            #expect(try described.map(DueLine.lines) == figures.map(DueLine.lines))
        }
    }

    /// Any figure changes the digest: every actual value of Maebashi's item C between 2,000
    /// and 2,600 gives its own.
    @Test func everyFigureChangesIt() throws {
        let text = try String(contentsOfFile: Self.maebashi, encoding: .utf8)
        #expect(text.contains(#"<actual year="2024" value="2200""#))
        var digests: Set<String> = []
        for actual in stride(from: 2_000, through: 2_600, by: 25) {
            let changed = text.replacingOccurrences(
                of: #"<actual year="2024" value="2200""#, with: #"<actual year="2024" value="\#(actual)""#)
            let checked = PFS.check(bytes: Array(changed.utf8), file: "m.xml", baseDirectory: Repository.contracts)
            let settlement = try #require(try PFS.settleTerm(checked, fileName: "m.xml").get().last)
            digests.insert(SettlementDigest.of(settlement))
        }
        #expect(digests.count == 25)
    }

    /// Every statement records it: the JSON's member, the annex of the others.
    @Test func everyStatementRecordsIt() throws {
        let settlement = try #require(try Self.history(Self.maebashi).last)
        let digest = SettlementDigest.of(settlement)
        let folder = Repository.reports + "/maebashi-profit-share"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".xlsx") }
        // 9 per year's settlement, payout and audit (txt, md, html, csv in two languages, and
        // JSON), and 9 of the value document, whose annex records every year's digest.
        #expect(files.count == 36)
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            #expect(text.contains(digest), "\(file)")
        }
    }

    /// `pfs verify` says a digest that is not the figures' own, even when every figure is.
    @Test func verifyChecksIt() throws {
        let statement = Repository.path("Reports/maebashi-profit-share/settlement-FY2024.json")
        let text = try String(contentsOfFile: statement, encoding: .utf8)
        let digest = try #require(
            (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["settlementDigest"] as? String)
        let forged = String(repeating: "0", count: 64)
        let path = try HostileInput.temporaryDirectory().path + "/statement.json"
        try text.replacingOccurrences(of: digest, with: forged).write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["verify", path, "--contract", Self.maebashi])
        #expect(run.status == 1)
        #expect(
            run.standardOutput.components(separatedBy: "\n").dropFirst(2).first
                == "  settlement digest differs: \(forged) recorded, \(digest) from the figures now")
        #expect(run.standardOutput.hasSuffix("NOT verified\n"))

        // Issued under another version of a rule, its digest names that version: the
        // difference is said, as the versions' is, and is no failure.
        let settlement = try #require(try Self.history(Self.maebashi).last)
        let form = String(decoding: SettlementDigest.canonicalForm(settlement), as: UTF8.self)
        let underVersion2 = form.replacingOccurrences(of: "rule\tprofit-share\t1\n", with: "rule\tprofit-share\t2\n")
        #expect(underVersion2 != form)
        let digest2 = PFS.sha256Hex(Array(underVersion2.utf8))
        let issuedUnder2 = text.replacingOccurrences(of: digest, with: digest2).replacingOccurrences(
            of: #""rule" : "profit-share",\#n      "version" : 1"#, with: #""rule" : "profit-share",\#n      "version" : 2"#)
        #expect(issuedUnder2.contains(#""version" : 2"#))
        try issuedUnder2.write(toFile: path, atomically: true, encoding: .utf8)
        let ruleRun = try CommandRun.pfs(["verify", path, "--contract", Self.maebashi])
        #expect(ruleRun.status == 0)
        #expect(
            ruleRun.standardOutput.components(separatedBy: "\n").dropFirst(2).first
                == """
                  settlement digest differs: \(digest2) recorded, \(digest) from the figures now (it names the \
                rules' versions, which differ)
                """)

        // A statement made before statements recorded it verifies by its figures alone.
        let older = text.replacingOccurrences(of: "  \"settlementDigest\" : \"\(digest)\",\n", with: "")
        #expect(older != text)
        try older.write(toFile: path, atomically: true, encoding: .utf8)
        let olderRun = try CommandRun.pfs(["verify", path, "--contract", Self.maebashi])
        #expect(olderRun.status == 0)
        #expect(
            olderRun.standardOutput.components(separatedBy: "\n").dropFirst(2).first
                == "  settlement digest: none recorded (made before statements recorded it); now \(digest)")
    }

    /// The ledger, settled from figures alone, carries each year's digest.
    @Test func theLedgerCarriesIt() throws {
        let folder = try HostileInput.temporaryDirectory().path
        let run = try CommandRun.pfs(["portfolio", Self.maebashi, "--output", folder])
        #expect(run.status == 0)
        let settlement = try #require(try Self.history(Self.maebashi).last)
        let csv = try String(contentsOfFile: folder + "/ledger.csv", encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains(",\(SettlementDigest.of(settlement)),") == true)
    }

    /// A settled event's settlement digest must be the one its run's JSON records.
    @Test(arguments: Backend.available)
    func anEditedSettlementDigestIsFound(_ backend: Backend) async throws {
        let findings = try await TrustTampering.tampered(
            backend, "events",
            #"UPDATE events SET payload = replace(payload, '"settlementDigest":"', '"settlementDigest":"0') WHERE kind = 'settled'"#)
        // The edited event is found as every edited event is (hash, signature), and the digest.
        #expect(findings.count == 3, "\(findings)")
        #expect(findings.first == "event 12 (settled): its fields do not give its hash: the event was edited")
        #expect(findings.last == "settlement_runs row 1: the settlement digest recorded is not the one its JSON records")
    }
}
