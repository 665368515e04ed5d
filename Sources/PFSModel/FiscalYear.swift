/// How a contract names its fiscal years (`<fiscal-year labels>`, format 2): which number
/// a year is written with, and how statements label it in English and Japanese.
public enum YearLabels: String, Sendable, Hashable, Codable, CaseIterable {
    /// `FY2024`, named by the year it starts in (format 1's only convention).
    case fy
    /// Japanese 年度: `令和6年度` in Japanese, `FY2024` in English; named by its start year.
    case japanese
    /// UK: `2024-25`, named by its start year.
    case uk
    /// US federal: `FY2025` for October 2024 to September 2025, named by the year it ends in.
    case usFederal = "us-federal"
    /// Australia: `2024–25`, named by its start year.
    case australia

    /// Whether the number a year is written with is the calendar year it ends in.
    public var namesByEndYear: Bool { self == .usFederal }

    /// The English label of fiscal year `year` (as the contract numbers it).
    public func english(_ year: Int) -> String {
        switch self {
        case .fy, .japanese, .usFederal: return "FY\(year)"
        case .uk: return "\(year)-\(Self.twoDigits(year + 1))"
        case .australia: return "\(year)–\(Self.twoDigits(year + 1))"
        }
    }

    /// The Japanese label of fiscal year `year`; nil for `fy`, which statements name by era
    /// only for a Japanese fiscal year (see ``FiscalYear/japaneseLabel``).
    public func japanese(_ year: Int) -> String? {
        switch self {
        case .fy: return nil
        case .japanese: return FiscalYear(year, startMonth: 4).japaneseLabel ?? "\(year)年度"
        // An overseas year by its months, as a Japanese reader needs it: 2016年7月～2017年6月.
        case .uk: return "\(year)年4月～\(year + 1)年3月（英国会計年度）"
        case .usFederal: return "\(year - 1)年10月～\(year)年9月（米国連邦会計年度）"
        case .australia: return "\(year)年7月～\(year + 1)年6月（豪州会計年度）"
        }
    }

    private static func twoDigits(_ year: Int) -> String {
        let rest = ((year % 100) + 100) % 100
        return rest < 10 ? "0\(rest)" : String(rest)
    }
}

/// A fiscal year named by the calendar year it starts in (Japan: FY2024 = 2024-04-01 to
/// 2025-03-31), or by the year it ends in where the convention says so (US federal).
public struct FiscalYear: Sendable, Hashable, Codable {
    /// The year's number as the contract writes it: the calendar year it starts in, unless
    /// ``labels`` names years by their end.
    public let year: Int
    /// The first month, 1–12.
    public let startMonth: Int
    /// The naming convention.
    public let labels: YearLabels

    /// Creates a fiscal year.
    public init(_ year: Int, startMonth: Int, labels: YearLabels = .fy) {
        self.year = year
        self.startMonth = startMonth
        self.labels = labels
    }

    /// The calendar year the fiscal year starts in.
    public var startYear: Int { labels.namesByEndYear && startMonth > 1 ? year - 1 : year }

    /// First day, ISO 8601.
    public var firstDay: String { Self.iso(startYear, startMonth, 1) }

    /// Last day, ISO 8601.
    public var lastDay: String {
        let endMonth = startMonth == 1 ? 12 : startMonth - 1
        let endYear = startMonth == 1 ? startYear : startYear + 1
        return Self.iso(endYear, endMonth, Self.daysIn(month: endMonth, of: endYear))
    }

    /// `FY2024`, or the convention's label (`2024-25`…).
    public var label: String { labels.english(year) }

    /// The Japanese era name, e.g. 令和6年度 (令和元年度 for 2019); nil before Heisei.
    public var japaneseLabel: String? {
        let eras: [(start: Int, name: String)] = [(2019, "令和"), (1989, "平成")]
        guard let era = eras.first(where: { year >= $0.start }) else { return nil }
        let number = year - era.start + 1
        return era.name + (number == 1 ? "元" : String(number)) + "年度"
    }

    /// An ISO 8601 date as Japanese official documents write it, by the era in force that
    /// day: `令和6年4月1日` (`令和元年5月1日`, `平成31年4月30日`); nil before Heisei or for a
    /// text that is not a date.
    public static func japaneseDate(_ iso: String) -> String? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        // Reiwa began on 1 May 2019, Heisei on 8 January 1989.
        let eras: [(start: (Int, Int, Int), name: String)] = [((2019, 5, 1), "令和"), ((1989, 1, 8), "平成")]
        guard let era = eras.first(where: { (y, m, d) >= $0.start }) else { return nil }
        let number = y - era.start.0 + 1
        return "\(era.name)\(number == 1 ? "元" : String(number))年\(m)月\(d)日"
    }

    private static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    private static func daysIn(month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
