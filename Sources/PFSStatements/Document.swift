import PFSModel
import PFSValue

/// The languages statements are written in.
public enum Language: String, Sendable, CaseIterable, Codable {
    /// 日本語.
    case ja
    /// English.
    case en
}

/// A text in both languages; every label of a statement is one.
public struct Phrase: Sendable, Hashable {
    /// English.
    public let en: String
    /// 日本語.
    public let ja: String

    /// A phrase with both texts.
    public init(_ en: String, _ ja: String) {
        self.en = en
        self.ja = ja
    }

    /// The same text in both languages (identifiers, numbers, formulas).
    public init(verbatim text: String) { self.init(text, text) }

    /// A contract's own text: the language asked for, else the other, else `fallback`.
    public init(_ text: LocalizedText, fallback: String) {
        self.init(text.en ?? text.ja ?? fallback, text.ja ?? text.en ?? fallback)
    }

    /// The text in `language`.
    public func text(_ language: Language) -> String { language == .ja ? ja : en }

    /// Joins phrases language by language.
    public static func joined(_ parts: [Phrase], separator: String) -> Phrase {
        Phrase(parts.map(\.en).joined(separator: separator), parts.map(\.ja).joined(separator: separator))
    }

    static func + (lhs: Phrase, rhs: Phrase) -> Phrase { Phrase(lhs.en + rhs.en, lhs.ja + rhs.ja) }
}

/// One value of a statement, typed so that each format can show it properly: amounts with
/// thousands separators in text, Markdown and HTML, as plain numbers in CSV and JSON.
public enum Cell: Sendable, Hashable {
    /// An identifier or other text the same in every language.
    case text(String)
    /// Text that depends on the language.
    case phrase(Phrase)
    /// An amount of money in the contract's written unit.
    case amount(ExactDecimal)
    /// A value that is not money (a KPI value, a share, a rate).
    case number(ExactDecimal)
    /// A ratio (a share, a rate): 30% for people (as Japanese statements and Maebashi's slides
    /// write it; 0.3 reads as 0.3% or 0.3千円 to some), 0.3 for machines.
    case ratio(ExactDecimal)
    /// A figure shown as the contract wrote it: 77.0 stays 77.0, as a plan's table prints it.
    case declared(ExactDecimal)
    /// A figure rounded for showing from an exact fraction (a present value, a rate of
    /// return): `≈` before it for people where rounding changed it; the rounded value for machines.
    case rounded(ExactDecimal, exact: Bool, as: Rounded)
    /// A whole number (a line number, a count).
    case integer(Int)
    /// A fiscal year, shown both ways.
    case fiscalYear(FiscalYearName)
    /// Nothing to show.
    case empty

    /// Whether the cell is numeric (right-aligned, a number in spreadsheets).
    var isNumeric: Bool {
        switch self {
        case .amount, .number, .ratio, .declared, .integer, .rounded: return true
        default: return false
        }
    }

    /// The cell for people to read: amounts grouped by thousands, with at least
    /// `amountDigits` decimals (a currency's minor unit: USD 267,472.50).
    public func display(_ language: Language, amountDigits: Int = 0) -> String {
        switch self {
        case .text(let text): return text
        case .phrase(let phrase): return phrase.text(language)
        case .amount(let value): return value.formatted(groupingSeparator: ",", minimumFractionDigits: amountDigits)
        case .number(let value): return value.formatted(groupingSeparator: ",")
        case .ratio(let value): return value.percent
        case .declared(let value): return value.asWritten(groupingSeparator: ",")
        case .rounded(let value, let exact, let style):
            let shown: String
            switch style {
            case .amount: shown = value.formatted(groupingSeparator: ",", minimumFractionDigits: amountDigits)
            case .ratio: shown = value.percent
            case .number: shown = value.formatted(groupingSeparator: ",")
            }
            // 約, as Japanese official documents write an approximate figure.
            return (exact ? "" : (language == .ja ? "約" : "≈")) + shown
        case .integer(let value): return String(value)
        case .fiscalYear(let year): return year.display(language)
        case .empty: return ""
        }
    }

