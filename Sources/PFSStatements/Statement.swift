import Foundation
import PFSModel

/// The formats a statement can be written in.
public enum StatementFormat: String, Sendable, CaseIterable, Codable {
    /// Plain text for a terminal or a printout.
    case text
    /// Markdown (GitHub-flavoured tables).
    case md
    /// One self-contained HTML file that prints to A4.
    case html
    /// CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF line ends.
    case csv
    /// JSON: the settlement (`pfs-settlement/1`) or the document (`pfs-payout/1`, `pfs-audit/1`).
    case json
    /// An Excel workbook (Office Open XML): numbers as numbers, totals as formulas.
    case xlsx
    /// A4 PDF, made from the HTML statement by WeasyPrint (`PDFRenderer` in PFS): fonts
    /// embedded, page numbers, the contract digest on every page.
    case pdf

    /// The formats pfs writes by itself (`--format all`, `pfs reports`); PDF needs a
    /// renderer installed beside it.
    public static let own: [StatementFormat] = [.text, .md, .html, .csv, .json, .xlsx]

    /// Whether the format is bytes rather than text (written to files only).
    public var isBinary: Bool { self == .xlsx || self == .pdf }

    /// The file extension for the format.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .md: return "md"
        case .html: return "html"
        case .csv: return "csv"
        case .json: return "json"
        case .xlsx: return "xlsx"
        case .pdf: return "pdf"
        }
    }

    /// Whether the format's labels depend on the language (JSON carries both).
    public var isLocalized: Bool { self != .json }
}

/// Renders documents; renderers see only the document and the settlement, never the XML.
public enum Statement {
    /// The documents a settled year produces: the annual settlement, a payout statement per
    /// contractor, the audit trail. `history` holds the settled years of the term up to and
    /// including this one, in order (the payout statements show them year by year).
    public static func documents(history: [Settlement], curves: [PaymentCurve] = []) -> [Document] {
        kinds(history: history).compactMap { document($0, history: history, curves: curves) }
    }

    /// The kinds of document a settled year produces, in order.
    public static func kinds(history: [Settlement]) -> [DocumentKind] {
        guard !history.isEmpty else { return [] }
        return [.settlement] + Payout.contractors(in: history).map { .payout(party: $0.id) } + [.audit]
    }

    /// One document of the last settled year of `history`; nil for a party that receives
    /// nothing in it. `curves` are the year's payment curves (``PaymentCurve``), drawn in
    /// HTML statements beside the other charts.
    public static func document(
        _ kind: DocumentKind, history: [Settlement], curves: [PaymentCurve] = []
    ) -> Document? {
        guard let settlement = history.last else { return nil }
        var document: Document?
        switch kind {
        case .settlement: document = AnnualSettlement.document(settlement)
        case .audit: document = AuditTrail.document(settlement)
        case .adjustment: return nil  // made from the register's figures: AdjustmentStatement
        case .value: return nil  // made from an assessment: ValueStatement
        case .payout(let id):
            guard let party = Payout.contractors(in: history).first(where: { $0.id == id }) else { return nil }
            document = Payout.document(party: party, history: history)
        }
        document?.charts = Charts.of(kind, history: history, curves: curves)
        return document
    }

    /// The document in `format` and `language`, ending with a newline.
    public static func render(_ document: Document, as format: StatementFormat, language: Language) -> String {
        // The bundled template has no limit to exceed.
        (try? render(document, as: format, language: language, template: .standard)) ?? ""
    }

    /// The document in `format` and `language`, HTML through `template`, which fails when
    /// an organisation's template exceeds its limits.
    public static func render(
        _ document: Document, as format: StatementFormat, language: Language,
        template: HTMLTemplate
    ) throws(HTMLTemplate.Problem) -> String {
        switch format {
        case .text: return TextRenderer.render(document, language: language)
        case .md: return MarkdownRenderer.render(document, language: language)
        // PDF is the HTML statement, turned into pages by the PDF renderer.
        case .html, .pdf: return try template.render(document, language: language)
        // A workbook is bytes (``bytes(_:as:language:template:)``); as text it reads as its CSV.
        case .csv, .xlsx: return CSVRenderer.render(document, language: language)
        case .json:
            if case .settlement = document.kind { return JSONStatement.render(document.settlement) }
            return document.json.serialized()
        }
    }

