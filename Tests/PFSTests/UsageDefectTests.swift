import Foundation
import PFS
import PFSModel
import PFSEvaluator
import PFSOutput
import PFSRegister
import PFSStatements
import PFSTestSupport
import SQLKit
import Testing

/// Defects found by using pfs as a finance officer, an evaluator and a contractor would, and
/// by attacking it (issue 28): each test failed before its fix.
@Suite(.serialized) struct LostDataDefects {
    static let maebashi = Repository.contracts + "/maebashi-profit-share.xml"

    static func folder() throws -> URL {
        let folder = try TemporaryFolder.make()
        try FileManager.default.copyItem(atPath: maebashi, toPath: folder.appendingPathComponent("m.xml").path)
        return folder
    }

    static func run(
        _ arguments: [String], in folder: URL, environment: [String: String] = [:], expect status: Int32
    ) throws -> CommandRun {
        let run = try CommandRun.pfs(arguments, in: folder.path, environment: environment)
        #expect(run.status == status, "pfs \(arguments.joined(separator: " ")): \(run.standardError)")
        return run
    }

    /// The `value` attribute of KPI `kpi`'s actual value of 2024 in the contract file.
    static func actual2024(_ kpi: String, in folder: URL) throws -> String? {
        let input = try ContractInput.load(path: folder.appendingPathComponent("m.xml").path).get()
        return input.contract.kpi(kpi)?.actual.first { $0.year == 2024 }?.value.description
    }

    // MARK: 2. Concurrent `pfs actuals`

    /// Three departments take their tables into one contract at the same moment: every
    /// value survives (before the fix one or two of three were lost in every round).
    @Test func actualsAtOnceKeepEveryWritersValues() throws {
        let tables = [("a.csv", "item-a,2024,1150"), ("b.csv", "item-b,2024,1400"), ("d.csv", "item-d,2024,3100")]
        for round in 0..<4 {
            let folder = try Self.folder()
            for (name, row) in tables {
                try "kpi,year,value\n\(row)\n".write(
                    to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
            }
            let results = Collected()
            DispatchQueue.concurrentPerform(iterations: tables.count) { index in
                results.set(
                    index, try? CommandRun.pfs(["actuals", "m.xml", "--from", tables[index].0], in: folder.path))
            }
            #expect((0..<tables.count).map { results.get($0)?.status } == [0, 0, 0], "round \(round)")
            #expect(try Self.actual2024("item-a", in: folder) == "1150", "round \(round)")
            #expect(try Self.actual2024("item-b", in: folder) == "1400", "round \(round)")
            #expect(try Self.actual2024("item-d", in: folder) == "3100", "round \(round)")
        }
    }

    final class Collected: @unchecked Sendable {
        private var runs: [Int: CommandRun] = [:]
        private let lock = NSLock()
        func set(_ index: Int, _ run: CommandRun?) {
            lock.lock()
            runs[index] = run
            lock.unlock()
        }
        func get(_ index: Int) -> CommandRun? {
            lock.lock()
            defer { lock.unlock() }
            return runs[index]
        }
    }

    // MARK: 3. `pfs actuals` finds the register as every command does

    /// Issues FY2024 of m.xml in the register `register`.
    static func issue(_ register: String, in folder: URL) throws {
        for step in [
            ["settle", "m.xml"], ["review", "m.xml", "--key", "evaluator.key"],
            ["approve", "m.xml", "--key", "finance.key"], ["issue", "m.xml", "--output", "out", "--format", "json"],
        ] {
            _ = try run(step + ["--year", "2024", "--register", register], in: folder, expect: 0)
        }
    }

    static let issuedRefusal =
        "a.csv:2:1: error: [actuals-issued] row 2 changes KPI 'item-c' FY2024 actual from 2200 to 2250, but FY2024 is issued"

    @Test(arguments: Backend.available)
    func actualsHonoursPFSRegister(_ backend: Backend) async throws {
        let folder = try Self.folder()
        let register = try await RegisterCommands.prepared(backend, in: folder)
        try Self.issue(register, in: folder)
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        let refused = try Self.run(
            ["actuals", "m.xml", "--from", "a.csv"], in: folder, environment: ["PFS_REGISTER": register], expect: 1)
        #expect(refused.standardError.hasPrefix(Self.issuedRefusal), "\(refused.standardError)")
        #expect(try Self.actual2024("item-c", in: folder) == "2200")
        // With a reason the change is made and recorded, so the next settle finds it.
        _ = try Self.run(
            ["actuals", "m.xml", "--from", "a.csv", "--correction", "R6 figure restated"], in: folder,
            environment: ["PFS_REGISTER": register], expect: 0)
        let history = try Self.run(["history", "m.xml", "--register", register], in: folder, expect: 0)
        #expect(history.standardOutput.contains("why: R6 figure restated"))
    }

    @Test func actualsHonoursTheRegisterBesideTheContract() throws {
        let folder = try Self.folder()
        _ = try Self.run(["register", "init", "--register", "pfs.sqlite"], in: folder, expect: 0)
        for (party, file) in [("evaluator", "evaluator.key"), ("maebashi", "finance.key")] {
            _ = try Self.run(["key", "generate", "--party", party, "--out", file], in: folder, expect: 0)
            _ = try Self.run(
                ["key", "add", "--party", party, "--public", file + ".pub", "--register", "pfs.sqlite"], in: folder,
                expect: 0)
        }
        try Self.issue("pfs.sqlite", in: folder)
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        let refused = try Self.run(["actuals", "m.xml", "--from", "a.csv"], in: folder, expect: 1)
        #expect(refused.standardError.hasPrefix(Self.issuedRefusal), "\(refused.standardError)")
        #expect(try Self.actual2024("item-c", in: folder) == "2200")
    }

    @Test func aCorrectionWithoutARegisterIsRefused() throws {
        let folder = try Self.folder()
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        let refused = try Self.run(
            ["actuals", "m.xml", "--from", "a.csv", "--correction", "restated"], in: folder, expect: 1)
        #expect(
            refused.standardError
                == "pfs: --correction is recorded in the register, and there is none: give --register PATH|URL, set PFS_REGISTER, or keep pfs.sqlite beside m.xml\n"
        )
        #expect(try Self.actual2024("item-c", in: folder) == "2200")
    }

    // MARK: 7. A contract's link and permissions are kept

