/// The contract format a file is written in: its namespace and `format-version`.
public enum ContractFormat: Int, Sendable, Hashable, Codable, CaseIterable {
    /// Format 1: KPIs, projects with profit shares, outcome payments by rule, a SIB waterfall.
    case one = 1
    /// Format 2: format 1 plus comparison groups, measured improvements, conditions, targets,
    /// per-unit payments behind a threshold and fiscal-year labelling conventions.
    case two = 2

    /// The XML namespace of the format, `urn:pfs:contract:N`.
    public var namespace: String { "urn:pfs:contract:\(rawValue)" }
}

/// What a condition or a payment measures of a KPI for a fiscal year (format 2).
public struct OutcomeMeasure: Sendable, Hashable, Codable {
    /// The quantity.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The KPI's actual value.
        case actual
        /// How much better the actual value is than the reference (positive when better).
        case improvement
        /// The improvement divided by the reference.
        case relativeImprovement = "relative-improvement"
    }

    /// What an improvement is measured against.
    public enum Reference: String, Sendable, Hashable, Codable, CaseIterable {
        /// The KPI's baseline value.
        case baseline
        /// The KPI's expected (counterfactual) value for the year.
        case expected
        /// The KPI's comparison group's value for the year.
        case comparison
    }

    /// The quantity measured.
    public let kind: Kind
    /// What an improvement is measured against (ignored for `actual`).
    public let against: Reference

    /// Creates a measure.
    public init(kind: Kind, against: Reference = .baseline) {
        self.kind = kind
        self.against = against
    }

    /// The measure a settlement names by its ``description`` (`improvement on comparison`);
    /// nil for any other text.
    public init?(description: String) {
        let all = Kind.allCases.flatMap { kind in Reference.allCases.map { OutcomeMeasure(kind: kind, against: $0) } }
        guard let measure = all.first(where: { $0.description == description }) else { return nil }
        self = measure
    }

    /// The KPI's actual value: format 1's only measure.
    public static let actual = OutcomeMeasure(kind: .actual)

    /// `actual`, `improvement on comparison`, `relative improvement on baseline`.
    public var description: String {
        switch kind {
        case .actual: return "actual"
        case .improvement: return "improvement on \(against.rawValue)"
        case .relativeImprovement: return "relative improvement on \(against.rawValue)"
        }
    }

    /// The same in Japanese.
    public var descriptionJA: String {
        let reference = ["baseline": "基準値", "expected": "見込み", "comparison": "比較群"][against.rawValue] ?? ""
        switch kind {
        case .actual: return "実績"
        case .improvement: return "\(reference)に対する改善"
        case .relativeImprovement: return "\(reference)に対する改善率"
        }
    }
}

/// How a condition compares its measure with its operand.
public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
    /// At least (≥).
    case ge
    /// More than (>).
    case gt
    /// At most (≤).
    case le
    /// Less than (<).
    case lt
    /// Equal (=).
    case eq

    /// The comparison as a Japanese condition states it after its figure: 60%以上, 5件未満.
    public var japaneseSuffix: String {
        switch self {
        case .ge: return "以上"
        case .gt: return "超"
        case .le: return "以下"
        case .lt: return "未満"
        case .eq: return "ちょうど"
        }
    }

    /// `≥`, `>`, `≤`, `<`, `=`.
    public var symbol: String {
        switch self {
        case .ge: return "≥"
        case .gt: return ">"
        case .le: return "≤"
        case .lt: return "<"
        case .eq: return "="
        }
    }
}

/// Values of a KPI's measure for another population by year: a comparison group, or a
/// reference series such as the national or prefectural figure (format 2).
public struct Series: Sendable, Hashable {
    /// Its identifier (empty for a KPI's comparison group).
    public let id: String
    /// Its name.
    public let name: LocalizedText
    /// Where the series comes from, as the contract says.
    public let source: String?
    /// Values by year, in declared order.
    public let values: [Observation]
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a series.
    public init(id: String, name: LocalizedText, source: String?, values: [Observation], location: SourceLocation) {
        self.id = id
        self.name = name
        self.source = source
        self.values = values
        self.location = location
    }