    /// The document's file content in `format` (PDF is made from the HTML by the PDF
    /// renderer, outside this module).
    public static func bytes(
        _ document: Document, as format: StatementFormat, language: Language, template: HTMLTemplate
    ) throws(HTMLTemplate.Problem) -> [UInt8] {
        if format == .xlsx {
            if case .audit = document.kind { return AuditWorkbook.workbook(document, language: language).xlsx() }
            if let assessment = document.assessment {
                return ValueWorkbook.workbook(document, assessment, language: language).xlsx()
            }
            return XLSXStatement.workbook(document, language: language).xlsx()
        }
        return Array(try render(document, as: format, language: language, template: template).utf8)
    }

    /// The document's file content in `format` with the bundled template (which has no limit
    /// to exceed); PDF is made from the HTML outside this module.
    public static func bytes(_ document: Document, as format: StatementFormat, language: Language) -> [UInt8] {
        (try? bytes(document, as: format, language: language, template: .standard)) ?? []
    }

    /// The annual settlement of `settlement` in `format` (English labels where localized).
    public static func render(_ settlement: Settlement, as format: StatementFormat, language: Language = .en) -> String
    {
        render(AnnualSettlement.document(settlement), as: format, language: language)
    }

    /// The file name of a document: `settlement-FY2024.ja.html`, `payout-provider-FY2024.en.txt`,
    /// `audit-FY2024.json` (JSON carries both languages).
    public static func fileName(_ kind: DocumentKind, year: Int, format: StatementFormat, language: Language) -> String
    {
        let stem = "\(kind.fileStem)-FY\(year)"
        return format.isLocalized
            ? "\(stem).\(language.rawValue).\(format.fileExtension)" : "\(stem).\(format.fileExtension)"
    }

    /// Whether `name` is a file name pfs gives a statement (``fileName(_:year:format:language:)``,
    /// or a revision of one, `…-FY2024.ja-r2.txt`). Only such files are ever removed from an
    /// output directory: anything else there is not pfs's to touch.
    public static func isStatementFileName(_ name: String) -> Bool {
        guard let format = StatementFormat.allCases.first(where: { name.hasSuffix("." + $0.fileExtension) }) else {
            return false
        }
        var rest = Substring(name.dropLast(format.fileExtension.count + 1))
        // A revision's number goes just before the extension (StatementOutput.revisionPath).
        if let dash = rest.lastIndex(of: "-"), rest[rest.index(after: dash)...].first == "r" {
            let number = rest[rest.index(dash, offsetBy: 2)...]
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), Int(number).map({ $0 >= 2 }) == true else {
                return false
            }
            rest = rest[..<dash]
        }
        if format.isLocalized {
            guard let language = Language.allCases.first(where: { rest.hasSuffix("." + $0.rawValue) }) else {
                return false
            }
            rest = rest.dropLast(language.rawValue.count + 1)
        }
        let year = rest.suffix(4)
        guard year.count == 4, year.allSatisfy(\.isASCIIDigit), rest.dropLast(4).hasSuffix("-FY") else { return false }
        let stem = rest.dropLast(7)
        if stem == "settlement" || stem == "audit" || stem == "value" { return true }
        guard stem.hasPrefix("payout-") else { return false }
        return stem.dropFirst("payout-".count).isContractIdentifier
    }

    /// Where a document goes under an output directory: `<contract-id>/<file name>`. One
    /// directory per contract, not per year: a portfolio run creates 10 times fewer.
    public static func path(
        contractID: String, year: Int, kind: DocumentKind, format: StatementFormat, language: Language
    ) -> String {
        "\(contractID)/" + fileName(kind, year: year, format: format, language: language)
    }
}