    @Test func actualsKeepsTheContractsModeAndFollowsItsLinkOnPurpose() throws {
        let folder = try Self.folder()
        let real = folder.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("m.xml"), to: real.appendingPathComponent("m.xml"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: real.path + "/m.xml")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/m.xml", withDestinationPath: "real/m.xml")
        try "kpi,year,value\nitem-a,2024,1150\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        let run = try Self.run(["actuals", "m.xml", "--from", "a.csv"], in: folder, expect: 0)
        let target = try #require(realpath(real.path + "/m.xml", nil).map { String(cString: $0) })
        #expect(run.standardOutput.contains("wrote \(target) (m.xml is a link to it; the link is kept)\n"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path + "/m.xml") == "real/m.xml")
        let mode = try FileManager.default.attributesOfItem(atPath: real.path + "/m.xml")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Self.actual2024("item-a", in: folder) == "1150")
    }

    /// A failed import removes the SQLite file it made, so the next import can run.
    @Test func aFailedImportLeavesNoFileBehind() throws {
        let folder = try TemporaryFolder.make()
        try #"{"format":"pfs-register-export","schema":1}"# .appending("\nnot a row\n").write(
            to: folder.appendingPathComponent("bad.jsonl"), atomically: false, encoding: .utf8)
        let failed = try Self.run(
            ["register", "import", "bad.jsonl", "--register", "r.sqlite"], in: folder, expect: 1)
        #expect(failed.standardError.contains("line 2 is not a row of a register table"), "\(failed.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/r.sqlite"))
    }

    // MARK: 8. Rate-card records files

    /// The rate-card example in a folder of its own, its records file replaced by `make`.
    static func rateCardFolder(_ make: (URL) throws -> Void) throws -> URL {
        let folder = try TemporaryFolder.make()
        try FileManager.default.copyItem(
            atPath: Repository.contracts + "/example-rate-card.xml", toPath: folder.path + "/card.xml")
        try make(folder.appendingPathComponent("example-rate-card-participants.csv"))
        return folder
    }

    /// A FIFO was opened and waited on for ever; now it is refused at once.
    @Test func aRecordsFileThatIsAFIFOIsRefusedNotWaitedOn() throws {
        let folder = try Self.rateCardFolder { url in #expect(mkfifo(url.path, 0o600) == 0) }
        let run = try Self.run(["check", "card.xml"], in: folder, expect: 1)
        #expect(
            run.standardOutput.hasPrefix(
                "card.xml:45:7: error: [rate-card-records] records file 'example-rate-card-participants.csv' is not a regular file (a pipe, device or folder)"
            ), "\(run.standardOutput)")
    }

    @Test func aRecordsFileLinkedFromOutsideTheFolderIsRefused() throws {
        let outside = try TemporaryFolder.make().appendingPathComponent("participants.csv")
        try FileManager.default.copyItem(
            atPath: Repository.contracts + "/example-rate-card-participants.csv", toPath: outside.path)
        let folder = try Self.rateCardFolder { url in
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: outside.path)
        }
        let run = try Self.run(["check", "card.xml"], in: folder, expect: 1)
        #expect(
            run.standardOutput.hasPrefix(
                "card.xml:45:7: error: [rate-card-records] records file 'example-rate-card-participants.csv' is a link to \(outside.resolvingSymlinksInPath().path), outside the contract's folder"
            ), "\(run.standardOutput)")
        // A link that stays inside the folder is followed as before.
        let inside = try Self.rateCardFolder { url in
            try FileManager.default.copyItem(
                atPath: Repository.contracts + "/example-rate-card-participants.csv",
                toPath: url.deletingLastPathComponent().path + "/kept.csv")
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "kept.csv")
        }
        _ = try Self.run(["check", "card.xml"], in: inside, expect: 0)
    }
}

/// `pfs issue` writes where pfs says, never where the register's text says, and never over
/// another file (issue 28, items 4 and 5).
@Suite(.serialized) struct IssueOutputDefects {
    /// A paid-up FY2024 of Maebashi issued through the command line, and the folder.
    static func issued(_ backend: Backend) async throws -> (URL, String) {
        let folder = try LostDataDefects.folder()
        let register = try await RegisterCommands.prepared(backend, in: folder)
        try LostDataDefects.issue(register, in: folder)
        return (folder, register)
    }

    static func edit(_ register: String, _ statement: String) async throws {
        let opened = try await Register.open(RegisterLocation.parse(register))
        defer { Task { await opened.close() } }
        try await RegisterTampering.liftTriggers("statements", opened)
        try await opened.store.sql.raw(SQLQueryString(statement)).run()
    }

