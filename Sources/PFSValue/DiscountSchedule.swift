import PFSModel

/// The discount rates a present value is taken at, year by year from the base year: a rate
/// holds from its year until the next one's. Common schedules are built in; a declared one
/// is checked (``init(name:steps:terms:declining:)``).
public struct DiscountSchedule: Sendable, Hashable {
    /// A rate from year `from` (0: the base year's first year after it) on.
    public struct Step: Sendable, Hashable {
        public let from: Int
        public let rate: ExactDecimal
        public init(from: Int, rate: ExactDecimal) {
            self.from = from
            self.rate = rate
        }
    }

    /// Whether the rates are real (net of inflation) or nominal, as declared.
    public typealias Terms = DiscountTerms

    /// What the schedule is, in English and in Japanese.
    public let name: String
    public let nameJA: String
    public let steps: [Step]
    public let terms: Terms
    /// Which kind of schedule it is (built in, constant or declared), as a declaration names it.
    public let kind: ValueDeclaration.Discount
    /// Whether a declared schedule was declared declining (and so checked never to rise).
    public let declining: Bool

    /// A declared schedule, checked: it starts at year 1, each step later than the one
    /// before, no rate negative, and (when `declining`) no rate above the one before.
    public init(
        name: String, nameJA: String? = nil, steps: [Step], terms: Terms, declining: Bool = false
    ) throws(DiscountScheduleError) {
        guard let first = steps.first else { throw .empty }
        guard first.from == 1 else { throw .firstYear(first.from) }
        for (index, step) in steps.enumerated() {
            if step.rate.signum < 0 { throw .negative(step) }
            guard index > 0 else { continue }
            let before = steps[index - 1]
            if step.from <= before.from { throw .notAfter(step, before: before) }
            if declining, step.rate > before.rate { throw .rises(step, before: before) }
        }
        self.init(checked: name, nameJA ?? name, steps, terms, kind: .declared, declining: declining)
    }

    private init(
        checked name: String, _ nameJA: String, _ steps: [Step], _ terms: Terms, kind: ValueDeclaration.Discount,
        declining: Bool = false
    ) {
        self.name = name
        self.nameJA = nameJA
        self.steps = steps
        self.terms = terms
        self.kind = kind
        self.declining = declining
    }

    /// One rate for every year.
    public static func constant(_ rate: ExactDecimal, terms: Terms = .real) throws(DiscountScheduleError) -> Self {
        let checked = try Self(
            name: "constant \(rate.percent)", nameJA: "一定 \(rate.percent)", steps: [Step(from: 1, rate: rate)],
            terms: terms)
        return Self(checked: checked.name, checked.nameJA, checked.steps, terms, kind: .constant)
    }

    /// The schedule a contract declares (`<value-for-money>`), checked.
    public init(_ declaration: ValueDeclaration) throws(DiscountScheduleError) {
        let terms = declaration.terms
        switch declaration.discount {
        case .japan: self = Self.japan.with(terms)
        case .greenBook: self = Self.greenBook.with(terms)
        case .constant:
            guard let rate = declaration.rate else { throw .noConstantRate }
            self = try Self.constant(rate, terms: terms)
        case .declared:
            let declining = declaration.declining
            try self.init(
                name: declining ? "declared declining schedule" : "declared schedule",
                nameJA: declining ? "契約で定める逓減割引率" : "契約で定める割引率",
                steps: declaration.rates.map { Step(from: $0.from, rate: $0.rate) }, terms: terms,
                declining: declining)
        }
    }

    /// The same rates, declared in `terms`.
    public func with(_ terms: Terms) -> Self {
        Self(checked: name, nameJA, steps, terms, kind: kind, declining: declining)
    }

    /// Japan's social discount rate of 4% (real), which the public works cost-benefit manuals
    /// use (国土交通省「公共事業評価の費用便益分析に関する技術指針（共通編）」).
    public static let japan = Self(
        checked: "Japan social discount rate 4%", "社会的割引率 4%（費用便益分析指針）", [Step(from: 1, rate: ExactDecimal(significand: 4, scale: 2))], .real,
        kind: .japan)

    /// HM Treasury's Green Book declining social time preference rate (real): 3.5% for years
    /// 1 to 30, 3.0% for 31 to 75, 2.5% for 76 to 125, 2.0% for 126 to 200, 1.5% for 201 to
    /// 300, 1.0% after (The Green Book, 2022, the declining long-term discount rate).
    public static let greenBook = Self(
        checked: "HM Treasury Green Book STPR", "英国財務省グリーンブックの逓減割引率（STPR）",
        [
            Step(from: 1, rate: ExactDecimal(significand: 35, scale: 3)),
            Step(from: 31, rate: ExactDecimal(significand: 3, scale: 2)),
            Step(from: 76, rate: ExactDecimal(significand: 25, scale: 3)),
            Step(from: 126, rate: ExactDecimal(significand: 2, scale: 2)),
            Step(from: 201, rate: ExactDecimal(significand: 15, scale: 3)),
            Step(from: 301, rate: ExactDecimal(significand: 1, scale: 2)),
        ], .real, kind: .greenBook, declining: true)

    /// The rate of year `year` (1 is the first year after the base year).
    public func rate(inYear year: Int) -> ExactDecimal {
        steps.last { $0.from <= year }?.rate ?? steps[0].rate
    }

    /// What one unit in year `year` is worth in the base year (year 0): the product of
    /// 1 ÷ (1 + rate) over years 1 to `year`; a year before the base year is compounded
    /// forward at the first rate.
    public func factor(year: Int) -> Rational {
        var factor = Rational.one
        if year >= 0 {
            for each in stride(from: 1, through: year, by: 1) {
                // 1 + a non-negative rate is never zero.
                factor = (factor / (Rational.one + Rational(rate(inYear: each))))!
            }
        } else {
            for _ in 0 ..< -year { factor = factor * (Rational.one + Rational(steps[0].rate)) }
        }
        return factor
    }
}

/// What is wrong with a declared discount schedule.
public enum DiscountScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case noConstantRate
    case firstYear(Int)
    case negative(DiscountSchedule.Step)
    case notAfter(DiscountSchedule.Step, before: DiscountSchedule.Step)
    case rises(DiscountSchedule.Step, before: DiscountSchedule.Step)

    public var description: String {
        switch self {
        case .empty: return "the discount schedule declares no rate"
        case .noConstantRate: return "a constant discount schedule needs its rate (rate=\"0.035\" for 3.5%)"
        case .firstYear(let year):
            return "the discount schedule starts at year \(year): its first rate must hold from year 1, or years 1 to \(year - 1) have none"
        case .negative(let step): return "the discount rate \(step.rate) from year \(step.from) is negative"
        case .notAfter(let step, let before):
            return "the discount rate from year \(step.from) does not come after the one from year \(before.from)"
        case .rises(let step, let before):
            return "the declining schedule rises from \(before.rate) to \(step.rate) in year \(step.from)"
        }
    }
}
