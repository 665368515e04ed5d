import Foundation
import Mustache
import PFSModel

/// CSV for spreadsheet programs: UTF-8 with a byte-order mark (so that Excel reads Japanese
/// correctly), CRLF line ends, quoting by RFC 4180 (``SpreadsheetCSV``). Amounts are plain
/// numbers; text that a spreadsheet would run as a formula is prefixed with `'`.
enum CSVRenderer {
    static func render(_ document: Document, language: Language) -> String {
        var rows: [[String]] = [[document.title.text(language)], []]
        let digits = document.amountDigits
        rows.append([Document.overviewTitle.text(language)])
        rows += document.header.map { [$0.label.text(language), text($0.value, language, digits)] }
        for section in document.sections {
            rows += [[], [section.title.text(language)]]
            for block in section.blocks {
                switch block {
                case .facts(let facts):
                    rows += facts.map { [$0.label.text(language), text($0.value, language, digits)] }
                case .note(let phrase): rows.append([phrase.text(language)])
                case .table(let table):
                    rows.append(table.columns.map { $0.title.text(language) })
                    rows += (table.rows + table.totals).map { $0.map { text($0, language, digits) } }
                }
            }
        }
        return SpreadsheetCSV.text(rows)
    }

    /// A cell as a spreadsheet should read it: numbers plain, text guarded against formulas.
    static func text(_ cell: Cell, _ language: Language, _ digits: Int) -> String {
        let value = cell.plain(language, amountDigits: digits)
        return cell.isNumeric ? value : SpreadsheetCSV.guarded(value)
    }
}