    @Test(arguments: Backend.available)
    func aPathEditedInTheRegisterCannotLeadOutsideTheOutputFolder(_ backend: Backend) async throws {
        let (folder, register) = try await Self.issued(backend)
        try await Self.edit(register, "UPDATE statements SET path = '../../escaped.json' WHERE id = 1")
        let run = try LostDataDefects.run(
            ["issue", "m.xml", "--year", "2024", "--output", "again", "--format", "json", "--register", register], in: folder, expect: 0)
        #expect(!run.standardOutput.contains("escaped"), "\(run.standardOutput)")
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().path + "/escaped.json"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/again/maebashi-profit-share/maebashi/settlement-FY2024.json"))
        let verify = try LostDataDefects.run(["register", "verify", "--register", register], in: folder, expect: 1)
        #expect(
            verify.standardOutput.contains(
                "statements row 1: its path '../../escaped.json' is not the one pfs gives it (maebashi-profit-share/settlement-FY2024.json)"
            ), "\(verify.standardOutput)")
    }

    @Test func anImportWithAnEditedPathIsRefused() async throws {
        let (folder, register) = try await Self.issued(.sqlite)
        let export = try LostDataDefects.run(["register", "export", "--register", register], in: folder, expect: 0)
        let edited = export.standardOutput.replacingOccurrences(
            of: #""path":"maebashi-profit-share\/settlement-FY2024.json""#, with: #""path":"..\/..\/x""#)
            .replacingOccurrences(
                of: #""path":"maebashi-profit-share/settlement-FY2024.json""#, with: #""path":"../../x""#)
        #expect(edited != export.standardOutput)
        try edited.write(to: folder.appendingPathComponent("edited.jsonl"), atomically: false, encoding: .utf8)
        let refused = try LostDataDefects.run(
            ["register", "import", "edited.jsonl", "--register", "imported.sqlite"], in: folder, expect: 1)
        #expect(
            refused.standardError.contains(
                "the export does not verify (1 finding; first: statements row 1: its path '../../x' is not the one pfs gives it"
            ), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/imported.sqlite"))
    }

    @Test func issueNeverOverwritesAnotherFileAndCleansUpAKilledRun() async throws {
        let (folder, register) = try await Self.issued(.sqlite)
        let contractFolder = folder.path + "/out/maebashi-profit-share"
        let statement = contractFolder + "/maebashi/settlement-FY2024.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: statement))
        // A killed run's temporary files, a statement's and a signature's.
        let leftovers = [
            contractFolder + "/maebashi/.settlement-FY2024.json.pfs-99999-1-1",
            contractFolder + "/maebashi/.settlement-FY2024.json.evaluator.sig.pfs-99999-1-2",
            contractFolder + "/keys/.evaluator.pem.pfs-99999-1-3",
        ]
        for path in leftovers { try "partial".write(toFile: path, atomically: false, encoding: .utf8) }
        // Another file under a statement's name: refused, left as it is.
        try "the city's own copy, annotated\n".write(toFile: statement, atomically: false, encoding: .utf8)
        let year = ["--year", "2024", "--output", "out", "--format", "json", "--register", register]
        let refused = try LostDataDefects.run(["issue", "m.xml"] + year, in: folder, expect: 1)
        #expect(
            refused.standardError.contains(
                "out/maebashi-profit-share/maebashi/settlement-FY2024.json: error: [statement-exists] already holds something else than the issued statement; pfs does not overwrite it"
            ), "\(refused.standardError)")
        #expect(try String(contentsOfFile: statement, encoding: .utf8) == "the city's own copy, annotated\n")
        for path in leftovers { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        // Put back, the issue writes nothing new and says so.
        try original.write(to: URL(fileURLWithPath: statement))
        let again = try LostDataDefects.run(["issue", "m.xml"] + year, in: folder, expect: 0)
        #expect(again.standardOutput.contains("unchanged out/maebashi-profit-share/maebashi/settlement-FY2024.json\n"))
        #expect(!again.standardOutput.contains("wrote "))
    }
}

/// Hostile workbooks given to `pfs actuals` (issue 28, item 6).
@Suite struct HostileWorkbooks {
    static func refusal(_ bytes: [UInt8]) throws -> String {
        let folder = try LostDataDefects.folder()
        try Data(bytes).write(to: folder.appendingPathComponent("t.xlsx"))
        return try LostDataDefects.run(["actuals", "m.xml", "--from", "t.xlsx"], in: folder, expect: 1).standardError
    }

    static func sheet(_ cells: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            + cells + "</sheetData></worksheet>"
    }

    static let header =
        #"<row r="1"><c r="A1" t="inlineStr"><is><t>kpi</t></is></c><c r="B1" t="inlineStr"><is><t>year</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c></row>"#

    @Test(arguments: ["A2000000000", "ZZZZZZ2", "XFE2"])
    func aCellBeyondASheetsBoundsIsRefusedBeforeAnythingIsAllocated(_ reference: String) throws {
        let message = try Self.refusal(
            try Workbook.package(sheet: Self.sheet(Self.header + #"<row><c r="\#(reference)"><v>1</v></c></row>"#)))
        #expect(
            message.hasPrefix(
                "t.xlsx: error: [actuals-table] t.xlsx has cell '\(reference)', beyond a sheet's 1048576 rows and 16384 columns in xl/worksheets/sheet1.xml"
            ), "\(message)")
    }

    @Test func aZipBombIsRefusedAsTooLarge() throws {
        let padding = String(repeating: " ", count: 65 << 20)
        let message = try Self.refusal(try Workbook.package(sheet: Self.sheet(Self.header + padding), compressed: true))
        #expect(
            message.hasPrefix(
                "t.xlsx: error: [actuals-table] t.xlsx has a part (xl/worksheets/sheet1.xml) larger than 64 MiB once unpacked"
            ), "\(message)")
    }

    @Test func aDocumentTypeDeclarationIsRefusedXML() throws {
        let sheet = Self.sheet(Self.header).replacingOccurrences(
            of: "?><worksheet", with: #"?><!DOCTYPE worksheet [<!ENTITY x "1">]><worksheet"#)
        let message = try Self.refusal(try Workbook.package(sheet: sheet))
        #expect(
            message.hasPrefix(
                "t.xlsx: error: [actuals-table] t.xlsx holds XML pfs refuses in xl/worksheets/sheet1.xml: a document type declaration (DOCTYPE) on line 1"
            ), "\(message)")
    }

    @Test func aBooleanIsNotTakenForANumber() throws {
        let row =
            #"<row r="2"><c r="A2" t="inlineStr"><is><t>item-a</t></is></c><c r="B2"><v>2024</v></c><c r="C2" t="b"><v>1</v></c></row>"#
        let message = try Self.refusal(try Workbook.package(sheet: Self.sheet(Self.header + row)))
        #expect(
            message.hasPrefix(
                "t.xlsx: error: [actuals-table] t.xlsx has a TRUE/FALSE value in cell C2 in xl/worksheets/sheet1.xml"),
            "\(message)")
    }
}

/// The register's commands against tampering and forged text (issue 28, items 10 and 12).
@Suite(.serialized) struct RegisterCommandDefects {
    /// `replace()` on a blob column turns it into text: verify crashed with a DecodingError
    /// and a dump; now it is a finding, one line, exit 1.
    @Test func settlementJSONEditedAsTextIsAFindingNotACrash() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let opened = try await Register.open(RegisterLocation.parse(register))
        try await RegisterTampering.liftTriggers("settlement_runs", opened)
        try await opened.store.sql.raw(
            "UPDATE settlement_runs SET settlement_json = replace(settlement_json, '\"18\"', '\"19\"')"
        ).run()
        await opened.close()
        let verify = try LostDataDefects.run(["register", "verify", "--register", register], in: folder, expect: 1)
        #expect(
            verify.standardOutput == """
                \(register): settlement_runs row 1: its settlement_json holds text where pfs writes bytes: it was edited
                \(register): settlement_runs row 1: the settlement's JSON is not the one recorded
                \(register): NOT intact: 2 findings

                """, "\(verify.standardOutput)")
        #expect(verify.standardError.isEmpty)
    }

    @Test(arguments: [
        (["paid", "m.xml", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount", "18",
          "--date", "2025-06-30", "--reference", "TR-1\nmaebashi-profit-share FY2024 paid"], "--reference"),
        (["review", "m.xml", "--year", "2024", "--key", "evaluator.key", "--reject", "bad\u{1B}[2K"], "--reject"),
        (["review", "m.xml", "--year", "2024", "--key", "evaluator.key", "--comment", "ok\u{202E}dias"], "--comment"),
        (["key", "add", "--party", "evil\nkey 0000 party maebashi", "--public", "x.pub"], "--party"),
        (["key", "revoke", "0000", "--reason", "lost\r"], "--reason"),
        (["settle", "m.xml", "--year", "2024", "--correction", "a\u{85}b"], "--correction"),
    ])
    func controlAndBidiCharactersAreRefusedAtInput(_ arguments: [String], _ option: String) throws {
        let folder = try LostDataDefects.folder()
        let run = try LostDataDefects.run(arguments + ["--register", "r.sqlite"], in: folder, expect: 64)
        #expect(
            run.standardError.contains("\(option) holds a control or text-direction character (U+"),
            "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/r.sqlite"))
    }

    /// The register itself refuses such text, whatever calls it (a future web page too).
    @Test func theRegisterRefusesForgedTextFromAnyCaller() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024)
        let message = await refusal {
            try await register.review(input, year: 2024, signer: keys.evaluator, reject: "no\nmaebashi approved")
        }
        #expect(message == "the comment holds a control or text-direction character (U+000A): write it as plain text on one line")
    }
}