    /// The value declared for `year`, if any.
    public func value(in year: Int) -> Observation? { values.first { $0.year == year } }
}

/// One comparison of a KPI's measure with a number or a series' value for the same year.
public struct Condition: Sendable, Hashable {
    /// What the measure is compared with.
    public enum Operand: Sendable, Hashable {
        /// A declared number.
        case value(ExactDecimal)
        /// The value for the same year of the KPI's series with this id.
        case series(String)
    }

    /// The KPI measured.
    public let kpi: String
    /// What is measured of it.
    public let measure: OutcomeMeasure
    /// How it is compared.
    public let comparison: Comparison
    /// What it is compared with.
    public let operand: Operand
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a condition.
    public init(
        kpi: String, measure: OutcomeMeasure, comparison: Comparison, operand: Operand, location: SourceLocation
    ) {
        self.kpi = kpi
        self.measure = measure
        self.comparison = comparison
        self.operand = operand
        self.location = location
    }
}

/// Conditions combined: all must hold, or any; groups nest.
public indirect enum ConditionTree: Sendable, Hashable {
    /// One condition.
    case condition(Condition)
    /// Holds when every member holds.
    case allOf([ConditionTree], SourceLocation)
    /// Holds when at least one member holds.
    case anyOf([ConditionTree], SourceLocation)

    /// Every condition in the tree, in declared order.
    public var conditions: [Condition] {
        switch self {
        case .condition(let condition): return [condition]
        case .allOf(let members, _), .anyOf(let members, _): return members.flatMap(\.conditions)
        }
    }
}

/// A KPI target that carries no payment (`<target>`): statements show, per year, whether
/// its conditions held.
public struct Target: Sendable, Hashable {
    /// Its identifier.
    public let id: String
    /// The KPI it is a target for.
    public let kpi: String
    /// What the target says, e.g. "increase on the baseline".
    public let name: LocalizedText
    /// The one year it applies to; nil: every year of the term (up to ``targetYear``).
    public let year: Int?
    /// The year a plan's KPI table sets the target for (`by`): shown in every settled year
    /// up to it, judged on the KPI's latest result so far.
    public let targetYear: Int?
    /// The conditions that make it achieved.
    public let condition: ConditionTree
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a target.
    public init(
        id: String, kpi: String, name: LocalizedText, year: Int?, targetYear: Int? = nil, condition: ConditionTree,
        location: SourceLocation
    ) {
        self.targetYear = targetYear
        self.id = id
        self.kpi = kpi
        self.name = name
        self.year = year
        self.condition = condition
        self.location = location
    }

    /// Whether it applies to fiscal year `year`.
    public func applies(to year: Int) -> Bool {
        (self.year.map { $0 == year } ?? true) && (targetYear.map { year <= $0 } ?? true)
    }

    /// The year of the result a target is judged on in fiscal year `year`: its KPI's latest
    /// actual value at or before it (a plan's KPIs are measured in different years); nil
    /// when there is none yet.
    public func resultYear(in year: Int, of kpi: KPI) -> Int? {
        kpi.actual.map(\.year).filter { $0 <= year }.max()
    }
}

/// Which units of a per-unit payment behind a threshold are paid once it is reached.
public enum UnitsPaid: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every unit.
    case all
    /// Only the units beyond the threshold.
    case beyond
}

/// A share of savings whose rate changes once the investors are repaid (format 2's
/// `<savings-share>`).
public struct SavingsShare: Sendable, Hashable {
    /// The share of savings paid until ``mark`` is repaid, in [0, 1].
    public let rate: ExactDecimal
    /// The share paid once it is, in [0, 1] (0: nothing more).
    public let thenRate: ExactDecimal
    /// The principal to repay.
    public let principal: ExactDecimal
    /// The return declared on it (0.15 for 15%).
    public let returnRate: ExactDecimal
    /// The payments that repay the same investors share this id.
    public let account: String
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates one.
    public init(
        rate: ExactDecimal, thenRate: ExactDecimal, principal: ExactDecimal, returnRate: ExactDecimal,
        account: String, location: SourceLocation
    ) {
        self.rate = rate
        self.thenRate = thenRate
        self.principal = principal
        self.returnRate = returnRate
        self.account = account
        self.location = location
    }