/// CSV as spreadsheet programs open it: UTF-8 with a byte-order mark (Excel reads
/// Japanese correctly only then), CRLF between rows, RFC 4180 quoting (a field holding a
/// quote, comma, CR or LF is quoted, its quotes doubled). Rows with no field write nothing
/// and the last row has no line end — the layout of CSV.swift's writer, which this
/// replaces for writing: its per-field `NSString` searches and `NSData` bridging were a
/// quarter of a portfolio's ledger run (Benchmarks/README.md). Reading stays with CSV.swift.
public enum SpreadsheetCSV {
    /// The byte-order mark that starts the file.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The rows as CSV text, BOM first.
    public static func text(_ rows: [[String]]) -> String {
        var bytes = byteOrderMark
        var first = true
        for row in rows where !row.isEmpty {
            if !first { bytes += [0x0D, 0x0A] }
            first = false
            append(row, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One row's fields, separated by commas, without a line end.
    public static func append(_ row: [String], to bytes: inout [UInt8]) {
        for (index, field) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var field = field
            field.withUTF8 { utf8 in
                let quote = UInt8(ascii: "\"")
                guard utf8.contains(where: { $0 == quote || $0 == UInt8(ascii: ",") || $0 == 0x0D || $0 == 0x0A })
                else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                bytes.append(quote)
                for byte in utf8 {
                    bytes.append(byte)
                    if byte == quote { bytes.append(quote) }
                }
                bytes.append(quote)
            }
        }
    }

    /// Text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR first) gets
    /// a leading apostrophe, so that it is shown, never run.
    public static func guarded(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}

/// A Mustache template for the HTML statement. The bundled one prints to A4 in Japanese
/// and English; an organisation can supply its own (`pfs settle --template FILE`), which
/// sees the same values (see Contracts/README.md, "Statement templates").
public struct HTMLTemplate: Sendable {
    private let template: MustacheTemplate?
    /// Whether this is an organisation's own template, rendered under limits (the bundled
    /// one is known to make one page per document).
    private let limited: Bool

    /// Deepest nesting of sections a template may have (the bundled one nests six deep);
    /// 3,000 levels overflowed the parser's stack.
    public static let maximumNesting = 16
    /// How many times a template may render a section item, per item the document's lists
    /// hold: a template that walks each list once per parent renders each item about once;
    /// one that walks `sections` inside `sections` twenty times grows exponentially.
    public static let sectionRendersPerItem = 20

    /// Why a template could not be used.
    public struct Problem: Error, Sendable, Equatable {
        /// 1-based line and column in the template.
        public let line: Int
        /// 1-based column.
        public let column: Int
        /// What is wrong.
        public let message: String
    }

    /// Parses a template (an organisation's own: rendered under limits).
    public init(text: String) throws(Problem) {
        try self.init(text: text, limited: true)
    }

    private init(text: String, limited: Bool) throws(Problem) {
        self.limited = limited
        if let problem = TemplateNesting.problem(in: text, limit: Self.maximumNesting) { throw problem }
        do {
            template = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw Problem(
                line: error.context.lineNumber, column: error.context.columnNumber + 1,
                message: Self.describe(error.error))
        } catch {
            throw Problem(line: 0, column: 0, message: "\(error)")
        }
    }

    /// The bundled template.
    public static let standard: HTMLTemplate = {
        // Carried in the binary (EmbeddedTemplate.swift); a test parses it, so the fallback
        // (the text statement in a page) is never reached by a release.
        (try? HTMLTemplate(text: EmbeddedTemplate.text, limited: false)) ?? HTMLTemplate(unchecked: nil)
    }()

    /// The bundled template's text, to start an organisation's own from.
    public static var standardText: String { EmbeddedTemplate.text }

    private init(unchecked template: MustacheTemplate?) {
        self.template = template
        limited = false
    }

    /// The document as HTML; every value is HTML-escaped by the template engine. An
    /// organisation's template that would render its sections too many times is stopped
    /// and reported (`Problem` at line 0), never left to run for minutes.
    public func render(_ document: Document, language: Language) throws(Problem) -> String {
        guard let template else {
            let text = TextRenderer.render(document, language: language)
                .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            return
                """
                <!DOCTYPE html>\n<html lang=\"\(language.rawValue)\"><meta \
                charset=\"utf-8\"><pre>\(text)</pre></html>\n
                """
        }
        let context = Self.context(document, language: language)
        guard limited else { return Self.endingWithNewline(template.render(context)) }
        let budget = RenderBudget(items: RenderBudget.count(context) * Self.sectionRendersPerItem + 1_000)
        let text = template.render(budget.wrap(context))
        guard !budget.exceeded else {
            throw Problem(
                line: 0, column: 0,
                message: "the template renders its sections more than \(budget.limit) times for this document "
                    + """
                    (\(Self.sectionRendersPerItem) per list item); a section nested inside a section of the same \
                    list repeats it exponentially
                    """
            )
        }
        return Self.endingWithNewline(text)
    }

    private static func endingWithNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }

    /// The values a template sees: `lang`, `title`, `generator`, `footer`, `header` (label,
    /// value, numeric), `sections` (title, blocks: `isFacts`+`facts`, `table` with `columns`,
    /// `rows`/`totals` of `cells`, `hasTotals`, or `note`), `charts` (title, description,
    /// `svg` — to be written unescaped, `{{{svg}}}` — and its `table`) with `hasCharts`, and
    /// `parts`: the sections (`isSection`) with the header and charts (`isAbout`, titled
    /// `aboutTitle` when it follows the amounts) in the order the bundled template prints them.
    static func context(_ document: Document, language: Language) -> [String: Any] {
        func fact(_ fact: Fact) -> [String: Any] {
            [
                "key": fact.key, "label": fact.label.text(language),
                "value": fact.value.display(language, amountDigits: document.amountDigits),
                "numeric": fact.value.isNumeric,
            ]
        }
        func row(_ cells: [Cell], _ numeric: [Bool]) -> [String: Any] {
            [
                "cells": cells.enumerated().map { index, cell -> [String: Any] in
                    [
                        "value": cell.display(language, amountDigits: document.amountDigits),
                        "numeric": numeric.indices.contains(index) && numeric[index],
                    ]
                }
            ]
        }
        func tableContext(_ table: Table) -> [String: Any] {
            let numeric = TextRenderer.numericColumns(table)
            return [
                "key": table.key,
                "columns": table.columns.enumerated().map { index, column -> [String: Any] in
                    ["key": column.key, "title": column.title.text(language), "numeric": numeric[index]]
                },
                "rows": table.rows.map { row($0, numeric) },
                "totals": table.totals.map { row($0, numeric) },
                "hasTotals": !table.totals.isEmpty,
            ]
        }
        let sections: [[String: Any]] = document.sections.map { section in
            let blocks: [[String: Any]] = section.blocks.map { block in
                switch block {
                case .facts(let facts): return ["isFacts": true, "facts": facts.map(fact)]
                case .note(let phrase): return ["note": phrase.text(language)]
                case .table(let table): return ["table": tableContext(table)]
                }
            }
            return ["key": section.key, "title": section.title.text(language), "blocks": blocks]
        }
        let charts: [[String: Any]] = document.charts.map { chart in
            [
                "key": chart.key, "title": chart.title.text(language),
                "description": chart.description.text(language),
                "svg": SVGChart.render(chart, language: language, idPrefix: "chart-"),
                "table": tableContext(chart.table),
            ]
        }
        let s = document.settlement
        // Where the statement's signatures lead: the register's authority, to compare with the
        // fingerprint its administrator published.
        let authority =
            s.register.map {
                language == .ja
                    ? "署名は台帳の認証局（鍵フィンガープリント \($0.authority)）に連なる電子署名（Ed25519）で確認できます。"
                    : " Its signatures lead to the register authority \($0.authority)."
            } ?? ""
        let footer =
            language == .ja
            ? """
            本書は契約書ファイル \(s.contract.file)（契約ダイジェスト \(s.contract.digest)）から \(s.engine.name) \
            \(s.engine.version) により自動作成したものです。同じファイルから誰でも再計算し照合できます（方法は別紙 技術情報）。\(authority)
            """
            : """
            Made by \(s.engine.name) \(s.engine.version) from \(s.contract.file) (contract digest \
            \(s.contract.digest)). `pfs verify` recomputes and checks it.\(authority)
            """
        // As municipal documents run: 1 事業概要 first, then the numbered parts, the amounts
        // confirmed last.
        let about: [String: Any] = [
            "isAbout": true, "aboutTitle": Document.overviewTitle.text(language),
        ]
        let parts: [[String: Any]] = [about] + sections.map { $0.merging(["isSection": true]) { $1 } }
        return [
            "parts": parts,
            "lang": language.rawValue, "title": document.title.text(language),
            "generator": "\(s.engine.name) \(s.engine.version)",
            "footer": footer, "header": document.header.map(fact), "sections": sections,
            "charts": charts, "hasCharts": !charts.isEmpty,
            "chartsTitle": language == .ja ? "図表" : "Charts",
            // Printed at the foot of every page (PDF): which contract the figures come from.
            "pageFooter": (language == .ja
                ? "\(Phrase(s.contract.title, fallback: s.contract.id).ja)　契約ダイジェスト "
                : "\(s.contract.id) · contract digest ") + s.contract.digest,
        ]
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened with"
        case .unfinishedName: return "a tag is not closed"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection: return "a transform is applied to an inheritance section"
        case .illegalTokenInsideInheritSection: return "an inheritance section contains a tag it cannot hold"
        case .textInsideInheritSection: return "an inheritance section contains text outside its blocks"
        case .invalidConfigVariableSyntax: return "a pragma is malformed"
        case .unrecognisedConfigVariable: return "a pragma names an unknown setting"
        }
    }
}

extension Cell {
    /// The cell in a JSON document: decimals as strings (amounts with at least
    /// `amountDigits` fractional digits), phrases in both languages.
    func json(amountDigits: Int) -> JSONValue? {
        switch self {
        case .text(let text): return .string(text)
        case .phrase(let phrase): return .phrase(phrase)
        case .amount(let value): return .string(value.formatted(minimumFractionDigits: amountDigits))
        case .number(let value), .ratio(let value): return .string(value.description)
        case .declared(let value): return .string(value.asWritten())
        case .rounded: return .string(plain(.en, amountDigits: amountDigits))
        case .integer(let value): return .int(value)
        case .fiscalYear(let year): return .int(year.year)
        case .empty: return nil
        }
    }
}

extension Document {
    /// The document as JSON (`pfs-payout/1`, `pfs-audit/1`): the settlement's identity
    /// (contract and digest, engine, rules, year), then each section's facts, tables (rows
    /// as objects keyed by column) and notes. Labels are in both languages.
    var json: JSONValue {
        let s = settlement
        var root = JSONObject()
        root.set("format", .string(kind.formatName))
        root.set("engine", .object([("name", .string(s.engine.name)), ("version", .string(s.engine.version))]))
        root.set(
            "contract",
            .object([
                ("id", .string(s.contract.id)), ("title", .text(s.contract.title)), ("file", .string(s.contract.file)),
                ("sha256", .string(s.contract.sha256)), ("digest", .string(s.contract.digest)),
            ]))
        root.set("settlementDigest", .string(SettlementDigest.of(s)))
        root.set("fiscalYear", .int(s.fiscalYear.year))
        root.set("paymentYear", .int(s.paymentYear.fiscalYear.year))
        root.set("rules", .array(s.rules.map { .object([("rule", .string($0.rule)), ("version", .int($0.version))]) }))
        if let register = s.register { root.set("register", .object([("authority", .string(register.authority))])) }
        if case .payout(let party) = kind { root.set("party", .string(party)) }
        if let revision { root.set("revision", revision.json) }
        if let assessment { root.set("basis", assessment.basis.json) }
        root.set("title", .phrase(title))
        root.set(
            "sections",
            .array(
                sections.map { section in
                    var object = JSONObject()
                    object.set("key", .string(section.key))
                    object.set("title", .phrase(section.title))
                    var facts: [(String, JSONValue)] = []
                    var tables: [JSONValue] = []
                    var notes: [JSONValue] = []
                    for block in section.blocks {
                        switch block {
                        case .facts(let list):
                            facts += list.compactMap { fact in
                                fact.value.json(amountDigits: amountDigits).map { (fact.key, $0) }
                            }
                        case .note(let phrase): notes.append(.phrase(phrase))
                        case .table(let table):
                            func rowObject(_ row: [Cell]) -> JSONValue {
                                .object(
                                    zip(table.columns, row).compactMap { column, cell in
                                        cell.json(amountDigits: amountDigits).map { (column.key, $0) }
                                    })
                            }
                            var tableObject = JSONObject()
                            tableObject.set("key", .string(table.key))
                            tableObject.set("rows", .array(table.rows.map(rowObject)))
                            if !table.totals.isEmpty { tableObject.set("totals", .array(table.totals.map(rowObject))) }
                            tables.append(tableObject.value)
                        }
                    }
                    if !facts.isEmpty { object.set("facts", .object(facts)) }
                    if !tables.isEmpty { object.set("tables", .array(tables)) }
                    if !notes.isEmpty { object.set("notes", .array(notes)) }
                    return object.value
                }))
        return root.value
    }
}

/// The section renders left for one document; shared by every list of its context.
final class RenderBudget: @unchecked Sendable {
    let limit: Int
    private var left: Int
    private(set) var exceeded = false