    /// The cell for machines: plain decimals, no grouping (amounts with at least
    /// `amountDigits` decimals).
    public func plain(_ language: Language, amountDigits: Int = 0) -> String {
        switch self {
        case .amount(let value): return value.formatted(minimumFractionDigits: amountDigits)
        case .number(let value), .ratio(let value): return value.description
        case .declared(let value): return value.asWritten()
        case .rounded(let value, _, .amount): return value.formatted(minimumFractionDigits: amountDigits)
        case .rounded(let value, _, _): return value.description
        default: return display(language)
        }
    }
}

extension Cell {
    /// What a rounded figure is.
    public enum Rounded: Sendable, Hashable {
        /// Money, shown with the currency's decimals.
        case amount
        /// A ratio shown as a percentage (a rate of return).
        case ratio
        /// A plain number (a multiple, a benefit-cost ratio, a discount factor).
        case number
    }
}

/// A fiscal year's two names: `FY2024` and `令和6年度`.
public struct FiscalYearName: Sendable, Hashable {
    /// The year's number as the contract writes it (the calendar year it starts in, unless
    /// its convention names years by their end).
    public let year: Int
    /// `令和6年度`, when the era is known, or the convention's Japanese label.
    public let japanese: String?
    /// The convention's English label (`2024-25`…) when the contract declares one other than
    /// `fy` or `japanese`: the year is then named by it alone in each language.
    public let conventional: String?

    /// The name of a settlement's year.
    public init(_ info: Settlement.FiscalYearInfo) {
        year = info.year
        japanese = info.labelJA
        conventional = info.labels.flatMap { $0 == .japanese ? nil : info.label }
    }

    /// Another year of the same contract, named as its settled year is: a base year in the
    /// same era system as the table it sits in (令和元年度（2019年度）beside 令和6年度).
    public init(_ year: Int, like info: Settlement.FiscalYearInfo) {
        self.year = year
        let labels = info.labels ?? .fy
        japanese = labels.japanese(year) ?? (info.labelJA == nil ? nil : FiscalYear(year, startMonth: 4).japaneseLabel)
        conventional = info.labels.flatMap { $0 == .japanese ? nil : $0.english(year) }
    }

    /// `FY2024 (令和6年度)` in English, `令和6年度（2024年度）` in Japanese, as municipal
    /// documents write a year (full-width parentheses, the Western year as a 年度 too); a
    /// declared convention's own labels (`2024-25`, `2024-25年度（英国）`).
    public func display(_ language: Language) -> String {
        if let conventional { return language == .ja ? japanese ?? conventional : conventional }
        guard let japanese else { return language == .ja ? "\(year)年度" : "FY\(year)" }
        return language == .ja ? "\(japanese)（\(year)年度）" : "FY\(year) (\(japanese))"
    }
}

/// A labelled value: `Contract  maebashi-profit-share`.
public struct Fact: Sendable, Hashable {
    /// Stable key for JSON.
    public let key: String
    /// What it is.
    public let label: Phrase
    /// The value.
    public let value: Cell

    /// Creates a fact.
    public init(_ key: String, _ label: Phrase, _ value: Cell) {
        self.key = key
        self.label = label
        self.value = value
    }
}

/// A column of a table.
public struct Column: Sendable, Hashable {
    /// Stable key for JSON and CSV headers' meaning.
    public let key: String
    /// Its heading.
    public let title: Phrase

    /// Creates a column.
    public init(_ key: String, _ title: Phrase) {
        self.key = key
        self.title = title
    }
}

/// Rows under named columns; a total row, when given, is set apart.
public struct Table: Sendable, Hashable {
    /// Stable key for JSON.
    public let key: String
    /// The columns.
    public let columns: [Column]
    /// The rows, each with one cell per column.
    public var rows: [[Cell]]
    /// Rows that sum the rows above (shown last, set apart).
    public var totals: [[Cell]]

    /// Creates a table.
    public init(_ key: String, _ columns: [Column], rows: [[Cell]] = [], totals: [[Cell]] = []) {
        self.key = key
        self.columns = columns
        self.rows = rows
        self.totals = totals
    }
}

/// A part of a section.
public enum Block: Sendable, Hashable {
    /// Labelled values.
    case facts([Fact])
    /// A table.
    case table(Table)
    /// A sentence.
    case note(Phrase)
}

/// A titled part of a statement.
public struct Section: Sendable, Hashable {
    /// Stable key for JSON.
    public let key: String
    /// Its heading.
    public let title: Phrase
    /// Its content in order.
    public var blocks: [Block]

