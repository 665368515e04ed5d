import Foundation
import PFS
import PFSLoader
import PFSModel
import PFSRegister
import PFSTestSupport
import Testing
import ZIPFoundation

/// `pfs actuals`: a department's table of values taken into a contract (issue 14, item 1).
@Suite(.serialized) struct ActualsImport {
    static let maebashi = Repository.contracts + "/maebashi-profit-share.xml"
    static let header = "指標,年度,実績値,出典\n"
    static let revised = "item-c,令和6年度,\"2,250\",前橋市公表資料 (R6実績・修正)\nitem-a,FY2024,1150,監査報告\n"

    /// A copy of the Maebashi contract and a table beside it.
    static func folder(table name: String, _ bytes: [UInt8]) throws -> URL {
        let folder = try TemporaryFolder.make()
        try FileManager.default.copyItem(atPath: maebashi, toPath: folder.appendingPathComponent("m.xml").path)
        try Data(bytes).write(to: folder.appendingPathComponent(name))
        return folder
    }

    static func run(_ arguments: [String], in folder: URL, expect status: Int32) throws -> CommandRun {
        let run = try CommandRun.pfs(arguments, in: folder.path)
        #expect(run.status == status, "pfs \(arguments.joined(separator: " ")): \(run.standardError)")
        return run
    }