    /// Principal plus the declared return: what the payments of the account must repay
    /// before the rate changes.
    public var mark: ExactDecimal {
        get throws(ArithmeticError) { try principal.multiplied(by: try ExactDecimal.one.adding(returnRate)) }
    }
}

/// A rate card (format 2's `<rate-card>`): priced outcomes, each participant's achieved
/// outcomes, and a cap per participant across the card's outcomes per year and over the term.
public struct RateCard: Sendable, Hashable {
    /// One priced outcome.
    public struct Outcome: Sendable, Hashable {
        /// Its id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// What one achievement of it is paid.
        public let price: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates one.
        public init(id: String, name: LocalizedText, price: ExactDecimal, location: SourceLocation) {
            self.id = id
            self.name = name
            self.price = price
            self.location = location
        }
    }

    /// One achievement: a participant (pseudonymous id) achieved an outcome in a year.
    public struct Record: Sendable, Hashable {
        /// The participant's pseudonymous id.
        public let participant: String
        /// The outcome's id.
        public let outcome: String
        /// The fiscal year it was achieved in.
        public let year: Int
        /// Where it was read: the contract's element, or the CSV file's line.
        public let location: SourceLocation
        /// Creates one.
        public init(participant: String, outcome: String, year: Int, location: SourceLocation) {
            self.participant = participant
            self.outcome = outcome
            self.year = year
            self.location = location
        }
    }

    /// A CSV file of records the contract names (`<records file sha256>`): the contract's
    /// digest covers the data through the SHA-256.
    public struct RecordsFile: Sendable, Hashable {
        /// The path as written, relative to the contract file.
        public let path: String
        /// The SHA-256 the contract declares (lower-case hex).
        public let sha256: String
        /// Creates one.
        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    /// Which of a capped participant's achievements are cut first.
    public enum CutOrder: String, Sendable, Hashable, Codable, CaseIterable {
        /// The last recorded first (the order of the records).
        case lastRecordedFirst = "last-recorded-first"
        /// The cheapest outcome first (ties: the last recorded first).
        case lowestPriceFirst = "lowest-price-first"
        /// The dearest outcome first (ties: the last recorded first).
        case highestPriceFirst = "highest-price-first"
    }

    /// Its id.
    public let id: String
    /// Its name.
    public let name: LocalizedText
    /// The priced outcomes, in declared order.
    public let outcomes: [Outcome]
    /// The most one participant may be paid in one fiscal year across the card's outcomes.
    public let capPerYear: ExactDecimal?
    /// The most one participant may be paid over the term across the card's outcomes.
    public let capPerTerm: ExactDecimal?
    /// Which achievements of a capped participant are cut first.
    public let cutOrder: CutOrder
    /// The achievements, inline or from the CSV file the contract names with its SHA-256.
    public let records: [Record]
    /// The CSV file the records came from, as the contract names it, with its SHA-256.
    public let file: RecordsFile?
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates one.
    public init(
        id: String, name: LocalizedText, outcomes: [Outcome], capPerYear: ExactDecimal?, capPerTerm: ExactDecimal?,
        cutOrder: CutOrder, records: [Record], file: RecordsFile?, location: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.outcomes = outcomes
        self.capPerYear = capPerYear
        self.capPerTerm = capPerTerm
        self.cutOrder = cutOrder
        self.records = records
        self.file = file
        self.location = location
    }

    /// The outcome with `id`, if declared.
    public func outcome(_ id: String) -> Outcome? { outcomes.first { $0.id == id } }
}