/// `portfolio --register` after a correction (issue 28, item 11): only the years whose
/// money differs are warned about; before, every other year was too (its settlement's bytes
/// carry the contract's new digest), with advice that `settle` then refused.
@Suite(.serialized) struct LedgerWarnings {
    @Test func onlyYearsWhoseFiguresDifferAreWarnedAbout() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite, financeParty: "city")
        defer { Task { await register.close() } }
        let issued = try Adjustments.input(Adjustments.contract(actuals: [2020: 900, 2021: 800]))
        try await Adjustments.issue([2020, 2021], of: issued, in: register, keys: keys)
        let corrected = try Adjustments.input(Adjustments.contract(actuals: [2020: 900, 2021: 850]))
        let held = try #require(try await register.ledgerRecords()["corrected"])
        let ledger = try Ledger.rows(Adjustments.history(corrected), recorded: held)
        #expect(ledger.diagnostics.count == 1)
        #expect(
            ledger.diagnostics.first?.message.hasPrefix("FY2021 of contract 'corrected' is paid in the register") == true,
            "\(ledger.diagnostics.map(\.message))")
    }
}

/// `pfs status` checks what it shows and answers for a contract file (issue 28, items 10
/// and 25).
@Suite(.serialized) struct StatusDefects {
    @Test func aTamperedRegisterIsSaidSoBeforeItsFigures() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let opened = try await Register.open(RegisterLocation.parse(register))
        try await RegisterTampering.liftTriggers("events", opened)
        try await opened.store.sql.raw(
            #"UPDATE events SET payload = replace(payload, '"amount":"18"', '"amount":"180"')"#
        ).run()
        await opened.close()
        let status = try LostDataDefects.run(["status", "--register", register], in: folder, expect: 1)
        #expect(
            status.standardOutput.hasPrefix(
                "WARNING: the register does not verify (1 finding; first: event 4 (settled): its fields do not give its hash: the event was edited): what follows may not be what pfs recorded; `pfs register verify` lists them\n"
            ), "\(status.standardOutput)")
    }

    @Test func statusTakesTheContractFileAndShowsTheStatementsDigest() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let status = try LostDataDefects.run(["status", "m.xml", "--register", register], in: folder, expect: 0)
        let input = try ContractInput.load(path: folder.appendingPathComponent("m.xml").path).get()
        #expect(
            status.standardOutput.hasPrefix(
                "contract maebashi-profit-share\n  FY2024  issued  (run 1, contract digest \(input.digest.prefix(12))…)\n"),
            "\(status.standardOutput)")
    }

    @Test func aYearWithNothingDueSaysSo() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite, financeParty: "city")
        defer { Task { await register.close() } }
        let input = try Adjustments.input(Adjustments.contract(actuals: [2020: 1000]))
        try await Adjustments.issue([2020], of: input, in: register, keys: keys)
        let text = try await register.status().text
        #expect(text.contains("\n  FY2020  issued, nothing due  (run 1, contract digest "), "\(text)")
    }
}

/// A PostgreSQL password as libpq users give it, and a wrong one (issue 28, item 13).
@Suite(.serialized, .enabled(if: Backend.postgresURL != nil)) struct PostgresPasswords {
    /// A fresh database's URL with its password taken out, and the password.
    static func withoutPassword() async throws -> (url: String, password: String) {
        guard case .postgres(let url) = try await Backend.postgres.freshLocation(),
            var components = URLComponents(string: url), let password = components.password
        else { throw TestDatabaseError.noServer }
        components.password = nil
        return (try #require(components.string), password)
    }

    @Test func aPasswordFromPGPASSWORDPgpassOrAFileIsUsed() async throws {
        let folder = try TemporaryFolder.make()
        let (url, password) = try await Self.withoutPassword()
        let pgpass = folder.appendingPathComponent("pgpass")
        try "# host:port:database:user:password\n*:*:*:*:\(password)\n".write(
            to: pgpass, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass.path)
        try "\(password)\n".write(to: folder.appendingPathComponent("secret"), atomically: false, encoding: .utf8)
        let noFile = ["PGPASSFILE": folder.path + "/none", "PGPASSWORD": ""]
        _ = try LostDataDefects.run(
            ["register", "init", "--register", url], in: folder,
            environment: ["PGPASSWORD": password, "PGPASSFILE": folder.path + "/none"], expect: 0)
        _ = try LostDataDefects.run(
            ["register", "verify", "--register", url], in: folder, environment: ["PGPASSFILE": pgpass.path, "PGPASSWORD": ""],
            expect: 0)
        _ = try LostDataDefects.run(
            ["register", "verify", "--register", url, "--password-file", "secret"], in: folder, environment: noFile,
            expect: 0)
        // A password file others may read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pgpass.path)
        let ignored = try LostDataDefects.run(
            ["register", "verify", "--register", url], in: folder, environment: ["PGPASSFILE": pgpass.path, "PGPASSWORD": ""],
            expect: 1)
        #expect(ignored.standardError.contains("it asks for a password and none was given"), "\(ignored.standardError)")
    }

    @Test func aWrongPasswordIsTheUsersToCorrectNotAnInternalError() async throws {
        let folder = try TemporaryFolder.make()
        let (url, _) = try await Self.withoutPassword()
        let wrong = try LostDataDefects.run(
            ["register", "verify", "--register", url], in: folder,
            environment: ["PGPASSWORD": "not-the-password", "PGPASSFILE": folder.path + "/none"], expect: 1)
        #expect(
            wrong.standardError.hasPrefix("pfs: PostgreSQL at \(url) refused user 'pfs': "), "\(wrong.standardError)")
        #expect(wrong.standardError.contains("give the password in PGPASSWORD, ~/.pgpass (mode 0600) or --password-file FILE"))
        #expect(!wrong.standardError.contains("not-the-password"))
    }
}

