import CSV
import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSOutput
import PFSTestSupport
import PFSValue
import Testing

@testable import PFSStatements

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
                        workbooks[file] =
                            kind == .audit
                            ? AuditWorkbook.workbook(document, language: language)
                            : XLSXStatement.workbook(document, language: language)
                    }
                }
            }
            // The value-for-money document of the term settled so far: its calculation sheet's
            // present values, NPV, multiples and rates of return are formulas.
            let contract = try #require(checked.contract)
            let assessment = try ValueForMoney.assess(contract, history: history).get()
            let document = try #require(ValueStatement.document(assessment, history: history))
            for language in Language.allCases {
                let file = Statement.path(
                    contractID: contract.id, year: assessment.asOf, kind: .value, format: .xlsx, language: language)
                workbooks[file] = ValueWorkbook.workbook(document, assessment, language: language)
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
                let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                for sheet in workbook.sheets {
                    let read = try Self.rows(converted + "/" + stem + "-" + sheet.name + ".csv")
                    formulas += Self.compare(sheet, with: read, place: file + " " + sheet.name)
                }
            }
        }
        #expect(formulas > 100)
    }

    /// Every rounding mode, on ties and not, at whole, thousand and cent increments: the
    /// Calculation sheet's formulas give pfs's rounded amounts in LibreOffice.
    @Test func everyRoundingModeRecomputesExactly() throws {
        guard Self.available else { return }
        let output = try TemporaryFolder.make().path
        var files: [String] = []
        var expected: [String: PFSStatements.Workbook] = [:]
        for mode in RoundingMode.allCases {
            for (increment, actuals) in [
                ("1", [987.5, 985.5, 990.3]), ("0.01", [987.125, 987.135, 987.1]), ("1000", [500.5, 1500, 2500]),
            ] {
                for (index, actual) in actuals.enumerated() {
                    let text = Adjustments.contract(actuals: [2020: 0])
                        .replacingOccurrences(
                            of: #"<rounding increment="1" mode="down"/>"#,
                            with: #"<rounding increment="\#(increment)" mode="\#(mode.rawValue)"/>"#
                        )
                        .replacingOccurrences(
                            of: #"currency="JPY""#, with: increment == "0.01" ? #"currency="USD""# : #"currency="JPY""#
                        )
                        .replacingOccurrences(
                            of: #"<actual year="2020" value="0""#, with: #"<actual year="2020" value="\#(actual)""#
                        )
                        .replacingOccurrences(
                            of: #"<expected year="2020" value="1000"/>"#,
                            with: #"<expected year="2020" value="\#(increment == "1000" ? "5000" : "1000")"/>"#)
                    let checked = PFS.check(bytes: Array(text.utf8), file: "c.xml")
                    let history = try PFS.settleTerm(checked, fileName: "c.xml").get()
                    let document = try #require(Statement.document(.audit, history: history))
                    let workbook = AuditWorkbook.workbook(document, language: .en)
                    let name = "\(mode.rawValue)-\(increment)-\(index)"
                    try Data(workbook.xlsx()).write(to: URL(fileURLWithPath: output + "/" + name + ".xlsx"))
                    files.append(output + "/" + name + ".xlsx")
                    expected[name] = workbook
                }
            }
        }
        try Self.convert(files, to: output)
        var formulas = 0
        for (name, workbook) in expected {
            for sheet in workbook.sheets where sheet.name == "Calculation" {
                formulas += Self.compare(
                    sheet, with: try Self.rows(output + "/" + name + "-Calculation.csv"), place: name)
            }
        }
        #expect(formulas >= 36 * 4)
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
        #expect(formulas == ["SUM(D26:D26)", "SUM(E29:E30)", "SUM(E37:E37)"])
        let bytes = maebashi.xlsx()
        #expect(bytes == maebashi.xlsx(), "the same workbook is the same file")
        let file = try TemporaryFolder.make().appendingPathComponent("w.xlsx")
        try Data(bytes).write(to: file)
        let sheet = try Self.unzip(file.path, part: "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<f>SUM(E29:E30)</f></c>") && !sheet.contains("<v></v>"))
        #expect(try Self.unzip(file.path, part: "xl/workbook.xml").contains(#"fullCalcOnLoad="1""#))
    }

    /// Every number, text and calculated formula of `sheet` against what LibreOffice read;
    /// how many formulas were compared.
    static func compare(_ sheet: PFSStatements.Workbook.Sheet, with read: [[String]], place: String) -> Int {
        var formulas = 0
        for (rowIndex, row) in sheet.rows.enumerated() {
            for (column, cell) in row.enumerated() {
                let got = rowIndex < read.count && column < read[rowIndex].count ? read[rowIndex][column] : ""
                let at = "\(place) \(PFSStatements.Workbook.column(column))\(rowIndex + 1)"
                switch cell {
                case .number(let value, _, _):
                    #expect(ExactDecimal(plain: got) == value, "\(at): \(got), pfs \(value)")
                case .formula(_, let value, _, _):
                    formulas += 1
                    #expect(ExactDecimal(plain: got) == value, "\(at): calculated \(got), pfs \(value)")
                case .text(let text, _):
                    #expect(got == text, "\(at)")
                case .empty: break
                }
            }
        }
        return formulas
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

    /// LibreOffice headless: each workbook opened, calculated, each sheet saved as CSV of
    /// the raw values (not as shown), UTF-8: `<workbook>-<sheet>.csv`.
    static func convert(_ files: [String], to folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-lo-\(UUID().uuidString)")
        process.arguments =
            [
                "-env:UserInstallation=file://" + profile.path, "--headless", "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", folder,
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
