import CSV
import Foundation
import PFS
import PFSModel
import PFSStatements
import PFSTestSupport
import Testing

/// Statements as workbooks (issue 17, item 1, settlement and payout statements: values with
/// totals as formulas): LibreOffice opens every shipped workbook, calculates it, and every
/// number and every total it reads back is pfs's, to the unit.
@Suite(.serialized) struct StatementWorkbooks {
    static let soffice = "/usr/bin/soffice"

    /// Where LibreOffice is. CI installs it (`libreoffice-calc-nogui`): there its absence fails.
    static var available: Bool {
        let found = FileManager.default.isExecutableFile(atPath: soffice)
        if !found, ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI must install libreoffice-calc-nogui (.ci/run)")
        }
        return found
    }

    /// The workbooks pfs would make for the shipped contracts, by path under Reports/.
    static func expectedWorkbooks() throws -> [String: PFSStatements.Workbook] {
        var workbooks: [String: PFSStatements.Workbook] = [:]
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let checked = PFS.check(path: path, canonical: true)
            let history = try PFS.settleTerm(checked, fileName: PFS.lastPathComponent(path)).get()
            for end in history.indices {
                let years = Array(history[...end])
                let settlement = years[end]
                for kind in Statement.kinds(history: years) {
                    guard let document = Statement.document(kind, history: years) else { continue }
                    for language in Language.allCases {
                        let file = Statement.path(
                            contractID: settlement.contract.id, year: settlement.fiscalYear.year, kind: kind,
                            format: .xlsx, language: language)
                        workbooks[file] = XLSXStatement.workbook(document, language: language)
                    }
                }
            }
        }
        return workbooks
    }

    @Test func libreOfficeCalculatesEveryShippedWorkbookToPfsFigures() throws {
        guard Self.available else { return }
        let expected = try Self.expectedWorkbooks()
        let shipped = try FileManager.default.subpathsOfDirectory(atPath: Repository.reports).filter {
            $0.hasSuffix(".xlsx")
        }
        #expect(Set(shipped) == Set(expected.keys))
        let output = try TemporaryFolder.make().path
        var formulas = 0
        for folder in Set(shipped.map { ($0 as NSString).deletingLastPathComponent }).sorted() {
            let files = shipped.filter { $0.hasPrefix(folder + "/") }.map { Repository.reports + "/" + $0 }
            let converted = output + "/" + folder
            try FileManager.default.createDirectory(atPath: converted, withIntermediateDirectories: true)
            try Self.convert(files, to: converted)
            for file in shipped where file.hasPrefix(folder + "/") {
                let workbook = try #require(expected[file])
                let csv =
                    converted + "/"
                    + ((file as NSString).lastPathComponent as NSString)
                    .deletingPathExtension + ".csv"
                let read = try Self.rows(csv)
                for (rowIndex, row) in try #require(workbook.sheets.first).rows.enumerated() {
                    for (column, cell) in row.enumerated() {
                        let got = rowIndex < read.count && column < read[rowIndex].count ? read[rowIndex][column] : ""
                        let place = "\(file) \(PFSStatements.Workbook.column(column))\(rowIndex + 1)"
                        switch cell {
                        case .number(let value, _, _):
                            #expect(ExactDecimal(plain: got) == value, "\(place): \(got), pfs \(value)")
                        case .formula(_, let value, _, _):
                            formulas += 1
                            #expect(ExactDecimal(plain: got) == value, "\(place): calculated \(got), pfs \(value)")
                        case .text(let text, _):
                            #expect(got == text, "\(place)")
                        case .empty: break
                        }
                    }
                }
            }
        }
        #expect(formulas > 100)
    }

    /// A total is a formula only where it adds up the rows above; a workbook asks to be
    /// calculated when opened and stores no result of its own.
    @Test func totalsAreSumsOverTheRowsAboveAndNothingIsCached() throws {
        let workbooks = try Self.expectedWorkbooks()
        let maebashi = try #require(workbooks["maebashi-profit-share/settlement-FY2024.en.xlsx"])
        let formulas = try #require(maebashi.sheets.first).rows.flatMap { $0 }.compactMap { cell -> String? in
            if case .formula(let formula, _, _, _) = cell { return formula }
            return nil
        }
        #expect(formulas == ["SUM(E17:E17)", "SUM(D22:D22)", "SUM(E25:E26)"])
        let bytes = maebashi.xlsx()
        #expect(bytes == maebashi.xlsx(), "the same workbook is the same file")
        let file = try TemporaryFolder.make().appendingPathComponent("w.xlsx")
        try Data(bytes).write(to: file)
        let sheet = try Self.unzip(file.path, part: "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<f>SUM(E25:E26)</f></c>") && !sheet.contains("<v></v>"))
        #expect(try Self.unzip(file.path, part: "xl/workbook.xml").contains(#"fullCalcOnLoad="1""#))
    }

    static func unzip(_ path: String, part: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
            path, part,
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// LibreOffice headless: each workbook opened, calculated, saved as CSV of the raw
    /// values (not as shown), UTF-8.
    static func convert(_ files: [String], to folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-lo-\(UUID().uuidString)")
        process.arguments =
            [
                "-env:UserInstallation=file://" + profile.path, "--headless", "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false", "--outdir", folder,
            ] + files
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    static func rows(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(string: try String(contentsOfFile: path, encoding: .utf8))
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }
}