    init(items: Int) {
        limit = items
        left = items
    }

    /// Takes one render; false once the budget is spent (the section then stops).
    func take() -> Bool {
        guard left > 0 else {
            exceeded = true
            return false
        }
        left -= 1
        return true
    }

    /// The number of list items anywhere in a context.
    static func count(_ value: Any) -> Int {
        switch value {
        case let object as [String: Any]: return object.values.reduce(0) { $0 + count($1) }
        case let list as [Any]: return list.count + list.reduce(0) { $0 + count($1) }
        default: return 0
        }
    }

    /// The context with every list replaced by one that spends this budget.
    func wrap(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]: return object.mapValues(wrap)
        case let list as [Any]: return BudgetedList(items: list.map(wrap), budget: self)
        default: return value
        }
    }
}

/// A list in a template's context that stops yielding items when the budget is spent.
struct BudgetedList: MustacheSequence, MustacheTransformable {
    let items: [Any]
    let budget: RenderBudget

    struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Any]>
        let budget: RenderBudget
        mutating func next() -> Any? {
            guard let item = base.next(), budget.take() else { return nil }
            return item
        }
    }

    func makeIterator() -> Iterator { Iterator(base: items.makeIterator(), budget: budget) }

    /// `count`, `empty`, `first`, `last`… as for a plain list.
    func transform(_ name: String) -> Any? { items.transform(name) }
}

