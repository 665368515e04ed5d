import PFSModel

/// The words of a settlement's steps: the evaluator records figures (``StepFigures``), and
/// this is where they become a description and a formula, in English
/// (StepWords+English.swift) and in Japanese (StepWords+Japanese.swift).
public enum StepWords {
    /// A step's words in both languages.
    public static func of(_ figures: StepFigures) -> StepFigures.Words {
        if case .written(let words) = figures { return words }
        let english = english(figures)
        let japanese = japanese(figures)
        return .init(
            description: english.description, descriptionJA: japanese.description, formula: english.formula,
            formulaJA: japanese.formula)
    }

    /// The settlement with every step's, condition's and worked outcome's words written
    /// (what its JSON records, and what reading the JSON back gives).
    public static func written(_ settlement: Settlement) -> Settlement {
        settlement.with(
            steps: settlement.steps.map { $0.with(.written(of($0.figures))) },
            targets: settlement.targets?.map { $0.with(conditions: $0.conditions.map(written)) },
            payments: settlement.payments?.map { payment in
                payment.with(
                    outcome: payment.outcome.map { $0.with(source: $0.sourceText) },
                    conditions: payment.conditions?.map(written))
            })
    }

    static func written(_ condition: Settlement.ConditionResult) -> Settlement.ConditionResult {
        condition.with(.written(text: condition.text, textJA: condition.textJA))
    }

    /// A name in a Japanese sentence (「項目C」): a reader knows names, not ids; the id only
    /// where the contract gives no name.
    static func quoted(_ named: StepFigures.Named) -> String { "「\(named.name.ja ?? named.name.en ?? named.id)」" }

    static func quoted(_ party: Settlement.PartyReference) -> String {
        quoted(StepFigures.Named(id: party.id, name: party.name))
    }

    /// `S1 + S2 = 10 + 20 = 30`: the same in both languages.
    static func sum(_ parts: [StepFigures.StepAmount], _ total: ExactDecimal) -> String {
        "\(parts.map(\.id).joined(separator: " + ")) = \(parts.map { "\($0.amount)" }.joined(separator: " + ")) = \(total)"
    }

    /// `P1 100, P2 50`.
    static func list(_ amounts: [StepFigures.StepAmount]) -> String {
        amounts.map { "\($0.id) \($0.amount)" }.joined(separator: ", ")
    }

    /// A party's share of the amount to split: `S5 × 0.2 = 90 × 0.2 = 18 → 18`.
    static func share(_ split: StepFigures.Split) -> String {
        "\(split.toSplitStep) × \(split.share) = \(split.toSplit) × \(split.share) = \(split.exact) → \(split.part)"
    }

    /// A payment split among several payers or payees: `city 60 + ward 40 → provider 100`;
    /// nil when one pays one.
    static func sides(_ figures: StepFigures.PaymentFigures) -> String? {
        guard figures.payers.count > 1 || figures.payees.count > 1 else { return nil }
        return [figures.payers, figures.payees].map { side in
            side.map { "\($0.party.id) \($0.amount)" }.joined(separator: " + ")
        }.joined(separator: " → ")
    }

    /// The units better than the baseline, as subtracted in the KPI's direction.
    static func better(_ units: UnitsBetter) -> String {
        units.direction == .higherIsBetter ? "\(units.outcome) − \(units.baseline)" : "\(units.baseline) − \(units.outcome)"
    }

    /// A measured value as a rule's formula writes it: `≈0.1182` where it was cut below
    /// its exact value.
    static func written(_ measured: StepFigures.MeasuredOutcome) -> String {
        measured.belowExact ? "≈" + measured.shown.description : measured.value.description
    }
}

extension Settlement.Step {
    /// The step's words in both languages.
    public var words: StepFigures.Words { StepWords.of(figures) }

    /// The formula for a reader of `japanese` or English.
    public func formula(japanese: Bool) -> String {
        let words = words
        return japanese ? words.formulaJA ?? words.formula : words.formula
    }
}

extension RoundingRule {
    /// The rule in words, after a figure: `rounded down to a multiple of 1`.
    var inWords: String { "rounded \(mode.rawValue) to a multiple of \(increment)" }
    var inWordsJA: String { "\(increment) 単位で\(mode.nameJA)" }
}

extension Settlement.ConditionResult {
    /// The comparison with its figures and whether it held, in English.
    public var text: String {
        switch figures {
        case .checked(let condition): return StepWords.english(condition)
        case .written(let text, _): return text
        }
    }

    /// The same in Japanese.
    public var textJA: String {
        switch figures {
        case .checked(let condition): return StepWords.japanese(condition)
        case .written(_, let textJA): return textJA
        }
    }
}

extension Settlement.Figure {
    /// Where the figure came from: as the contract says, or how the outcome was worked out.
    public var sourceText: String? { source ?? working.map(StepWords.english) }
}
