import PFSModel

/// Numbers the calculation's steps in order.
struct StepLog {
    private(set) var steps: [Settlement.Step] = []
    private var count = 0
    /// A log for a year the fold only carries through counts its steps: their texts,
    /// which are most of the evaluator's work, are never made.
    private let keepsSteps: Bool

    init(keepsSteps: Bool = true) { self.keepsSteps = keepsSteps }

    @discardableResult
    mutating func record(
        _ description: @autoclosure () -> (en: String, ja: String),
        _ formula: @autoclosure () -> (en: String, ja: String),
        _ result: ExactDecimal, uses: @autoclosure () -> [String] = [],
        reads: @autoclosure () -> [Settlement.Reading] = [],
        expression: @autoclosure () -> StepExpression? = nil
    ) -> String {
        count += 1
        let id = "S\(count)"
        guard keepsSteps else { return id }
        let text = description()
        let formulas = formula()
        steps.append(
            .init(
                id: id, description: text.en, descriptionJA: text.ja, formula: formulas.en, formulaJA: formulas.ja,
                result: result,
                uses: uses(), reads: reads(), expression: expression()))
        return id
    }
}

/// A formula that reads the same in both languages (only ids, numbers and operators).
func same(_ formula: String) -> (en: String, ja: String) { (formula, formula) }

/// A projection's derivation in both languages: `derived (source): formula` as the
/// expected value's source says it, and the same in Japanese.
func derivationFormula(
    _ text: String, projection: Projection, year: Int, baseline: Observation
) -> (en: String, ja: String) {
    guard let formulas = try? projection.valueWithFormulas(in: year, from: baseline) else { return (text, text) }
    let source = projection.source.map { "（\($0)）" } ?? ""
    return (text, "基準値からの推計\(source)：\(formulas.formulaJA)")
}

extension LocalizedText {
    /// A name as a Japanese sentence quotes it (「項目C」): a reader knows names, not ids; the
    /// id only where the contract gives no name.
    func quotedJA(or id: String) -> String { "「\(japanese(or: id))」" }

    /// The name for a Japanese text, the English one where there is none, else the id.
    func japanese(or id: String) -> String { ja ?? en ?? id }
}
