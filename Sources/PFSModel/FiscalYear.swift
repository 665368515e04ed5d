/// A fiscal year named by the calendar year it starts in (Japan: FY2024 = 2024-04-01 to 2025-03-31).
public struct FiscalYear: Sendable, Hashable, Codable {
    /// The calendar year the fiscal year starts in.
    public let year: Int
    /// The first month, 1–12.
    public let startMonth: Int

    /// Creates a fiscal year.
    public init(_ year: Int, startMonth: Int) {
        self.year = year
        self.startMonth = startMonth
    }

    /// First day, ISO 8601.
    public var firstDay: String { Self.iso(year, startMonth, 1) }

    /// Last day, ISO 8601.
    public var lastDay: String {
        let endMonth = startMonth == 1 ? 12 : startMonth - 1
        let endYear = startMonth == 1 ? year : year + 1
        return Self.iso(endYear, endMonth, Self.daysIn(month: endMonth, of: endYear))
    }

    /// `FY2024`.
    public var label: String { "FY\(year)" }

    /// The Japanese era name, e.g. 令和6年度 (令和元年度 for 2019); nil before Heisei.
    public var japaneseLabel: String? {
        let eras: [(start: Int, name: String)] = [(2019, "令和"), (1989, "平成")]
        guard let era = eras.first(where: { year >= $0.start }) else { return nil }
        let number = year - era.start + 1
        return era.name + (number == 1 ? "元" : String(number)) + "年度"
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
