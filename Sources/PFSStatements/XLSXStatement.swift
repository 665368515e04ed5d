import PFSModel

/// A statement as a workbook (`--format xlsx`): one sheet laid out as the document reads —
/// title, header, then each section's facts, notes and tables — with amounts and figures as
/// numbers in the currency's format, texts as texts, and every total that adds up the rows
/// above it written as a `SUM` formula over them (a total that is not such a sum, as "of
/// which fixed", stays a number).
public enum XLSXStatement {
    /// The workbook of `document` with labels in `language`.
    public static func workbook(_ document: Document, language: Language) -> Workbook {
        let digits = document.amountDigits
        var rows: [[Workbook.Cell]] = [[.text(document.title.text(language), bold: true)], []]
        func facts(_ facts: [Fact]) {
            rows += facts.map { [.text($0.label.text(language)), cell($0.value, language, digits)] }
        }
        rows.append([.text(Document.overviewTitle.text(language), bold: true)])
        facts(document.header)
        for section in document.sections {
            rows += [[], [.text(section.title.text(language), bold: true)]]
            for block in section.blocks {
                switch block {
                case .facts(let list): facts(list)
                case .note(let phrase): rows.append([.text(phrase.text(language))])
                case .table(let table):
                    rows.append(table.columns.map { .text($0.title.text(language), bold: true) })
                    let first = rows.count + 1
                    rows += table.rows.map { $0.map { cell($0, language, digits) } }
                    let last = rows.count
                    rows += table.totals.map { total in
                        total.enumerated().map { column, value in
                            totalCell(value, column: column, of: table, rows: first...last, language, digits)
                        }
                    }
                }
            }
        }
        let name = language == .ja ? "明細" : "Statement"
        let widths = [34] + Array(repeating: 18, count: max(0, (rows.map(\.count).max() ?? 1) - 1))
        return Workbook(sheets: [Workbook.Sheet(name: name, rows: rows, widths: widths)])
    }

    /// A document's cell in a workbook.
    static func cell(_ cell: Cell, _ language: Language, _ digits: Int, bold: Bool = false) -> Workbook.Cell {
        switch cell {
        case .amount(let value): return .number(value, decimals: digits, bold: bold)
        case .number(let value), .ratio(let value): return .number(value, decimals: nil, bold: bold)
        case .declared(let value): return .number(value, decimals: value.scale, bold: bold)
        case .rounded(let value, _, .amount): return .number(value, decimals: digits, bold: bold)
        case .rounded(let value, _, _): return .number(value, decimals: value.scale, bold: bold)
        case .integer(let value): return .number(ExactDecimal(value), decimals: 0, bold: bold)
        case .empty: return .empty
        default: return .text(cell.plain(language, amountDigits: digits), bold: bold)
        }
    }

    /// A totals row's cell: the `SUM` of the column's rows when it is their sum.
    static func totalCell(
        _ value: Cell, column: Int, of table: Table, rows: ClosedRange<Int>, _ language: Language, _ digits: Int
    ) -> Workbook.Cell {
        let amount: ExactDecimal
        let decimals: Int?
        switch value {
        case .amount(let figure): (amount, decimals) = (figure, digits)
        case .number(let figure): (amount, decimals) = (figure, nil)
        case .declared(let figure): (amount, decimals) = (figure, figure.scale)
        default: return cell(value, language, digits, bold: true)
        }
        let above: [ExactDecimal?] = table.rows.map { row in
            guard column < row.count else { return nil }
            switch row[column] {
            case .amount(let figure), .number(let figure): return figure
            case .empty: return .zero
            default: return nil
            }
        }
        guard !table.rows.isEmpty, above.allSatisfy({ $0 != nil }),
            let sum = try? ExactDecimal.sum(above.compactMap { $0 }), sum == amount
        else { return .number(amount, decimals: decimals, bold: true) }
        let letter = Workbook.column(column)
        return .formula(
            "SUM(\(letter)\(rows.lowerBound):\(letter)\(rows.upperBound))", expected: amount, decimals: decimals)
    }
}