/// Values accepted although wrong (issue 28, item 14).
@Suite(.serialized) struct AcceptedAlthoughWrong {
    @Test(arguments: ["-0", "-0.00"])
    func negativeZeroIsNotADecimal(_ text: String) {
        #expect(ExactDecimal.parse(text) == .failure(.negativeZero))
        #expect(DecimalSyntaxError.negativeZero.explanation == "zero has no sign: write 0")
    }

    @Test func aPaymentDatedBeforeItsYearOrInTheFutureIsRefused() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let paid = ["paid", "m.xml", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount", "18",
            "--reference", "TR-1", "--register", register]
        let early = try LostDataDefects.run(paid + ["--date", "1900-01-01"], in: folder, expect: 1)
        #expect(
            early.standardError
                == "pfs: --date 1900-01-01 is before FY2024 began (2024-04-01): a payment is recorded with the day it was made\n"
        )
        let late = try LostDataDefects.run(paid + ["--date", "9999-12-31"], in: folder, expect: 1)
        #expect(late.standardError.hasPrefix("pfs: --date 9999-12-31 is after today ("), "\(late.standardError)")
        let zero = try LostDataDefects.run(
            ["paid", "m.xml", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount=-0",
             "--date", "2025-06-30", "--reference", "TR-1", "--register", register], in: folder, expect: 64)
        #expect(
            zero.standardError
                == "pfs: --amount -0 is not a decimal written plainly (e.g. 18 or 1234.5): zero has no sign: write 0\n")
        _ = try LostDataDefects.run(paid + ["--date", "2025-06-30"], in: folder, expect: 0)
    }

    @Test func aKeyFileOthersMayReadIsWarnedAboutAndRefusedWhenStrict() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: folder.path + "/finance.key")
        let paid = ["paid", "m.xml", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount", "18",
            "--date", "2025-06-30", "--reference", "TR-1", "--key", "finance.key", "--register", register]
        let strict = try LostDataDefects.run(paid + ["--strict"], in: folder, expect: 1)
        #expect(
            strict.standardError
                == "pfs: the key file finance.key may be read by others (mode 644); run `chmod 600 finance.key`\n")
        let warned = try LostDataDefects.run(paid, in: folder, expect: 0)
        #expect(
            warned.standardError
                == "pfs: warning: the key file finance.key may be read by others (mode 644); run `chmod 600 finance.key`\n")
    }
}

/// An oversized contract is refused while it is read, before it is validated or built
/// (issue 28, item 26): 1,000 KPIs each credited to 1,000 projects took 13.5 s and 1 GB.
@Suite struct OversizedContracts {
    /// `projects` projects each credited with `kpis` KPIs, and a schema error besides (a
    /// `<term>` without its `last`), which the refusal no longer waits to find.
    static func contract(kpis: Int, projects: Int) -> [UInt8] {
        let kpiElements = (0..<kpis).map { ContractXML.moneyKPI("k\($0)", expected: "10", actual: "5") }
            .joined(separator: "\n")
        let projectElements = (0..<projects).map { project in
            ContractXML.project(
                "p\(project)", credits: (0..<kpis).map { ("k\($0)", "0.001") }, shares: [("provider", "0.2")])
        }.joined(separator: "\n")
        let xml = ContractXML(kpis: kpiElements, projects: projectElements).text
        let broken = xml.replacingOccurrences(of: #"<term first="2020" last="2024"/>"#, with: #"<term first="2020"/>"#)
        #expect(broken != xml)
        return Array(broken.utf8)
    }

    @Test(arguments: [(1_000, 30, "the contract has 30000 credits (a project credited with a KPI); pfs settles at most 20000")])
    func aContractOverALimitIsRefusedBeforeItsModelIsBuilt(_ kpis: Int, _ projects: Int, _ message: String) {
        let bytes = Self.contract(kpis: kpis, projects: projects)
        #expect(bytes.count > 1 << 20)
        let checked = PFS.check(bytes: bytes, file: "big.xml")
        #expect(checked.diagnostics.map(\.message) == [message])
        #expect(checked.diagnostics.first?.location.line == 2)
    }

    @Test func aSmallContractOverALimitIsRefusedBeforeValidation() {
        let bytes = Self.contract(kpis: 2, projects: 2_001)
        #expect(bytes.count < 1 << 20)
        let checked = PFS.check(bytes: bytes, file: "many.xml")
        #expect(checked.diagnostics.map(\.message) == ["the contract has 2001 projects; pfs settles at most 2000"])
    }
}

/// Statements that misled a reader (issue 28, items 15 and 17 to 21).
@Suite struct MisleadingStatements {
    /// A document of `year` as Markdown (a table row on one line) of the contract `text`,
    /// read as if from `path` (files it names are found beside it).
    static func render(
        _ text: String, year: Int, _ kind: DocumentKind = .settlement, language: Language = .en,
        path: String = Repository.contracts + "/c.xml"
    ) throws -> String {
        let file = PFS.lastPathComponent(path)
        let checked = PFS.check(bytes: Array(text.utf8), file: path)
        #expect(!checked.hasErrors, "\(checked.diagnostics.map(\.rendered))")
        let history = try PFS.settleHistory(
            checked, provenance: PFS.provenance(of: checked, fileName: file), through: year
        ).get()
        let document = try #require(Statement.document(kind, history: history))
        return Statement.render(document, as: .md, language: language)
    }

    static func contract(_ name: String) throws -> String {
        try String(contentsOfFile: Repository.contracts + "/" + name, encoding: .utf8)
    }