/// Plain text: headings, aligned facts and tables (CJK characters count two cells).
enum TextRenderer {
    static func render(_ document: Document, language: Language) -> String {
        var lines = [
            document.title.text(language),
            String(repeating: "=", count: TextTable.displayWidth(document.title.text(language))),
        ]
        let digits = document.amountDigits
        let overview = Document.overviewTitle.text(language)
        lines += ["", overview, String(repeating: "-", count: TextTable.displayWidth(overview))]
        lines += facts(document.header, language, digits)
        for section in document.sections {
            lines.append("")
            let title = section.title.text(language)
            lines.append(title)
            lines.append(String(repeating: "-", count: TextTable.displayWidth(title)))
            for (index, block) in section.blocks.enumerated() {
                switch block {
                case .facts(let list):
                    if index > 0 { lines.append("") }
                    lines += facts(list, language, digits)
                case .note(let phrase): lines += TextTable.wrap(phrase.text(language), width: TextTable.maximumWidth)
                case .table(let table):
                    if index > 0 { lines.append("") }
                    lines += render(table, language, digits)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func facts(_ facts: [Fact], _ language: Language, _ digits: Int) -> [String] {
        var table = TextTable([.left, .left])
        for fact in facts {
            table.add([fact.label.text(language), fact.value.display(language, amountDigits: digits)])
        }
        return table.render(indent: "")
    }

    static func render(_ table: Table, _ language: Language, _ digits: Int) -> [String] {
        let numeric = numericColumns(table)
        var text = TextTable(numeric.map { $0 ? .right : .left }, headerRows: 1)
        text.add(table.columns.map { $0.title.text(language) })
        for row in table.rows { text.add(row.map { $0.display(language, amountDigits: digits) }) }
        guard !table.totals.isEmpty else { return text.render(indent: "") }
        // Totals are aligned with the rows: render them together, then rule them off above
        // the totals' first line (a wrapped row takes several).
        for row in table.totals { text.add(row.map { $0.display(language, amountDigits: digits) }) }
        let rendered = text.renderRows(indent: "")
        let body = rendered.dropLast(table.totals.count).flatMap { $0 },
            totals = rendered.suffix(table.totals.count).flatMap { $0 }
        let width = (body + totals).map(TextTable.displayWidth).max() ?? 0
        return body + [String(repeating: "-", count: width)] + totals
    }

    /// A column is numeric when every non-empty cell of its rows is (totals follow the rows).
    static func numericColumns(_ table: Table) -> [Bool] {
        table.columns.indices.map { index in
            let cells = (table.rows.isEmpty ? table.totals : table.rows)
                .compactMap { $0.indices.contains(index) ? $0[index] : nil }.filter { $0 != .empty }
            return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
        }
    }
}

/// Markdown: a heading per section, facts and tables as pipe tables. Text from the
/// contract is escaped, so it cannot add markup or raw HTML.
enum MarkdownRenderer {
    static func render(_ document: Document, language: Language) -> String {
        var lines = ["# " + escape(document.title.text(language)), ""]
        let digits = document.amountDigits
        lines += ["## " + escape(Document.overviewTitle.text(language)), ""]
        lines += facts(document.header, language, digits)
        for section in document.sections {
            lines += ["", "## " + escape(section.title.text(language))]
            for block in section.blocks {
                lines.append("")
                switch block {
                case .facts(let list): lines += facts(list, language, digits)
                case .note(let phrase): lines.append(escape(phrase.text(language)))
                case .table(let table):
                    let numeric = TextRenderer.numericColumns(table)
                    lines.append(
                        "| " + table.columns.map { escape($0.title.text(language)) }.joined(separator: " | ") + " |")
                    lines.append("|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined())
                    for row in table.rows { lines.append(cells(row, language, digits, bold: false)) }
                    for row in table.totals { lines.append(cells(row, language, digits, bold: true)) }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func facts(_ facts: [Fact], _ language: Language, _ digits: Int) -> [String] {
        ["| | |", "| --- | --- |"]
            + facts.map {
                "| " + escape($0.label.text(language)) + " | "
                    + escape($0.value.display(language, amountDigits: digits)) + " |"
            }
    }

    static func cells(_ row: [Cell], _ language: Language, _ digits: Int, bold: Bool) -> String {
        "| "
            + row.map { cell in
                let text = escape(cell.display(language, amountDigits: digits))
                return bold && !text.isEmpty ? "**" + text + "**" : text
            }.joined(separator: " | ") + " |"
    }

    /// Backslash-escapes Markdown's punctuation and writes `<`, `>` and `&` as entities.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            case "\\", "|", "*", "_", "`", "[", "]", "#": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }
}

extension Character {
    /// 0–9 only (`isNumber` also accepts other scripts' digits).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
