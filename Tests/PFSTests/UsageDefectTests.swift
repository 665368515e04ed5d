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
            ["settle", "m.xml", "--key", "finance.key"], ["review", "m.xml", "--key", "evaluator.key"],
            ["approve", "m.xml", "--key", "finance.key"], ["issue", "m.xml", "--key", "finance.key", "--output", "out", "--format", "json"],
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
            ["actuals", "m.xml", "--from", "a.csv", "--key", "finance.key", "--correction", "R6 figure restated"], in: folder,
            environment: ["PFS_REGISTER": register], expect: 0)
        let history = try Self.run(["history", "m.xml", "--register", register], in: folder, expect: 0)
        #expect(history.standardOutput.contains("why: R6 figure restated"))
    }

    @Test func actualsHonoursTheRegisterBesideTheContract() throws {
        let folder = try Self.folder()
        try RegisterCommands.prepare("pfs.sqlite", in: folder, binding: [folder.path + "/m.xml"])
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
            ["actuals", "m.xml", "--from", "a.csv", "--key", "finance.key", "--correction", "restated"], in: folder, expect: 1)
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
            ["issue", "m.xml", "--key", "finance.key", "--year", "2024", "--output", "again", "--format", "json", "--register", register], in: folder, expect: 0)
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
        let refused = try LostDataDefects.run(["issue", "m.xml", "--key", "finance.key"] + year, in: folder, expect: 1)
        #expect(
            refused.standardError.contains(
                "out/maebashi-profit-share/maebashi/settlement-FY2024.json: error: [statement-exists] already holds something else than the issued statement; pfs does not overwrite it"
            ), "\(refused.standardError)")
        #expect(try String(contentsOfFile: statement, encoding: .utf8) == "the city's own copy, annotated\n")
        for path in leftovers { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        // Put back, the issue writes nothing new and says so.
        try original.write(to: URL(fileURLWithPath: statement))
        let again = try LostDataDefects.run(["issue", "m.xml", "--key", "finance.key"] + year, in: folder, expect: 0)
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

    /// The other refusals of a workbook, each with its own message.
    @Test(arguments: [
        (
            #"<row r="2"><c r="A2" t="e"><v>#DIV/0!</v></c></row>"#,
            "t.xlsx: error: [actuals-table] t.xlsx has a error value in cell A2 in xl/worksheets/sheet1.xml"
        ),
        (
            // 300 rows reaching column XFD: 301 rows + 3 + 300 × 16,384 places, over the 4M read.
            (2...301).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined(),
            "t.xlsx: error: [actuals-table] t.xlsx has cells spread over 4915504 places (at most 4194304 are read) in xl/worksheets/sheet1.xml"
        ),
        (
            #"<row r="2"><c r="A2"><v>1</v></c>"#,
            "t.xlsx: error: [actuals-table] t.xlsx holds XML pfs refuses in xl/worksheets/sheet1.xml: "
        ),
    ])
    func otherRefusals(_ cells: String, _ message: String) throws {
        let refusal = try Self.refusal(try Workbook.package(sheet: Self.sheet(Self.header + cells)))
        #expect(refusal.hasPrefix(message), "\(refusal)")
    }

    @Test func aWorkbookWithoutItsSheetIsRefused() throws {
        let refusal = try Self.refusal(
            try Workbook.package(sheet: Self.sheet(Self.header), sheetPath: "xl/worksheets/other.xml"))
        #expect(
            refusal.hasPrefix("t.xlsx: error: [actuals-table] t.xlsx lacks its part xl/worksheets/sheet1.xml"),
            "\(refusal)")
    }

    @Test func aTableThatIsAPipeIsRefusedNotWaitedOn() throws {
        let folder = try LostDataDefects.folder()
        #expect(mkfifo(folder.appendingPathComponent("t.csv").path, 0o600) == 0)
        let run = try LostDataDefects.run(["actuals", "m.xml", "--from", "t.csv"], in: folder, expect: 1)
        #expect(
            run.standardError.hasPrefix(
                "t.csv: error: [actuals-table] t.csv is not a regular file (a pipe, device or folder)"),
            "\(run.standardError)")
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

/// What `pfs reports` recognises as its own statement of a contract, by content (item 9).
@Suite struct OwnStatements {
    @Test(arguments: [
        "settlement-FY2024.ja.txt", "settlement-FY2024.en.md", "audit-FY2024.ja.html", "payout-provider-FY2024.en.csv",
        "settlement-FY2024.json", "payout-provider-FY2024.json", "audit-FY2024.en.xlsx",
    ])
    func everyFormatIsRecognisedForItsContractOnly(_ name: String) {
        let path = Repository.reports + "/maebashi-profit-share/" + name
        #expect(StatementRecognition.isStatement(at: path, of: "maebashi-profit-share"))
        #expect(!StatementRecognition.isStatement(at: path, of: "example-sib"))
    }

    @Test func aFileOfOnesOwnIsNotAStatement() throws {
        let folder = try TemporaryFolder.make()
        for (name, text) in [
            ("settlement-FY2099.en.txt", "maebashi-profit-share: my notes\n"),
            ("settlement-FY2099.json", #"{"contract": {"id": "maebashi-profit-share"}}"#),
            ("settlement-FY2099.en.pdf", "%PDF-1.7 not made by pfs"),
        ] {
            try text.write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
            #expect(!StatementRecognition.isStatement(at: folder.path + "/" + name, of: "maebashi-profit-share"), "\(name)")
        }
    }
}

/// A KPI without a baseline serves targets and conditions on its actual value only; every
/// use that needs a baseline is refused with its own message (check `kpi-baseline`).
@Suite struct KPIsWithoutBaseline {
    static let fixture = Repository.path("Tests/PFSTests/Fixtures/invalid/kpi-baseline.xml")

    static func messages(_ edit: (String) -> String) throws -> [String] {
        let source = try String(contentsOfFile: Self.fixture, encoding: .utf8)
        let edited = edit(source)
        #expect(edited != source)
        return PFS.check(bytes: Array(edited.utf8), file: "k.xml").diagnostics.filter { $0.check == "kpi-baseline" }
            .map(\.message)
    }

    @Test func aConditionAgainstTheBaselineAndAProjectionAreRefused() throws {
        let found = try Self.messages {
            $0.replacingOccurrences(
                of: "<!--WHEN-->",
                with: #"<when><condition kpi="events" measure="improvement" against="baseline" compare="gt" value="0"/></when>"#
            ).replacingOccurrences(
                of: #"<actual year="2023" value="900"/>"#,
                with: #"<projection method="linear" slope="10"/><actual year="2023" value="900"/>"#)
        }
        #expect(
            found == [
                "KPI 'events' declares no baseline, but its projection needs one",
                "KPI 'events' declares no baseline, but payment 'p2023' needs one",
                "KPI 'events' declares no baseline, but a condition measured against the baseline needs one",
            ])
    }

    @Test func aProjectCreditIsRefused() throws {
        let found = try Self.messages {
            $0.replacingOccurrences(
                of: "  <payments>",
                with: """
                      <projects>
                        <project id="pr" payer="city"><name en="P"/><credit kpi="events" share="1"/><provider-share party="provider" share="0.2"/></project>
                      </projects>
                      <payments>
                    """)
        }
        #expect(
            found == [
                "KPI 'events' declares no baseline, but project 'pr' needs one",
                "KPI 'events' declares no baseline, but payment 'p2023' needs one",
            ])
    }
}