    /// A contract with nothing but KPI targets is settled by `--all` in every year with data.
    @Test func settleAllSettlesATargetsOnlyContract() throws {
        var text = try Self.contract("example-conditions-targets.xml")
        let payments = try #require(text.range(of: "<payments>")?.lowerBound)
        let end = try #require(text.range(of: "</payments>")?.upperBound)
        text.removeSubrange(payments..<end)
        let folder = try TemporaryFolder.make()
        try text.write(to: folder.appendingPathComponent("t.xml"), atomically: false, encoding: .utf8)
        let run = try LostDataDefects.run(["settle", "t.xml", "--all", "--lang", "en"], in: folder, expect: 0)
        #expect(run.standardOutput.contains("Annual settlement — FY2024 (令和6年度)"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("Annual settlement — FY2025 (令和7年度)"))
        #expect(!run.standardError.contains("not settled"), "\(run.standardError)")
    }

    /// A fixed sum whose conditions fail is not "fixed": the rule and "conditions not met".
    @Test func aPaymentWhoseConditionsFailSaysSo() throws {
        let text = try Self.render(try Self.contract("example-conditions-targets.xml"), year: 2025)
        #expect(text.contains("| City | Provider | success-2025 — Success fee, FY2025 | fixed, conditions not met | 0 | S1 |"), "\(text)")
        #expect(text.contains("| success-2025 | fixed, conditions not met |  |  | 0 | 0 | 0 | S1 |"), "\(text)")
        #expect(!text.contains("of which fixed"))
        let ja = try Self.render(try Self.contract("example-conditions-targets.xml"), year: 2025, language: .ja)
        #expect(ja.contains("| 固定額（条件未達成） |"), "\(ja)")
    }

    /// The caps per participant of a rate card are in "Payments by rule": priced 23,300,
    /// cut 1,500, paid 21,800 — and one participant is "1 participant".
    @Test func aRateCardsCapsPerParticipantShowAsCuts() throws {
        let text = try Self.render(try Self.contract("example-rate-card.xml"), year: 2024)

        #expect(text.contains("| outcomes-2024 | rate card |  |  | 23,300.00 | 1,500.00 | 21,800.00 | S1 |"), "\(text)")
        #expect(text.contains("the cap per participant (8,000.00 a year and 11,700.00 over the term)"), "\(text)")
        // The records of one participant only: "1 participant", not "1 participants".
        let folder = try TemporaryFolder.make()
        let records = "participant,outcome,year\nP001,attitude,2024\nP001,attendance,2024\n"
        try records.write(to: folder.appendingPathComponent("one.csv"), atomically: false, encoding: .utf8)
        let sha = PFS.sha256Hex(Array(records.utf8))
        let source = try Self.contract("example-rate-card.xml")
        let one = try #require(
            source.range(of: #"<records file="example-rate-card-participants.csv" sha256="[0-9a-f]{64}"/>"#, options: .regularExpression))
        let lone = source.replacingCharacters(in: one, with: #"<records file="one.csv" sha256="\#(sha)"/>"#)
        let single = try Self.render(lone, year: 2024, path: folder.path + "/c.xml")
        #expect(single.contains("Payment outcomes-2024: 1 participant achieved outcomes this year;"), "\(single)")
    }

    /// The text on one line, runs of spaces as one: a sentence as it reads, whatever the
    /// width it was wrapped to.
    static func flat(_ text: String) -> String {
        text.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }

    /// A class that loses principal at maturity says how much and why, in the annual
    /// settlement and in its holder's payout statement.
    @Test func aLossOfPrincipalIsShownWithItsReason() throws {
        let source = try Self.contract("example-investor-classes.xml")
        // 2017–18: 390 entries against the control group's 400, a performance of 0.025,
        // below class E's floor of 0.05: half its 2,000,000 is written down.
        let text = source.replacingOccurrences(
            of: #"<actual year="2017" value="344""#, with: #"<actual year="2017" value="390""#)
        #expect(text != source)
        let annual = try Self.render(text, year: 2017)
        #expect(
            Self.flat(annual).contains(
                "Class Class E (principal at risk) lost 1,000,000.00 of its principal at maturity: 1,000,000.00 because the performance 0.025 was below its loss floor 0.05 (all of it at 0 or below)."
            ), "\(annual)")
        let payout = try Self.render(text, year: 2017, .payout(party: "foundation"))
        let flat = Self.flat(payout)
        #expect(payout.contains("| Principal lost | 1,000,000.00 |"), "\(payout)")
        #expect(payout.contains("| Principal not yet repaid | 0.00 |"), "\(payout)")
        #expect(flat.contains("because the performance 0.025 was below its loss floor 0.05"), "\(payout)")
        #expect(payout.contains("| principal 2,000,000.00, repaid by class rank |"), "\(payout)")
    }

    /// An investor may have no cap on its return (`max-return="none"`): it takes the return
    /// tier that a cap would have left to the residual party.
    @Test func anUncappedInvestorTakesWhatACapWouldHaveLeft() throws {
        let source = try Self.contract("example-sib.xml")
        let text = source.replacingOccurrences(
            of: #"<investor party="foundation" principal="1000" max-return="0.1"/>"#,
            with: #"<investor party="foundation" principal="1000" max-return="none"/>"#)
        #expect(text != source)
        let checked = PFS.check(bytes: Array(text.utf8), file: "c.xml")
        #expect(!checked.hasErrors, "\(checked.diagnostics.map(\.rendered))")
        let history = try PFS.settleTerm(checked, fileName: "c.xml").get()
        let sib = try #require(history.last?.sib)
        #expect(sib.residualToDate == .zero)
        let foundation = try #require(sib.investors.first { $0.party.id == "foundation" })
        #expect(foundation.maximumReturn == nil)
        // Money is conserved: received = fee + principal + returns + residual.
        let out = try sib.feeToDate.adding(ExactDecimal.sum(sib.investors.map(\.principalToDate)))
            .adding(ExactDecimal.sum(sib.investors.map(\.returnToDate))).adding(sib.residualToDate)
        #expect(out == sib.receivedToDate)
        let bank = try #require(sib.investors.first { $0.party.id == "bank" })
        #expect(bank.returnToDate <= (bank.maximumReturn ?? .zero))
        let payout = try Self.render(text, year: try #require(history.last?.fiscalYear.year), .payout(party: "foundation"))
        #expect(payout.contains("no cap on the return"), "\(payout)")
        #expect(!payout.contains("Left for"))
    }
}

/// An adjustment restates the whole division, the public sector's share included, and is
/// written to --output in any format (issue 28, item 27).
@Suite(.serialized) struct AdjustmentStatements {
    @Test func theAdjustmentRestatesTheDivisionAndIsWrittenInEveryFormatAsked() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        _ = try LostDataDefects.run(
            ["actuals", "m.xml", "--from", "a.csv", "--register", register, "--correction", "R6 restated"],
            in: folder, expect: 0)
        let settled = try LostDataDefects.run(
            ["settle", "m.xml", "--year", "2024", "--register", register, "--output", "adjusted", "--format", "md",
             "--format", "html", "--lang", "en", "--lang", "ja"],
            in: folder, expect: 0)
        #expect(settled.standardOutput.contains("adjustment 1 settled"), "\(settled.standardOutput)")
        let base = folder.path + "/adjusted/maebashi-profit-share/"
        for name in ["adjustment-1-FY2024.en.md", "adjustment-1-FY2024.ja.md", "adjustment-1-FY2024.en.html",
            "adjustment-1-FY2024.ja.html"]
        {
            #expect(FileManager.default.fileExists(atPath: base + name), "\(name)")
        }
        let markdown = try String(contentsOfFile: base + "adjustment-1-FY2024.en.md", encoding: .utf8)
        // Improvement 300 → 250: attributable 90 → 75, the provider 18 → 15, the city 72 → 60.
        #expect(markdown.contains("| Smart-city project | attributable improvement | 90 | 75 | -15 |"), "\(markdown)")
        #expect(markdown.contains("| Smart-city project | kept by City of Maebashi | 72 | 60 | -12 |"), "\(markdown)")
        #expect(markdown.contains("| Smart-city project | share of Provider (illustrative) | 18 | 15 | -3 |"), "\(markdown)")
    }
}

/// `pfs issue` writes the formats asked on its own command line (default PDF, HTML and
/// JSON), each party's statements in a folder of its own, adjustments in every format
/// (issue 28, item 23).
@Suite(.serialized) struct IssuedFormats {
    @Test func eachPartyGetsItsOwnFolderInTheFormatsAsked() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let base = folder.path + "/handed/maebashi-profit-share/"
        _ = try LostDataDefects.run(
            ["issue", "m.xml", "--year", "2024", "--output", "handed", "--format", "html", "--format", "json",
             "--format", "md", "--lang", "en", "--register", register], in: folder, expect: 0)
        let city = try FileManager.default.contentsOfDirectory(atPath: base + "maebashi").sorted()
        #expect(
            city == [
                "audit-FY2024.en.html", "audit-FY2024.en.md", "audit-FY2024.json", "audit-FY2024.json.evaluator.sig",
                "audit-FY2024.json.maebashi.sig", "settlement-FY2024.en.html", "settlement-FY2024.en.md",
                "settlement-FY2024.json", "settlement-FY2024.json.evaluator.sig", "settlement-FY2024.json.maebashi.sig",
            ])
        let provider = try FileManager.default.contentsOfDirectory(atPath: base + "provider").sorted()
        #expect(
            provider == [
                "payout-provider-FY2024.en.html", "payout-provider-FY2024.en.md", "payout-provider-FY2024.json",
                "payout-provider-FY2024.json.evaluator.sig", "payout-provider-FY2024.json.maebashi.sig",
            ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "keys").sorted() == ["evaluator.pem", "maebashi.pem"])
        // The signed JSON is the one the register holds, byte for byte.
        let signed = try Data(contentsOf: URL(fileURLWithPath: base + "maebashi/settlement-FY2024.json"))
        let settled = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/out/maebashi-profit-share/maebashi/settlement-FY2024.json"))
        #expect(signed == settled)
    }