    /// Creates a section.
    public init(_ key: String, _ title: Phrase, _ blocks: [Block] = []) {
        self.key = key
        self.title = title
        self.blocks = blocks
    }
}

/// Which document, for whom.
public enum DocumentKind: Sendable, Hashable {
    /// The annual settlement, for the finance officer.
    case settlement
    /// One contractor's payout statement.
    case payout(party: String)
    /// The audit trail, for the third-party evaluator.
    case audit
    /// The Nth adjustment of an issued year (修正精算書).
    case adjustment(number: Int)
    /// The value for money of the term so far (`pfs value`), for the finance officer and investors.
    case value

    /// The file name stem: `settlement`, `payout-provider`, `audit`.
    public var fileStem: String {
        switch self {
        case .settlement: return "settlement"
        case .payout(let party): return "payout-\(party)"
        case .audit: return "audit"
        case .adjustment(let number): return "adjustment-\(number)"
        case .value: return "value"
        }
    }

    /// The JSON format name and version of the document.
    public var formatName: String {
        switch self {
        case .settlement: return Settlement.formatName
        case .payout: return "pfs-payout/1"
        case .audit: return "pfs-audit/1"
        case .adjustment: return "pfs-adjustment/1"
        case .value: return "pfs-value/1"
        }
    }
}

/// A statement for one audience, ready for any format: the renderers only lay it out.
public struct Document: Sendable, Hashable {
    /// Which document.
    public let kind: DocumentKind
    /// Its title.
    public let title: Phrase
    /// The settlement it was made from (for the JSON header: contract, digest, engine, rules).
    public let settlement: Settlement
    /// What, which year, from what: shown at the top.
    public let header: [Fact]
    /// The body.
    public let sections: [Section]
    /// Set when this statement is a revision of one already issued.
    public private(set) var revision: Revision? = nil
    /// Charts, drawn in HTML (and PDF) statements only: their figures are in the body too.
    public var charts: [Chart] = []
    /// The value-for-money document's figures, which its workbook's formulas recompute.
    public internal(set) var assessment: ValueAssessment? = nil

    /// The same document issued as `revision`: its header says so and names the statement
    /// it replaces.
    public func revised(_ revision: Revision) -> Document {
        var document = Document(
            kind: kind, title: title, settlement: settlement, header: header + [revision.fact], sections: sections)
        document.revision = revision
        document.charts = charts
        document.assessment = assessment
        return document
    }

    /// The header's heading: the first part of a municipal document (1 事業概要), before
    /// 2 成果指標と評価結果, 3 支払額の算定 and 4 支払額（確定額）.
    public static let overviewTitle = Phrase("1 Overview", "1 事業概要")

    /// Decimals every amount shows: the currency's minor unit when amounts are written in
    /// currency units (USD 2: 267,472.50), none when they are written in thousands.
    public var amountDigits: Int { Common.amountDigits(settlement.amounts) }
}

/// A statement issued again, with different figures, beside the one it replaces
/// (`pfs settle --output DIR --new-revision`): revision 2 replaces the first statement,
/// revision 3 replaces revision 2, and so on.
public struct Revision: Sendable, Hashable {
    /// 2 for the first revision.
    public let number: Int
    /// The file name of the statement it replaces.
    public let replaces: String
    /// SHA-256 of the replaced file's bytes, lowercase hex.
    public let replacedSHA256: String

    /// Creates one.
    public init(number: Int, replaces: String, replacedSHA256: String) {
        self.number = number
        self.replaces = replaces
        self.replacedSHA256 = replacedSHA256
    }

    /// The header line: `Revision  2, replaces settlement-FY2024.ja.txt (SHA-256 …)`.
    var fact: Fact {
        Fact(
            "revision", Phrase("Revision", "改訂"),
            .phrase(
                Phrase(
                    "\(number), replaces \(replaces) (SHA-256 \(replacedSHA256))",
                    "第\(number)版（\(replaces) を差し替え、SHA-256 \(replacedSHA256)）")))
    }

    /// `{"number": 2, "replacedSHA256": "…", "replaces": "…"}` in a JSON statement.
    var json: JSONValue {
        .object([
            ("number", .int(number)), ("replacedSHA256", .string(replacedSHA256)), ("replaces", .string(replaces)),
        ])
    }
}