    /// The contract's lines that differ after the import, as (before, after).
    static func changedLines(_ folder: URL) throws -> [String] {
        let before = try String(contentsOfFile: maebashi, encoding: .utf8).components(separatedBy: "\n")
        let after = try String(contentsOf: folder.appendingPathComponent("m.xml"), encoding: .utf8)
            .components(separatedBy: "\n")
        return after.filter { !before.contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test(arguments: ["utf8-bom", "shift-jis", "xlsx"])
    func aTableIsTakenInWithOnlyItsValuesChanged(_ encoding: String) throws {
        let name = encoding == "xlsx" ? "actuals.xlsx" : "actuals.csv"
        let text = Self.header + Self.revised
        let bytes: [UInt8]
        switch encoding {
        case "utf8-bom": bytes = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case "shift-jis": bytes = Array(try #require(text.data(using: .shiftJIS)))
        default:
            bytes = try Workbook.bytes([
                [.text("指標"), .text("年度"), .text("実績値"), .text("出典")],
                [.text("item-c"), .text("令和6年度"), .number("2250"), .text("前橋市公表資料 (R6実績・修正)")],
                [.text("item-a"), .text("FY2024"), .number("1150"), .inline("監査報告")],
            ])
        }
        let folder = try Self.folder(table: name, bytes)
        let run = try Self.run(["actuals", "m.xml", "--from", name], in: folder, expect: 0)
        #expect(run.standardOutput.contains("1 added, 1 changed, 0 unchanged"))
        #expect(
            run.standardOutput.contains(
                "~ KPI item-c FY2024 actual 2200 → 2250  (row 2; source: 前橋市公表資料 (R6実績) → 前橋市公表資料 (R6実績・修正))"))
        #expect(
            try Self.changedLines(folder) == [
                #"<actual year="2024" value="1150" source="監査報告"/>"#,
                #"<actual year="2024" value="2250" source="前橋市公表資料 (R6実績・修正)"/>"#,
            ])
        // Improvement 250, attributable 75, provider 15, city 60.
        let settlement = try PFS.settle(path: folder.appendingPathComponent("m.xml").path, year: 2024).get()
        #expect(settlement.totals.providerRewards == ExactDecimal(15))
        #expect(settlement.totals.publicShare == ExactDecimal(60))
        // The same table again changes nothing and writes nothing.
        let again = try Self.run(["actuals", "m.xml", "--from", name], in: folder, expect: 0)
        #expect(again.standardOutput.contains("0 added, 0 changed, 2 unchanged"))
        #expect(!again.standardOutput.contains("wrote"))
    }

    @Test func aDryRunWritesNothingAndOutputLeavesTheContract() throws {
        let folder = try Self.folder(table: "a.csv", Array((Self.header + Self.revised).utf8))
        _ = try Self.run(["actuals", "m.xml", "--from", "a.csv", "--dry-run"], in: folder, expect: 0)
        #expect(try Self.changedLines(folder).isEmpty)
        _ = try Self.run(["actuals", "m.xml", "--from", "a.csv", "--output", "m2.xml"], in: folder, expect: 0)
        #expect(try Self.changedLines(folder).isEmpty)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("m2.xml").path))
    }

    static let refusals: [(table: String, diagnostic: String)] = [
        (
            "kpi,year,value\nitem-x,2024,1\n",
            "a.csv:2:1: error: [actuals-kpi] row 2: KPI 'item-x' is not in contract 'maebashi-profit-share'"
        ),
        (
            "kpi,year,value\nitem-c,2030,1\n",
            "a.csv:2:2: error: [actuals-year] row 2: FY2030 is outside the contract's term 2020–2024"
        ),
        (
            "kpi,year,value\nitem-c,next year,1\n",
            "a.csv:2:2: error: [actuals-year] row 2: 'next year' is not a fiscal year"
        ),
        (
            "kpi,year,value\nitem-c,2024,2.2.0\n",
            "a.csv:2:3: error: [actuals-value] row 2: '2.2.0' is not a decimal number"
        ),
        (
            "kpi,year,value\nitem-c,2024,\"22,00\"\n",
            "a.csv:2:3: error: [actuals-value] row 2: '22,00' is not a decimal number"
        ),
        ("kpi,year,value\nitem-c,2024,１２\n", "a.csv:2:3: error: [actuals-value] row 2: '１２' is not a decimal number"),
        (
            "kpi,year,value\nitem-c,2024,2250\nitem-c,R6,2260\n",
            "a.csv:3:1: error: [actuals-duplicate] row 3 gives KPI 'item-c' FY2024 actual again (row 2 gave it)"
        ),
        (
            "kpi,year,value,kind\nitem-c,2024,2250,estimate\n",
            "a.csv:2:4: error: [actuals-kind] row 2: kind 'estimate' is neither actual nor expected"
        ),
        (
            "kpi,value\nitem-c,2250\n",
            "a.csv: error: [actuals-table] a.csv's first row has no year column (it names: 'kpi', 'value')"
        ),
        ("", "a.csv: error: [actuals-table] a.csv is empty"),
        // An unquoted thousands separator splits a value in two: refused, never read as 1
        // (issue 28, item 1).
        (
            "kpi,year,value\nitem-a,2024,1,100\n",
            "a.csv:2:4: error: [actuals-table] row 2 has 4 cells but the first row names 3 columns: '100' in column D has no header"
        ),
    ]

    @Test(arguments: refusals.indices)
    func everyBadRowIsRefusedAtItsCellAndNothingIsWritten(_ index: Int) throws {
        let (table, diagnostic) = Self.refusals[index]
        let folder = try Self.folder(table: "a.csv", Array(table.utf8))
        let run = try Self.run(["actuals", "m.xml", "--from", "a.csv"], in: folder, expect: 1)
        #expect(run.standardError.hasPrefix(diagnostic), "\(run.standardError)")
        #expect(try Self.changedLines(folder).isEmpty)
    }

    @Test func aTableThatWouldBreakTheContractIsRefused() throws {
        let folder = try Self.folder(table: "a.csv", Array("kpi,year,value\nitem-c,2023,2100\n".utf8))
        let run = try Self.run(["actuals", "m.xml", "--from", "a.csv"], in: folder, expect: 1)
        #expect(
            run.standardError.hasPrefix(
                "m.xml (new version):47:7: error: [actual-without-expected] with the table's values, the new version would fail: KPI 'item-c' has an actual value for 2023 but no expected value"
            ))
    }

