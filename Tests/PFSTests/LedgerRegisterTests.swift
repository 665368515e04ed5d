import CSV
import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSOutput
import PFSRegister
import PFSStatements
import PFSTestSupport
import Testing

/// `pfs portfolio --register` (issue 16, item 1): the years a register holds are taken from
/// it — state, issued amounts, adjustments — and checked against what the contract settles
/// to now; the rest of the ledger's writing (CSV, JSON Lines, streaming, one parse).
@Suite(.serialized) struct LedgerFromTheRegister {
    /// The Maebashi year issued and paid, then its FY2024 actual restated (2,200 → 2,250):
    /// until the correction is recorded the ledger shows the register's 18 and warns; once
    /// the adjustment is issued it shows 18 and the adjustment's −3, both `paid`.
    @Test(arguments: Backend.available)
    func theRegistersYearsAreTakenFromItAndChecked(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let issued = try contractInput("maebashi-profit-share.xml")
        try await Adjustments.issue([2024], of: issued, in: register, keys: keys)

        let same = try Ledger.rows(Adjustments.history(issued), recorded: [2024: try await held(register)])
        #expect(same.diagnostics.isEmpty)
        #expect(same.rows.map { "\($0.kind) \($0.amount) \($0.registerState ?? "-")" } == ["profit-share 18 paid"])

        let text = String(decoding: issued.bytes, as: UTF8.self).replacingOccurrences(
            of: #"<actual year="2024" value="2200""#, with: #"<actual year="2024" value="2250""#)
        let corrected = try Adjustments.input(text)
        let changed = try Ledger.rows(Adjustments.history(corrected), recorded: [2024: try await held(register)])
        #expect(changed.rows.map { "\($0.kind) \($0.amount) \($0.registerState ?? "-")" } == ["profit-share 18 paid"])
        let warning = try #require(changed.diagnostics.first)
        #expect(changed.diagnostics.count == 1)
        #expect(warning.checkID == .ledgerRegister && warning.severity == .warning)
        // The register holds the digest of the run it booked, the one its statements record.
        let heldYear = try await held(register)
        let issuedSettlement = try #require(try Adjustments.history(issued).last)
        #expect(heldYear.settlementDigest == SettlementDigest.of(issuedSettlement))
        let now = SettlementDigest.of(try #require(try Adjustments.history(corrected).last))
        #expect(
            warning.message.hasPrefix(
                """
                FY2024 of contract 'maebashi-profit-share' is paid in the register with settlement digest \
                \(heldYear.settlementDigest.prefix(12))…, but the contract settles to \(now.prefix(12))… now: the \
                contract changed since (digest
                """))
        // A run recorded before registers kept settlement digests has none to show.
        let legacy = RecordedYear(
            state: heldYear.state, digest: heldYear.digest, settlementDigest: "", lines: heldYear.lines)
        let legacyWarning = try #require(
            try Ledger.rows(Adjustments.history(corrected), recorded: [2024: legacy]).diagnostics.first)
        #expect(
            legacyWarning.message.hasPrefix(
                """
                FY2024 of contract 'maebashi-profit-share' is paid in the register with settlement digest (not \
                recorded), but the contract settles to \(now.prefix(12))… now
                """))
        #expect(warning.message.hasSuffix("; the ledger shows the register's amounts"))
        #expect(
            warning.hint
                == "run `pfs settle corrected.xml --year 2024 --register …` to record the new figures (an adjustment once the year is issued)"
        )

        _ = try await register.recordAdjustments(
            corrected, history: try Adjustments.history(corrected), from: 2024, reason: "restated", signer: keys.finance)
        try await Adjustments.signOffAndIssue(2024, of: corrected, in: register, keys: keys)
        let adjusted = try Ledger.rows(
            Adjustments.history(corrected), recorded: [2024: try await held(register)])
        #expect(adjusted.diagnostics.isEmpty)
        #expect(
            adjusted.rows.map { "\($0.payer)→\($0.payee) \($0.kind) \($0.amount) \($0.registerState ?? "-")" } == [
                "maebashi→provider profit-share 18 paid", "maebashi→provider adjustment -3 paid",
            ])
        // Each row names the settlement it comes from: the original's, then the adjustment's.
        #expect(Set(adjusted.rows.map(\.settlementDigest)).count == 2)
    }

    /// `pfs status` shows each contract's budget envelope for the years after its last with
    /// data, and the envelopes added up per payer and year (issue 16, item 2).
    @Test(arguments: Backend.available)
    func statusShowsTheBudgetEnvelope(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let text = Adjustments.contract(actuals: [2020: 900, 2021: 800], last: 2022)
        try await recordYear(register, try Adjustments.input(text), year: 2021, keys: keys)
        let status = try await register.status().text
        #expect(status.contains("\n    envelope FY2022  city  least 0  most no maximum (programme)\n"), "\(status)")
        #expect(
            status.hasSuffix(
                """
                budget envelope per payer and future fiscal year of payment (in the currency): the least and the most:
                  city  FY2022  0 JPY to no maximum (uncapped: corrected/programme)

                """), "\(status)")
    }

    /// The printed summary of a portfolio run ends with the envelope of the future years.
    @Test func thePrintedSummaryShowsTheEnvelope() throws {
        let folder = try TemporaryFolder.make()
        let text = Adjustments.contract(actuals: [2020: 900, 2021: 800], last: 2023)
        try text.write(to: folder.appendingPathComponent("c.xml"), atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["portfolio", "c.xml", "--output", "out"], in: folder.path)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardOutput.contains(
                """
                budget envelope per payer and future fiscal year of payment (in the currency): the least and the most:
                  city  FY2022  0 JPY to no maximum (uncapped: corrected/programme)
                  city  FY2023  0 JPY to no maximum (uncapped: corrected/programme)
                1 contract, 2 ledger rows in out, 0 contracts with errors
                """), "\(run.standardOutput)")
    }

    private func held(_ register: Register) async throws -> RecordedYear {
        try #require(try await register.ledgerRecords()["maebashi-profit-share"]?[2024])
    }

    /// Through the command: a recorded year says its state, the others `unrecorded`; a
    /// contract changed since prints the warning and still exits 0.
    @Test func thePortfolioCommandReadsTheRegister() throws {
        let folder = try TemporaryFolder.make()
        let run = { (arguments: [String], status: Int32) throws -> CommandRun in
            let made = try CommandRun.pfs(arguments, in: folder.path)
            #expect(made.status == status, "pfs \(arguments.joined(separator: " ")): \(made.standardError)")
            return made
        }
        let contracts = folder.appendingPathComponent("contracts").path
        try FileManager.default.createDirectory(atPath: contracts, withIntermediateDirectories: true)
        for name in ["maebashi-profit-share.xml", "example-claw-back.xml"] {
            try FileManager.default.copyItem(atPath: Repository.contracts + "/" + name, toPath: contracts + "/" + name)
        }
        let maebashi = contracts + "/maebashi-profit-share.xml"
        try RegisterCommands.prepare("r.sqlite", in: folder, binding: [maebashi])
        _ = try run(["settle", maebashi, "--year", "2024", "--register", "r.sqlite", "--key", "finance.key"], 0)
        _ = try run(["portfolio", contracts, "--output", "out", "--register", "r.sqlite"], 0)
        let csv = try String(contentsOfFile: folder.appendingPathComponent("out/ledger.csv").path, encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first?.hasSuffix(",settlementDigest,registerState") == true)
        #expect(lines.filter { $0.hasPrefix("maebashi-profit-share,") }.allSatisfy { $0.hasSuffix(",settled") })
        #expect(lines.filter { $0.hasPrefix("example-claw-back,") }.allSatisfy { $0.hasSuffix(",unrecorded") })

        let text = try String(contentsOfFile: maebashi, encoding: .utf8).replacingOccurrences(
            of: #"<actual year="2024" value="2200""#, with: #"<actual year="2024" value="2250""#)
        try text.write(toFile: maebashi, atomically: true, encoding: .utf8)
        let changed = try run(["portfolio", contracts, "--output", "out", "--register", "r.sqlite"], 0)
        #expect(changed.standardError.contains("warning: [ledger-register] FY2024 of contract 'maebashi-profit-share'"))
        #expect(changed.standardOutput.contains("  maebashi  FY2024  18000 JPY\n"))

        let missing = try run(["portfolio", contracts, "--output", "out", "--register", "none.sqlite"], 1)
        #expect(missing.standardError.contains("none.sqlite"))
    }

    /// A register that fails its own check is not a source for the ledger: the run stops
    /// before writing anything, saying why.
    @Test func aTamperedRegisterIsRefused() throws {
        let folder = try TemporaryFolder.make()
        let maebashi = Repository.contracts + "/maebashi-profit-share.xml"
        try RegisterCommands.prepare("r.sqlite", in: folder, binding: [maebashi])
        for arguments in [["settle", maebashi, "--year", "2024", "--register", "r.sqlite", "--key", "finance.key"]] {
            #expect(try CommandRun.pfs(arguments, in: folder.path).status == 0)
        }
        // Behind pfs's back: the append-only triggers dropped, the first event edited.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.currentDirectoryURL = folder
        python.arguments = [
            "-c",
            """
            import sqlite3
            c = sqlite3.connect("r.sqlite")
            for n in ("events_no_update", "events_no_delete"):
                c.execute('drop trigger "%s"' % n)
            c.execute("update events set comment = 'edited' where seq = 1")
            c.commit()
            """,
        ]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let run = try CommandRun.pfs(
            ["portfolio", maebashi, "--output", "out", "--register", "r.sqlite"], in: folder.path)
        #expect(run.status == 1)
        #expect(
            run.standardError.hasPrefix(
                "pfs: the register fails its check (4 finding(s), first: event 1 (register-created): its fields do not "
                    + "give its hash: the event was edited)"))
        #expect(run.standardError.contains("hint: run `pfs register verify` and resolve it before taking a ledger"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    /// The printed summary names the first 50 contracts and says where the others are; the
    /// settled contracts' warnings are counted in its last line.
    @Test func thePrintedSummaryOfALargePortfolio() throws {
        let folder = try TemporaryFolder.make()
        for index in 0..<50 {
            let text = Adjustments.contract(actuals: [2020: 900]).replacingOccurrences(
                of: #"id="corrected""#, with: #"id="c\#(index)""#)
            try text.write(to: folder.appendingPathComponent("c\(index).xml"), atomically: true, encoding: .utf8)
        }
        try FileManager.default.copyItem(
            atPath: Repository.fixtures + "/invalid/partial-year@2023.xml",
            toPath: folder.appendingPathComponent("partial-year.xml").path)
        let run = try CommandRun.pfs(["portfolio", ".", "--output", "../out-\(UUID().uuidString)"], in: folder.path)
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("  c") && $0.contains(" to date ") }.count == 50)
        #expect(lines.contains("  … and 1 more contracts: see summary.json"))
        #expect(run.standardError.isEmpty)
        #expect(lines.last?.hasSuffix(", 0 contracts with errors, 1 warning (pfs check shows them)") == true)
    }

    /// The ledger written in chunks of two contracts is the ledger written in one go.
    @Test func writingInChunksChangesNothing() throws {
        let files = Portfolio.contractFiles([Repository.contracts]).files
        let whole = try TemporaryFolder.make().path, chunked = try TemporaryFolder.make().path
        #expect(Portfolio.ledger(files: files, output: whole, jobs: 2).outputProblem == nil)
        #expect(Portfolio.ledger(files: files, output: chunked, jobs: 2, chunk: 2).outputProblem == nil)
        for name in ["ledger.csv", "ledger.jsonl", "summary.json"] {
            let one = try Data(contentsOf: URL(fileURLWithPath: whole + "/" + name))
            let other = try Data(contentsOf: URL(fileURLWithPath: chunked + "/" + name))
            #expect(one == other, "\(name)")
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: chunked).sorted() == [
                "ledger.csv", "ledger.jsonl", "summary.json",
            ])
    }
}

