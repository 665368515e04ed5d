import PFSModel

/// The audit trail as a workbook an evaluator can redo the settlement in: the statement as
/// it reads; every declared value the calculation reads, with its source, file line and
/// element (Inputs); every step, its result a live formula over the inputs and earlier
/// steps wherever the rule is arithmetic — the contract's rounding written as TRUNC,
/// ROUNDUP, ROUND, or the tie-to-even test — beside pfs's result and their difference
/// (Calculation); and what each payer owes each payee (Payments). Every input and step has
/// a name (`KPI_item_c_actual_FY2024`, `Step_S3`) the formulas use.
enum AuditWorkbook {
    static func workbook(_ document: Document, language: Language) -> Workbook {
        let settlement = document.settlement
        let ja = language == .ja
        let digits = document.amountDigits
        let (inputsName, calculationName, paymentsName) =
            ja ? ("入力", "計算", "支払") : ("Inputs", "Calculation", "Payments")
        var names: [Workbook.Name] = []

        // Inputs: every reading of every step, in order of first use.
        var readings: [Settlement.Reading] = []
        for step in settlement.steps {
            for reading in step.reads + expressionReadings(step.expression) where !readings.contains(reading) {
                readings.append(reading)
            }
        }
        var inputRows: [[Workbook.Cell]] = [
            [
                ja ? "名前" : "Name", ja ? "指標" : "KPI", ja ? "区分" : "Measure", ja ? "年度" : "Fiscal year",
                ja ? "値" : "Value", ja ? "出典" : "Source", ja ? "ファイル" : "File", ja ? "行" : "Line",
                ja ? "要素" : "Element",
            ].map { .text($0, bold: true) }
        ]
        var inputNames: [Settlement.Reading: (name: String, decimals: Int)] = [:]
        for reading in readings {
            guard let figure = figure(reading, in: settlement) else { continue }
            let name = inputName(reading)
            inputNames[reading] = (name, max(0, figure.value.normalized().scale))
            names.append(
                Workbook.Name(name, Workbook.reference(sheet: inputsName, column: 4, row: inputRows.count + 1)))
            inputRows.append([
                .text(name), .text(reading.kpi), .text(reading.measure.rawValue),
                .number(ExactDecimal(reading.year), decimals: 0), .number(figure.value, decimals: nil),
                figure.source.map { .text($0) } ?? .empty, .text(settlement.contract.file),
                .number(ExactDecimal(figure.line), decimals: 0), figure.element.map { .text($0) } ?? .empty,
            ])
        }

        // Calculation: one row per step; then a check under each split.
        var rows: [[Workbook.Cell]] = [
            [
                ja ? "手順" : "Step", ja ? "内容" : "Description", ja ? "算式" : "Formula",
                ja ? "結果（再計算）" : "Result (recomputed)", ja ? "pfs の結果" : "pfs result",
                ja ? "差（0 のはず）" : "Difference (must be 0)",
            ].map { .text($0, bold: true) }
        ]
        var stepNames: [String: (name: String, decimals: Int)] = [:]
        var recomputed = 0
        let steps = settlement.steps
        var index = 0
        while index < steps.count {
            // A step, or a largest-remainder split: consecutive steps that are values, each
            // using the same one amount; a formula under them checks that they add up.
            var group = [steps[index]]
            if steps[index].expression == nil, steps[index].uses.count == 1 {
                while index + group.count < steps.count, steps[index + group.count].expression == nil,
                    steps[index + group.count].uses == steps[index].uses
                {
                    group.append(steps[index + group.count])
                }
            }
            index += group.count
            let first = rows.count + 1
            for step in group {
                let row = rows.count + 1
                let made = step.expression.flatMap { excel($0, inputs: inputNames, steps: stepNames) }
                let formula = made?.formula
                if formula != nil { recomputed += 1 }
                rows.append([
                    .text(step.id), .text(ja ? step.words.descriptionJA : step.words.description),
                    .text(Common.formula(step).text(ja ? .ja : .en)),
                    formula.map { .formula($0, expected: step.result, decimals: nil, bold: false) }
                        ?? .number(step.result, decimals: nil),
                    .number(step.result, decimals: nil),
                    formula == nil ? .empty : .formula("D\(row)-E\(row)", expected: .zero, decimals: nil, bold: false),
                ])
                stepNames[step.id] = ("Step_\(step.id)", made?.decimals ?? max(0, step.result.normalized().scale))
                names.append(
                    Workbook.Name("Step_\(step.id)", Workbook.reference(sheet: calculationName, column: 3, row: row)))
            }
            guard group.count > 1, let split = group[0].uses.first, let splitName = stepNames[split]?.name,
                let whole = steps.first(where: { $0.id == split }),
                (try? ExactDecimal.sum(group.map(\.result))) == whole.result
            else { continue }
            rows.append([
                .empty,
                .text(ja ? "配分の合計 − 配分対象額（\(split)）" : "The parts less the amount split (\(split))"),
                .empty,
                .formula("SUM(D\(first):D\(rows.count))-\(splitName)", expected: .zero, decimals: nil, bold: false),
            ])
        }
        rows.append([])
        rows.append([
            .text(
                ja
                    ? "\(steps.count) 手順のうち \(recomputed) 手順を式で再計算（残りは pfs の値。算式欄が根拠）"
                    : "\(recomputed) of \(steps.count) steps recomputed by formula (the others are pfs's values; "
                        + "the Formula column shows how)")
        ])

        // Payments: each payer → payee line, then each payer's total.
        var payments: [[Workbook.Cell]] = [
            [
                ja ? "委託者" : "Payer", ja ? "受託者（債権者）" : "Payee", ja ? "支払項目" : "Clause", ja ? "区分" : "Kind",
                ja ? "金額" : "Amount",
            ].map { .text($0, bold: true) }
        ]
        let lines = (try? DueLine.lines(of: settlement)) ?? []
        for line in lines {
            payments.append([
                .text(line.payer), .text(line.payee), .text(line.clause), .text(line.kind),
                .number(line.amount, decimals: digits),
            ])
        }
        let end = payments.count
        if end > 1 {
            payments.append([
                .text(ja ? "合計" : "Total", bold: true), .empty, .empty, .empty,
                .formula(
                    "SUM(E2:E\(end))", expected: (try? ExactDecimal.sum(lines.map(\.amount))) ?? .zero,
                    decimals: digits),
            ])
            var payers: [String] = []
            for line in lines where !payers.contains(line.payer) { payers.append(line.payer) }
            for payer in payers {
                let total = (try? ExactDecimal.sum(lines.filter { $0.payer == payer }.map(\.amount))) ?? .zero
                payments.append([
                    .text(ja ? "委託者計：\(payer)" : "Payer total: \(payer)", bold: true), .empty, .empty, .empty,
                    .formula(
                        "SUMIF(A2:A\(end),\"\(payer.replacingOccurrences(of: "\"", with: "\"\""))\",E2:E\(end))",
                        expected: total, decimals: digits),
                ])
            }
        }
        let statement = XLSXStatement.workbook(document, language: language).sheets
        return Workbook(
            sheets: statement + [
                Workbook.Sheet(name: inputsName, rows: inputRows, widths: [30, 16, 14, 10, 14, 30, 26, 8, 40]),
                Workbook.Sheet(name: calculationName, rows: rows, widths: [8, 44, 60, 18, 18, 14]),
                Workbook.Sheet(name: paymentsName, rows: payments, widths: [24, 24, 24, 14, 16]),
            ], names: names)
    }

    /// The declared figure a reading names, from the settlement's KPIs.
    static func figure(_ reading: Settlement.Reading, in settlement: Settlement) -> Settlement.Figure? {
        settlement.figure(reading)
    }

    /// `KPI_item_c_actual_FY2024`: letters, digits and underscores only.
    static func inputName(_ reading: Settlement.Reading) -> String {
        let kpi = String(reading.kpi.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        let measure = reading.measure.rawValue.replacingOccurrences(of: "-", with: "_")
        return "KPI_\(kpi)_\(measure)_FY\(reading.year)"
    }

    static func expressionReadings(_ expression: StepExpression?) -> [Settlement.Reading] {
        switch expression {
        case nil, .step, .number: return []
        case .reading(let reading): return [reading]
        case .sum(let terms): return terms.flatMap(expressionReadings)
        case .difference(let a, let b), .product(let a, let b), .quotient(let a, let b), .smaller(let a, let b):
            return expressionReadings(a) + expressionReadings(b)
        case .reaching(let value, let mark, _, _, let then, let otherwise):
            return [value, mark, then, otherwise].flatMap(expressionReadings)
        case .atLeastZero(let a), .rounded(let a, _, _): return expressionReadings(a)
        }
    }

    /// The expression as a spreadsheet formula over the named inputs and steps, with the
    /// number of decimals its exact result can have; nil when it names something the sheets
    /// do not hold. Spreadsheets compute in binary floating point (1000 − 990.3 gives
    /// 9.70000000000005): every step's formula is rounded to the decimals its exact result
    /// has, and a quotient by the rounding increment to six more than it can need, so that a
    /// tie (x.5) is seen as one and truncation does not fall a unit short.
    static func excel(
        _ expression: StepExpression, inputs: [Settlement.Reading: (name: String, decimals: Int)],
        steps: [String: (name: String, decimals: Int)]
    ) -> (formula: String, decimals: Int)? {
        func decimals(_ value: ExactDecimal) -> Int { max(0, value.normalized().scale) }
        func go(_ expression: StepExpression) -> (String, Int)? {
            switch expression {
            case .reading(let reading): return inputs[reading].map { ($0.name, $0.decimals) }
            case .step(let id): return steps[id].map { ($0.name, $0.decimals) }
            case .number(let value): return (value.signum < 0 ? "(\(value))" : value.description, decimals(value))
            case .sum(let terms):
                let parts = terms.compactMap(go)
                guard parts.count == terms.count else { return nil }
                return ("(" + parts.map(\.0).joined(separator: "+") + ")", parts.map(\.1).max() ?? 0)
            case .difference(let a, let b):
                guard let a = go(a), let b = go(b) else { return nil }
                return ("(\(a.0)-\(b.0))", max(a.1, b.1))
            case .product(let a, let b):
                guard let a = go(a), let b = go(b) else { return nil }
                return ("(\(a.0)*\(b.0))", a.1 + b.1)
            case .quotient(let a, let b):
                guard let a = go(a), let b = go(b) else { return nil }
                return ("(\(a.0)/\(b.0))", 15)
            case .smaller(let a, let b):
                guard let a = go(a), let b = go(b) else { return nil }
                return ("MIN(\(a.0),\(b.0))", max(a.1, b.1))
            case .reaching(let value, let mark, let direction, let inclusive, let then, let otherwise):
                guard let value = go(value), let mark = go(mark), let then = go(then), let otherwise = go(otherwise)
                else { return nil }
                let comparison = (direction == .higherIsBetter ? ">" : "<") + (inclusive ? "=" : "")
                return (
                    "IF(\(value.0)\(comparison)\(mark.0),\(then.0),\(otherwise.0))", max(then.1, otherwise.1)
                )
            case .atLeastZero(let a): return go(a).map { ("MAX(0,\($0.0))", $0.1) }
            case .rounded(let a, let increment, let mode):
                guard let a = go(a) else { return nil }
                let quotient = "ROUND(\(a.0)/\(increment),\(min(15, a.1 + 6)))"
                let whole: String
                switch mode {
                case .down: whole = "TRUNC(\(quotient))"
                case .up: whole = "ROUNDUP(\(quotient),0)"
                case .halfUp: whole = "ROUND(\(quotient),0)"
                case .halfEven:
                    whole = "IF(ABS(\(quotient)-TRUNC(\(quotient)))=0.5,2*ROUND(\(quotient)/2,0),ROUND(\(quotient),0))"
                }
                return ("\(whole)*\(increment)", decimals(increment))
            }
        }
        return go(expression).map { ("ROUND(\($0.0),\(min(15, $0.1)))", min(15, $0.1)) }
    }
}
