import CSV
import Foundation
import PFSModel

/// Why a table could not be read at all.
public struct TableProblem: Error, Sendable {
    /// The `actuals-table` diagnostic.
    public let diagnostic: Diagnostic
}

/// One cell of a table of values: its text and where it is (row and column, 1-based).
public struct TableCell: Sendable, Hashable {
    /// The cell's text, trimmed.
    public let text: String
    /// Its row (the header is row 1).
    public let row: Int
    /// Its column.
    public let column: Int
}

/// One row of a department's table of values: KPI, year, value, and the optional source
/// and kind (actual or expected).
public struct ActualsRow: Sendable, Hashable {
    public let row: Int
    public let kpi: TableCell
    public let year: TableCell
    public let value: TableCell
    public let source: TableCell?
    public let kind: TableCell?
}

/// A table read by `pfs actuals --from`: a CSV file (UTF-8 with or without BOM, or the
/// Shift_JIS Excel writes in Japan) or the first sheet of an XLSX workbook.
public struct ActualsTable: Sendable {
    /// The file's name, as diagnostics show it.
    public let file: String
    /// The sheet read, for a workbook.
    public let sheet: String?
    /// The rows with a value, in order.
    public let rows: [ActualsRow]

    /// Where a cell is, for a diagnostic: `FILE:ROW:COLUMN`, and the column's letter.
    public func location(_ cell: TableCell) -> SourceLocation {
        SourceLocation(
            file: file, line: cell.row, column: cell.column,
            element: (sheet.map { "sheet '\($0)' " } ?? "") + "cell \(Self.columnLetters(cell.column))\(cell.row)")
    }

    /// A, B, …, Z, AA, …
    static func columnLetters(_ column: Int) -> String {
        var number = column
        var letters = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return letters
    }

    /// The header names each column may have (compared without case, spaces or underscores).
    static let headers: [(field: String, names: Set<String>)] = [
        ("kpi", ["kpi", "kpiid", "id", "指標", "指標id", "成果指標", "kpi名"]),
        ("year", ["year", "fiscalyear", "fy", "年度", "会計年度"]),
        ("value", ["value", "actual", "actualvalue", "値", "数値", "実績", "実績値"]),
        ("source", ["source", "出典", "出所", "データ出典", "根拠"]),
        ("kind", ["kind", "type", "種別", "区分"]),
    ]

    static func field(of header: String) -> String? {
        let key = header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" }
        return headers.first { $0.names.contains(key) }?.field
    }

    /// Reads `path` (by its extension: `.xlsx`, else CSV).
    public static func read(path: String) -> Result<ActualsTable, TableProblem> {
        let name = (path as NSString).lastPathComponent
        let data: [UInt8]
        switch ContractLoader.readFile(path, maxBytes: 64 << 20, regularOnly: true) {
        case .success(let bytes): data = bytes
        case .failure(.tooLarge):
            return .failure(problem("\(name) is larger than 64 MiB", file: name, hint: "split the table"))
        case .failure(.notRegular), .failure(.isDirectory):
            return .failure(
                problem("\(path) is not a regular file (a pipe, device or folder)", file: name, hint: "name the table's file"))
        case .failure:
            return .failure(problem("cannot read \(path)", file: name, hint: "check the path and its permissions"))
        }
        return read(bytes: data, name: name)
    }

    /// Reads a table's bytes, named `name` (by its extension: `.xlsx`, else CSV): what a
    /// portal upload gives, checked as a file is.
    public static func read(bytes data: [UInt8], name: String) -> Result<ActualsTable, TableProblem> {
        guard data.count <= 64 << 20 else {
            return .failure(problem("\(name) is larger than 64 MiB", file: name, hint: "split the table"))
        }
        if name.lowercased().hasSuffix(".xlsx") {
            return XLSXReader.firstSheet(data, file: name).flatMap { sheet, grid in
                table(grid, file: name, sheet: sheet)
            }
        }
        guard let text = decode(data) else {
            return .failure(
                problem(
                    "\(name) is neither UTF-8 nor Shift_JIS text", file: name,
                    hint: "save the table as CSV (UTF-8) or as an .xlsx workbook"))
        }
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false)
            var grid: [[String]] = []
            while let row = reader.next() { grid.append(row) }
            return table(grid, file: name, sheet: nil)
        } catch {
            return .failure(problem("\(name) is not a CSV table: \(error)", file: name, hint: nil))
        }
    }

    /// UTF-8 (a BOM removed), or else Shift_JIS, which Excel writes for Japanese CSV.
    static func decode(_ data: [UInt8]) -> String? {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(data: Data(bytes), encoding: .shiftJIS)
    }

    static func table(_ grid: [[String]], file: String, sheet: String?) -> Result<ActualsTable, TableProblem> {
        guard let header = grid.first else {
            return .failure(
                problem(
                    "\(file) is empty", file: file, hint: "the first row names the columns: kpi, year, value, source"))
        }
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let field = field(of: name.trimmingCharacters(in: .whitespaces)), columns[field] == nil {
                columns[field] = index
            }
        }
        let missing = ["kpi", "year", "value"].filter { columns[$0] == nil }
        guard missing.isEmpty, let kpi = columns["kpi"], let year = columns["year"], let value = columns["value"] else {
            return .failure(
                problem(
                    """
                    \(file)'s first row has no \(missing.joined(separator: ", ")) column (it names: \
                    \(header.map { "'\($0)'" }.joined(separator: ", ")))
                    """,
                    file: file,
                    hint: "name the columns kpi, year, value, source (or 指標, 年度, 実績値, 出典); kind (種別) is optional"))
        }
        var rows: [ActualsRow] = []
        for (offset, fields) in grid.enumerated().dropFirst() {
            let number = offset + 1
            func cell(_ index: Int?) -> TableCell? {
                guard let index else { return nil }
                let text = index < fields.count ? fields[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
                return TableCell(text: text, row: number, column: index + 1)
            }
            // A cell beyond the header's last column is a value split in two (an unquoted
            // 1,234), never something to drop; an empty one is only a spreadsheet's padding.
            if let extra = fields.indices.dropFirst(header.count).first(where: {
                !fields[$0].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }) {
                let cell = TableCell(text: fields[extra], row: number, column: extra + 1)
                return .failure(
                    TableProblem(
                        diagnostic: Diagnostic(
                            check: .actualsTable,
                            message: """
                                row \(number) has \(fields.count) cells but the first row names \(header.count) \
                                columns: '\(fields[extra].printable())' in column \(columnLetters(extra + 1)) has no header
                                """,
                            hint: """
                                quote a number written with a thousands separator ("1,234.5") or write it without \
                                one (1234.5); remove any other extra cell
                                """,
                            at: ActualsTable(file: file, sheet: sheet, rows: []).location(cell))))
            }
            // A row with nothing in it is a spreadsheet's blank line, not a value.
            guard fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
                let kpiCell = cell(kpi), let yearCell = cell(year), let valueCell = cell(value)
            else { continue }
            rows.append(
                ActualsRow(
                    row: number, kpi: kpiCell, year: yearCell, value: valueCell, source: cell(columns["source"]),
                    kind: cell(columns["kind"])))
        }
        return .success(ActualsTable(file: file, sheet: sheet, rows: rows))
    }

    static func problem(_ message: String, file: String, hint: String?) -> TableProblem {
        TableProblem(diagnostic: Diagnostic(check: .actualsTable, message: message, hint: hint, at: .file(file)))
    }
}