/// The CSV writer against CSV.swift's reader, and the digest from the loader's own parse.
@Suite struct LedgerEncodings {
    /// Whatever the fields hold — quotes, commas, line ends, Japanese, emoji — CSV.swift
    /// reads back exactly the fields written.
    @Test func csvFieldsReadBackExactly() throws {
        var generator = SeededGenerator(seed: 99)
        let pieces = ["a", "\"", ",", "\r\n", "\n", "\r", "前橋", " ", "=1+2", "🙂", "e\u{301}", "''"]
        for _ in 0..<300 {
            let rows = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<3).map { _ in
                    (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                        pieces[Int.random(in: 0..<pieces.count, using: &generator)]
                    }.joined()
                }
            }
            let text = SpreadsheetCSV.text(rows)
            #expect(text.hasPrefix("\u{FEFF}"))
            let reader = try CSVReader(string: String(text.dropFirst()))
            var read: [[String]] = []
            while let row = reader.next() { read.append(row) }
            #expect(read == rows, "\(rows)")
        }
    }

    /// The canonical digest taken from the loader's document is the one a second,
    /// separate parse gives, for every shipped contract and every fixture that loads, and
    /// for contracts re-indented, with comments and with whitespace before comments.
    @Test func theDigestFromTheLoadIsTheCanonicalDigest() throws {
        var texts: [[UInt8]] = []
        for folder in [Repository.contracts, Repository.fixtures + "/invalid"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".xml") {
                texts.append(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
            }
        }
        let maebashi = try String(contentsOfFile: Repository.contracts + "/maebashi-profit-share.xml", encoding: .utf8)
        texts += [
            maebashi.replacingOccurrences(of: "\n  ", with: "\n\t\t"),
            maebashi.replacingOccurrences(of: "<term", with: "<!-- a note -->\n  <term"),
            maebashi.replacingOccurrences(of: "<parties>", with: "<parties>   <!-- c -->  "),
            maebashi.replacingOccurrences(of: "\n", with: "\r\n"),
        ].map { Array($0.utf8) }
        var compared = 0
        for text in texts {
            let checked = PFS.check(bytes: text, file: "c.xml", canonical: true)
            guard let digest = checked.canonicalDigest else { continue }
            let separate = PFS.provenance(bytes: text, fileName: "c.xml").digest
            #expect(digest == separate)
            compared += 1
        }
        #expect(compared >= 16)
    }
}