    @Test func byDefaultIssueWritesPDFHTMLAndJSON() async throws {
        guard PDFStatements.available else { return }
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        _ = try LostDataDefects.run(
            ["issue", "m.xml", "--year", "2024", "--output", "handed", "--register", register], in: folder, expect: 0)
        let provider = try FileManager.default.contentsOfDirectory(
            atPath: folder.path + "/handed/maebashi-profit-share/provider"
        ).filter { !$0.hasSuffix(".sig") }.sorted()
        #expect(provider == ["payout-provider-FY2024.ja.html", "payout-provider-FY2024.ja.pdf", "payout-provider-FY2024.json"])
    }

    @Test func anAdjustmentIsIssuedInEveryFormatAsked() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        let year = ["--year", "2024", "--register", register]
        for step in [
            ["actuals", "m.xml", "--from", "a.csv", "--register", register, "--correction", "R6 restated"],
            ["settle", "m.xml"] + year, ["review", "m.xml", "--key", "evaluator.key"] + year,
            ["approve", "m.xml", "--key", "finance.key"] + year,
            ["issue", "m.xml", "--output", "adjusted", "--format", "xlsx", "--format", "html", "--lang", "en"] + year,
        ] {
            _ = try LostDataDefects.run(step, in: folder, expect: 0)
        }
        let city = try FileManager.default.contentsOfDirectory(
            atPath: folder.path + "/adjusted/maebashi-profit-share/maebashi"
        ).sorted()
        #expect(
            city == [
                "adjustment-1-FY2024.en.html", "adjustment-1-FY2024.en.html.evaluator.sig",
                "adjustment-1-FY2024.en.html.maebashi.sig", "adjustment-1-FY2024.en.xlsx",
                "adjustment-1-FY2024.en.xlsx.evaluator.sig", "adjustment-1-FY2024.en.xlsx.maebashi.sig",
            ])
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/adjusted/maebashi-profit-share/provider"))
    }
}

