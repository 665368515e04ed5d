import Foundation
import PFSModel
import ZIPFoundation

/// A spreadsheet workbook written as Office Open XML (`.xlsx`), the archive made with
/// ZIPFoundation. Numbers are numbers (with a number format), texts are texts — never run
/// as formulas — and formulas carry no cached value: the workbook asks to be calculated in
/// full when it is opened, so no stored result can disagree with its formula.
public struct Workbook: Sendable, Hashable {
    /// A cell's content and look.
    public enum Cell: Sendable, Hashable {
        case empty
        case text(String, bold: Bool = false)
        /// An exact decimal, shown with `decimals` fractional digits (nil: as it is).
        case number(ExactDecimal, decimals: Int?, bold: Bool = false)
        /// A formula (without `=`) and the value pfs computed for it, which is not written
        /// to the file: a check compares it with what a spreadsheet program calculates.
        case formula(String, expected: ExactDecimal, decimals: Int?, bold: Bool = true)
    }

    /// One sheet: rows of cells from A1.
    public struct Sheet: Sendable, Hashable {
        public let name: String
        public var rows: [[Cell]]
        /// Column widths in characters, from column A.
        public var widths: [Int]

        public init(name: String, rows: [[Cell]] = [], widths: [Int] = []) {
            self.name = name
            self.rows = rows
            self.widths = widths
        }
    }

    public var sheets: [Sheet]
    /// A name for a cell (`Step_S3` → `'Calculation'!$D$4`), which formulas use.
    public struct Name: Sendable, Hashable {
        public let name: String
        public let reference: String

        public init(_ name: String, _ reference: String) {
            self.name = name
            self.reference = reference
        }
    }

    public var names: [Name]

    public init(sheets: [Sheet], names: [Name] = []) {
        self.sheets = sheets
        self.names = names
    }

    /// An absolute reference to a cell of `sheet`: `'Calculation'!$D$4`.
    public static func reference(sheet: String, column: Int, row: Int) -> String {
        "'\(sheet.replacingOccurrences(of: "'", with: "''"))'!$\(Self.column(column))$\(row)"
    }

    /// `A`, `B`, … `Z`, `AA` for a zero-based column.
    public static func column(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// The workbook as the bytes of an `.xlsx` file (the same workbook gives the same bytes).
    public func xlsx() -> [UInt8] {
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", Self.rootRelations),
            ("xl/workbook.xml", workbookXML), ("xl/_rels/workbook.xml.rels", workbookRelations),
            ("xl/styles.xml", Self.styles),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", Self.sheetXML(sheet)))
        }
        guard let archive = try? Archive(data: Data(), accessMode: .create, pathEncoding: nil) else { return [] }
        // A fixed time: the same workbook is the same file.
        let time = Date(timeIntervalSince1970: 946_684_800)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try? archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: time,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data.map(Array.init) ?? []
    }

    private var contentTypes: String {
        let sheetTypes = sheets.indices.map {
            #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }.joined()
        return Self.declaration
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" "#
            + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" "#
            + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
            + sheetTypes + "</Types>"
    }

    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let rootRelations =
        declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" "#
        + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#
        + #"Target="xl/workbook.xml"/></Relationships>"#

    private var workbookXML: String {
        let list = sheets.enumerated().map { index, sheet in
            #"<sheet name="\#(XMLText.escaped(sheet.name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }.joined()
        let defined =
            names.isEmpty
            ? ""
            : "<definedNames>"
                + names.map {
                    #"<definedName name="\#(XMLText.escaped($0.name))">\#(XMLText.escaped($0.reference))</definedName>"#
                }
                .joined() + "</definedNames>"
        // fullCalcOnLoad: a spreadsheet program calculates every formula when it opens the file.
        return Self.declaration + #"<workbook xmlns="\#(Self.main)" xmlns:r="\#(Self.relationships)">"#
            + "<sheets>\(list)</sheets>" + defined + #"<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>"#
    }

    private var workbookRelations: String {
        let sheetRelations = sheets.indices.map {
            #"<Relationship Id="rId\#($0 + 1)" "#
                + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#
                + #"Target="worksheets/sheet\#($0 + 1).xml"/>"#
        }.joined()
        let styles =
            #"<Relationship Id="rId\#(sheets.count + 1)" "#
            + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" "#
            + #"Target="styles.xml"/>"#
        return Self.declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + sheetRelations + styles + "</Relationships>"
    }

    /// Styles: 0 plain, 1 bold text; numbers with 0 to 4 decimals (2–6) and the same bold
    /// (7–11); 12 a number as it is (General), 13 the same bold.
    static let styles: String = {
        let formats = (1...4).map { decimals in
            let code = "#,##0." + String(repeating: "0", count: decimals)
            return ##"<numFmt numFmtId="\##(163 + decimals)" formatCode="\##(code)"/>"##
        }.joined()
        let ids = [3] + (1...4).map { 163 + $0 }
        let plain = ids.map { #"<xf numFmtId="\#($0)" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>"# }
        let bold = ids.map {
            #"<xf numFmtId="\#($0)" fontId="1" fillId="0" borderId="0" applyNumberFormat="1" applyFont="1"/>"#
        }
        let cells =
            [
                #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>"#,
                #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1"/>"#,
            ]
            + plain + bold
            + [
                #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>"#,
                #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1"/>"#,
            ]
        return declaration + #"<styleSheet xmlns="\#(main)">"#
            + #"<numFmts count="4">\#(formats)</numFmts>"#
            + #"<fonts count="2"><font><sz val="10"/><name val="IPAexGothic"/></font>"#
            + #"<font><b/><sz val="10"/><name val="IPAexGothic"/></font></fonts>"#
            + #"<fills count="2"><fill><patternFill patternType="none"/></fill>"#
            + #"<fill><patternFill patternType="gray125"/></fill></fills>"#
            + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="\#(cells.count)">\#(cells.joined())</cellXfs></styleSheet>"#
    }()

    /// The style of a number with `decimals` fractional digits (nil: General).
    static func numberStyle(_ decimals: Int?, bold: Bool) -> Int {
        guard let decimals else { return bold ? 13 : 12 }
        return (bold ? 7 : 2) + min(max(decimals, 0), 4)
    }

    static func sheetXML(_ sheet: Sheet) -> String {
        var xml = declaration + #"<worksheet xmlns="\#(main)">"#
        if !sheet.widths.isEmpty {
            xml += "<cols>"
            for (index, width) in sheet.widths.enumerated() {
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (rowIndex, row) in sheet.rows.enumerated() {
            let number = rowIndex + 1
            xml += #"<row r="\#(number)">"#
            for (columnIndex, cell) in row.enumerated() {
                let reference = column(columnIndex) + String(number)
                switch cell {
                case .empty: continue
                case .text(let text, let bold):
                    xml +=
                        #"<c r="\#(reference)" t="inlineStr"\#(bold ? #" s="1""# : "")><is><t xml:space="preserve">"#
                        + XMLText.escaped(text) + "</t></is></c>"
                case .number(let value, let decimals, let bold):
                    xml += #"<c r="\#(reference)" s="\#(numberStyle(decimals, bold: bold))"><v>\#(value)</v></c>"#
                case .formula(let formula, _, let decimals, let bold):
                    xml +=
                        #"<c r="\#(reference)" s="\#(numberStyle(decimals, bold: bold))"><f>"#
                        + XMLText.escaped(formula)
                        + "</f></c>"
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }
}