/// The nesting of a template's sections, read before the Mustache parser (which recurses
/// once per level) sees it; follows `{{=<% %>=}}` delimiter changes.
enum TemplateNesting {
    static func problem(in text: String, limit: Int) -> HTMLTemplate.Problem? {
        var open = Substring("{{"), close = Substring("}}")
        var rest = Substring(text)
        var depth = 0
        while let start = rest.range(of: open) {
            let afterOpen = rest[start.upperBound...]
            guard let end = afterOpen.range(of: close) else { return nil }
            var tag = afterOpen[..<end.lowerBound]
            rest = afterOpen[end.upperBound...]
            // A triple mustache's third brace belongs to it.
            if tag.hasPrefix("{"), rest.hasPrefix("}") { rest = rest.dropFirst() }
            tag = tag.drop { $0 == " " }
            switch tag.first {
            case "#", "^", "$", "<":
                depth += 1
                if depth > limit {
                    let (line, column) = position(of: start.lowerBound, in: text)
                    return HTMLTemplate.Problem(
                        line: line, column: column,
                        message:
                            """
                            sections are nested more than \(limit) deep; pfs renders templates nested at most \
                            \(limit) levels
                            """
                    )
                }
            case "/":
                depth = max(0, depth - 1)
            case "=":
                let delimiters = tag.dropFirst().prefix { $0 != "=" }.split(
                    separator: " ", omittingEmptySubsequences: true)
                if delimiters.count == 2 {
                    open = delimiters[0]
                    close = delimiters[1]
                }
            default:
                break
            }
        }
        return nil
    }

    private static func position(of index: String.Index, in text: String) -> (Int, Int) {
        let before = text[..<index]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let column =
            before.count
            - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return (line, column)
    }
}