/// Page 1 of an annual settlement and of a payout statement leads with the amounts, as an
/// invoice does; Japanese charts name units and KPIs in Japanese (issue 28, item 22).
@Suite struct FirstPages {
    static func html(_ contract: String, year: Int, _ kind: DocumentKind, _ language: Language) throws -> String {
        let checked = PFS.check(path: Repository.contracts + "/" + contract)
        let history = try PFS.settleHistory(
            checked, provenance: PFS.provenance(of: checked, fileName: contract), through: year
        ).get()
        let curves = Evaluator.paymentCurves(try #require(checked.contract), year: year)
        let document = try #require(Statement.document(kind, history: history, curves: curves))
        return Statement.render(document, as: .html, language: language)
    }

    @Test(arguments: [
        (DocumentKind.settlement, Language.ja, "<h2>本年度の支払額</h2>", "<h2>本書について</h2>"),
        (.settlement, .en, "<h2>Amounts due this year</h2>", "<h2>About this statement</h2>"),
        (.payout(party: "provider"), .ja, "<h2>本年度の受取額</h2>", "<h2>本書について</h2>"),
    ])
    func theAmountsLeadTheFirstPage(_ kind: DocumentKind, _ language: Language, _ amounts: String, _ about: String)
        throws
    {
        let page = try Self.html("maebashi-profit-share.xml", year: 2024, kind, language)
        let body = try #require(page.range(of: "<body>")?.upperBound)
        let lead = try #require(page.range(of: amounts), "\(page)")
        let facts = try #require(page.range(of: about), "\(page)")
        let digest = try #require(page.range(of: "91133d6843c8", range: body..<page.endIndex))
        #expect(lead.lowerBound < facts.lowerBound && facts.lowerBound < digest.lowerBound)
        // Nothing but the title comes between the body's start and the amounts.
        let before = page[body..<lead.lowerBound]
        #expect(!before.contains("<table"), "\(before)")
    }

    @Test func japaneseChartsNameUnitsAndKPIsInJapanese() throws {
        let page = try Self.html("example-fixed-and-tiers.xml", year: 2022, .settlement, .ja)
        #expect(!page.contains("persons"), "\(page)")
        #expect(!page.contains("成果（指標 checkup-takers）"))
        #expect(page.contains("成果（健診受診者数）"), "\(page)")
    }
}

/// PDF statements need WeasyPrint and the template's fonts; several are made in one
/// renderer run (issue 28, item 24).
@Suite(.serialized) struct PDFPrerequisites {
    /// A folder of programs: `weasyprint` whose Python is a wrapper logging each run, and an
    /// `fc-list` that knows only `families`.
    static func bin(families: [String]) throws -> (bin: URL, log: URL) {
        let bin = try TemporaryFolder.make().appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = bin.appendingPathComponent("runs.log")
        let real = try String(contentsOfFile: "/usr/bin/weasyprint", encoding: .utf8)
        let python = String(real.split(separator: "\n")[0].dropFirst(2).split(separator: " ")[0])
        let wrapper = bin.appendingPathComponent("python")
        try "#!/bin/sh\necho run >> \(log.path)\nexec \(python) \"$@\"\n".write(
            to: wrapper, atomically: true, encoding: .utf8)
        try "#!\(wrapper.path)\n# WeasyPrint, through the logging wrapper\n".write(
            to: bin.appendingPathComponent("weasyprint"), atomically: true, encoding: .utf8)
        try "#!/bin/sh\n\(families.map { "echo '\($0)'" }.joined(separator: "\n"))\n".write(
            to: bin.appendingPathComponent("fc-list"), atomically: true, encoding: .utf8)
        for name in ["python", "weasyprint", "fc-list"] {
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(name).path)
        }
        return (bin, log)
    }

    @Test func missingFontsAreRefusedWithTheInstallCommand() throws {
        guard PDFStatements.available else { return }
        let (bin, _) = try Self.bin(families: ["DejaVu Sans", "Noto Sans CJK JP"])
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf",
             "--output", "out"], in: folder.path, environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(run.status == 70)
        #expect(
            run.standardError == """
                fc-list: error: [pdf-renderer] PDF statements are set in IPAexGothic and DejaVu Sans, and fontconfig \
                does not find IPAexGothic; WeasyPrint would fall back to another font, slowly and not as tested
                  hint: install them: apt-get install -y fonts-ipaexfont-gothic; nothing was written

                """, "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func theStatementsOfARunAreMadeInOneRendererRun() throws {
        guard PDFStatements.available else { return }
        let (bin, log) = try Self.bin(families: ["IPAexGothic", "DejaVu Sans"])
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf",
             "--lang", "ja", "--lang", "en", "--output", "out"], in: folder.path,
            environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.standardError)")
        let pdfs = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("out/maebashi-profit-share").path
        ).filter { $0.hasSuffix(".pdf") }
        #expect(pdfs.count == 6)
        #expect(try String(contentsOf: log, encoding: .utf8) == "run\n")
    }
}

/// KPI targets as a municipal plan publishes them (issue 28, item 16): a target year ahead,
/// each KPI judged on its latest result with that result's year, a KPI without a baseline,
/// targets not measured counted apart, KPIs by name, figures as written.
@Suite struct PlanKPITables {
    static let contract = "example-plan-kpi-table.xml"

    static func markdown(_ year: Int, _ language: Language = .en) throws -> String {
        try MisleadingStatements.render(
            try MisleadingStatements.contract(Self.contract), year: year, language: language)
    }

    @Test func eachTargetIsJudgedOnItsKPIsLatestResultWithItsYear() throws {
        let text = try Self.markdown(2022)
        #expect(
            text.contains(
                "| checkup-0.50 | Health check-up rate | at least 0.50 | FY2024 (令和6年度) | 0.45 | 0.55 | FY2022 (令和4年度) | achieved | Health check-up rate actual 0.55 ≥ 0.50: holds | S1 |"
            ), "\(text)")
        // Measured every other year: R3's 77.0, as the plan wrote it.
        #expect(
            text.contains(
                "| satisfaction-80 | Residents' satisfaction | at least 80.0% | FY2024 (令和6年度) | 72.0 | 77.0 | FY2021 (令和3年度) | not achieved | Residents' satisfaction actual 77.0 ≥ 80.0: does not hold | S2 |"
            ), "\(text)")
        // No baseline: none is invented.
        #expect(text.contains("| volunteers-1200 | Registered volunteers | at least 1,200 | FY2024 (令和6年度) | none | 1,250 |"))
        #expect(!text.contains("| volunteers | Registered volunteers | persons | higher | 0 |"))
        #expect(
            text.contains(
                "| walking-4 | Daily walking distance | at least 4.0 km | FY2024 (令和6年度) | 3.2 |  |  | not measured | Daily walking distance actual not measured ≥ 4.0: not measured | S4 |"
            ), "\(text)")
        #expect(text.contains("2 of 3 targets measured achieved; 1 not measured yet."))
        // A contract of targets only owes nothing, and says so.
        #expect(text.contains("Nothing is due: this contract's KPI targets carry no payment."))
        #expect(!text.contains("## Payments by rule"))
    }

    @Test func japaneseStatementsNameKPIsInJapanese() throws {
        let text = try Self.markdown(2022, .ja)
        #expect(text.contains("| satisfaction-80 | 市民満足度 | 80.0%以上 | 令和6年度 (FY2024) | 72.0 | 77.0 | 令和3年度 (FY2021) | 未達成 | 市民満足度 実績 77.0 ≥ 80.0：不成立 | S2 |"), "\(text)")
        #expect(text.contains("測定済みの目標 3 件のうち 2 件を達成。未測定 1 件"), "\(text)")
    }
}
