import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSStatements
import PFSTestSupport
import Testing

/// `pfs portfolio`'s ledger (issue 16, item 1).
@Suite struct PortfolioLedger {
    static let golden = Repository.fixtures + "/ledger"

    /// The ledger of the shipped contracts, byte for byte (`PFS_RECORD=1` re-records).
    @Test func theShippedContractsGiveTheCommittedLedger() throws {
        let output = try TemporaryFolder.make().path
        let run = try CommandRun.pfs(["portfolio", "Contracts", "--output", output])
        #expect(run.status == 0, "\(run.standardError)")
        for name in ["ledger.csv", "ledger.jsonl", "summary.json"] {
            let made = try Data(contentsOf: URL(fileURLWithPath: output + "/" + name))
            if Repository.recording {
                try FileManager.default.createDirectory(atPath: Self.golden, withIntermediateDirectories: true)
                try made.write(to: URL(fileURLWithPath: Self.golden + "/" + name))
                Issue.record("re-recorded \(name)")
                continue
            }
            let committed = try Data(contentsOf: URL(fileURLWithPath: Self.golden + "/" + name))
            #expect(made == committed, "\(name) differs from Tests/PFSTests/Fixtures/ledger/\(name)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output + "/ledger.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM, as spreadsheet programs need")
        let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(csv.hasPrefix("contract,digest,fiscalYear,paymentYear,label,labelJA,payer,payee,clause,kind,amount,"))
        // The Maebashi example: one row, 18 thousand yen from the city to the provider.
        #expect(
            csv.contains(
                ",2024,FY2024,令和6年度,maebashi,provider,smart-city,profit-share,18,JPY,1000,,"))
        #expect(run.standardOutput.contains("  maebashi  FY2024  18000 JPY\n"))
    }

    /// A ledger run killed while writing leaves hidden temporary files; the next run (which
    /// locks the output folder) removes them, and nothing else.
    @Test func temporaryLedgerFilesOfAKilledRunAreRemoved() throws {
        let output = try TemporaryFolder.make().path
        let stale = output + "/.ledger.csv.pfs-12345-678-1", mine = output + "/.notes.txt.pfs-12345-678-1"
        for path in [stale, mine] { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        let run = try CommandRun.pfs(["portfolio", "Contracts/maebashi-profit-share.xml", "--output", output])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: mine))
    }

    /// Every row ties to the statement `settle` makes (its SHA-256), and the rows of a
    /// contract-year add up to what the settlement says is due: per payer, the profit-share
    /// allocations to others plus its part of every payment; money neither appears nor vanishes.
    @Test func rowsAddUpToEachSettlementAndTieToItsStatement() throws {
        var generator = SeededGenerator(seed: 16)
        var texts = try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter {
            $0.hasSuffix(".xml")
        }.map { try String(contentsOfFile: Repository.contracts + "/" + $0, encoding: .utf8) }
        for round in 0..<24 {
            let actuals = Dictionary(
                uniqueKeysWithValues: (2020...2024).map { ($0, Int.random(in: 600...1400, using: &generator)) })
            texts.append(
                Adjustments.contract(
                    actuals: actuals, negative: ["floor", "carry-forward", "claw-back"][round % 3]))
        }
        for text in texts {
            let checked = PFS.check(bytes: Array(text.utf8), file: "c.xml", baseDirectory: Repository.contracts)
            let history = try PFS.settleTerm(checked, fileName: "c.xml").get()
            let rows = try Ledger.rows(history)
            for settlement in history {
                let year = rows.filter { $0.fiscalYear == settlement.fiscalYear.year }
                // A year with nothing due has no row; every row of a year carries the digest its
                // JSON statement records.
                let statement = try JSONSerialization.jsonObject(with: Data(JSONStatement.bytes(settlement)))
                let recorded = try #require((statement as? [String: Any])?["settlementDigest"] as? String)
                #expect(Set(year.map(\.settlementDigest)).isSubset(of: [recorded]))
                var due: [String: ExactDecimal] = [:]
                for project in settlement.projects {
                    for allocation in project.allocations where allocation.party.id != project.payer.id {
                        due[project.payer.id] = try (due[project.payer.id] ?? .zero).adding(allocation.amount)
                    }
                }
                for payment in settlement.payments ?? [] {
                    for payer in payment.payers {
                        due[payer.party.id] = try (due[payer.party.id] ?? .zero).adding(payer.amount)
                    }
                }
                var listed: [String: ExactDecimal] = [:]
                for row in year { listed[row.payer] = try (listed[row.payer] ?? .zero).adding(row.amount) }
                #expect(
                    listed == due.filter { $0.value != .zero },
                    "\(settlement.contract.id) FY\(settlement.fiscalYear.year)")
            }
        }
    }
}