    @Test func aFileThatIsNotAWorkbookIsRefused() throws {
        let folder = try Self.folder(table: "a.xlsx", Array("kpi,year,value\n".utf8))
        let run = try Self.run(["actuals", "m.xml", "--from", "a.xlsx"], in: folder, expect: 1)
        #expect(
            run.standardError.hasPrefix(
                "a.xlsx: error: [actuals-table] a.xlsx is not an .xlsx workbook (not a zip archive)"))
    }

    /// A value of an issued year changes only with a reason, which the register records; a
    /// new year's values need none.
    @Test(arguments: Backend.available)
    func anIssuedYearChangesOnlyWithACorrection(_ backend: Backend) async throws {
        let folder = try Self.folder(table: "a.csv", Array((Self.header + Self.revised).utf8))
        let register = try await RegisterCommands.prepared(backend, in: folder)
        let year = ["--year", "2024", "--register", register]
        for step in [
            ["settle", "m.xml", "--key", "finance.key"], ["review", "m.xml", "--key", "evaluator.key"],
            ["approve", "m.xml", "--key", "finance.key"],
            ["issue", "m.xml", "--key", "finance.key", "--output", "out", "--format", "json"],
        ] {
            _ = try Self.run(step + year, in: folder, expect: 0)
        }
        let refused = try Self.run(
            ["actuals", "m.xml", "--from", "a.csv", "--register", register], in: folder, expect: 1)
        #expect(
            refused.standardError.hasPrefix(
                "a.csv:2:1: error: [actuals-issued] row 2 changes KPI 'item-c' FY2024 actual from 2200 to 2250, but FY2024 is issued"
            ))
        #expect(try Self.changedLines(folder).isEmpty)
        let corrected = try Self.run(
            [
                "actuals", "m.xml", "--from", "a.csv", "--register", register, "--key", "finance.key", "--correction",
                "audit of 2025-09: R6 figure restated",
            ],
            in: folder, expect: 0)
        #expect(corrected.standardOutput.contains("wrote m.xml"))
        let location = RegisterLocation.parse(register)
        let opened = try await Register.open(location)
        var lines: [String] = []
        try await opened.export { lines.append($0) }
        await opened.close()
        #expect(
            lines.contains {
                $0.contains(#""kind":"corrected""#) && $0.contains("audit of 2025-09: R6 figure restated")
            })
        // Settling the issued year again records the adjustment, with the recorded reason.
        let adjusted = try Self.run(["settle", "m.xml", "--key", "finance.key"] + year, in: folder, expect: 0)
        #expect(
            adjusted.standardOutput.contains(
                "maebashi-profit-share FY2024: adjustment 1 settled (run 2), difference -3"))
        #expect(
            adjusted.standardOutput.contains("maebashi → provider  smart-city  issued 18  restated 15  difference -3"))
        #expect(adjusted.standardOutput.contains("recorded maebashi-profit-share/adjustment-1-FY2024.ja.txt"))
        let history = try Self.run(["history", "m.xml", "--register", register], in: folder, expect: 0)
        #expect(history.standardOutput.contains("why: audit of 2025-09: R6 figure restated"))
        #expect(history.standardOutput.contains("    KPI item-c FY2024 actual: 2200 → 2250"))
    }
}

/// A minimal .xlsx workbook: one sheet, shared strings, numbers and inline strings.
enum Workbook {
    enum Cell {
        case text(String)
        case number(String)
        case inline(String)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    static func bytes(_ rows: [[Cell]]) throws -> [UInt8] {
        var shared: [String] = []
        var sheet =
            #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in rows.enumerated() {
            sheet += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let reference = String(UnicodeScalar(UInt8(65 + c))) + "\(r + 1)"
                switch cell {
                case .text(let text):
                    shared.append(text)
                    sheet += "<c r=\"\(reference)\" t=\"s\"><v>\(shared.count - 1)</v></c>"
                case .number(let value): sheet += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                case .inline(let text):
                    sheet += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(escape(text))</t></is></c>"
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let strings =
            #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + shared.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>"
        return try package(sheet: sheet, strings: strings)
    }

    /// A workbook around a worksheet's XML as given; `compressed` parts are deflated.
    /// `sheetPath` is where the sheet is stored (its relationship always names
    /// `xl/worksheets/sheet1.xml`).
    static func package(
        sheet: String, strings: String? = nil, compressed: Bool = false, sheetPath: String = "xl/worksheets/sheet1.xml"
    ) throws -> [UInt8] {
        let workbook =
            #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="実績" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        let relations =
            #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
        let archive = try Archive(accessMode: .create)
        var parts = [
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", relations),
            (sheetPath, sheet),
        ]
        if let strings { parts.append(("xl/sharedStrings.xml", strings)) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: compressed ? .deflate : .none,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return Array(archive.data ?? Data())
    }
}
