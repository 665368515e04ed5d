import Foundation
import PFSLoader
import PFSModel

/// What `pfs actuals` does to a contract: the values a table adds or changes, checked.
public struct ActualsPlan: Sendable {
    /// One value set by the table.
    public struct Change: Sendable, Hashable {
        public let edit: ValueEdit
        /// The value and source the contract had, when it had one.
        public let before: (value: String, source: String?)?
        /// The table's row.
        public let row: Int

        public static func == (lhs: Change, rhs: Change) -> Bool {
            lhs.edit == rhs.edit && lhs.row == rhs.row && lhs.before?.value == rhs.before?.value
                && lhs.before?.source == rhs.before?.source
        }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(edit)
            hasher.combine(row)
        }
    }

    /// Values added or changed, in the table's order.
    public let changes: [Change]
    /// Rows that repeat what the contract already says.
    public let unchanged: Int
    /// The new contract's bytes (the old ones when nothing changes).
    public let bytes: [UInt8]
    /// Why the table cannot be taken in (nothing is written when there is any).
    public let diagnostics: [Diagnostic]

    /// The lines `pfs actuals` shows: `+` added, `~` changed.
    public var diff: [String] {
        changes.map { change in
            let what = "KPI \(change.edit.kpi) FY\(change.edit.year) \(change.edit.series.rawValue)"
            guard let before = change.before else {
                return "+ \(what) \(change.edit.value)  (source: \(change.edit.source); row \(change.row))"
            }
            let source =
                before.source == change.edit.source
                ? "" : "; source: \(before.source ?? "none") → \(change.edit.source)"
            return "~ \(what) \(before.value) → \(change.edit.value)  (row \(change.row)\(source))"
        }
    }
}

/// Taking a department's table of values into a contract.
public enum Actuals {
    /// Checks every row of `table` against the contract and, when all are good, makes the
    /// new version of the contract's bytes, itself checked.
    public static func plan(_ table: ActualsTable, into contract: Contract, bytes: [UInt8], file: String) -> ActualsPlan
    {
        var diagnostics: [Diagnostic] = []
        var changes: [ActualsPlan.Change] = []
        var unchanged = 0
        var seen: [String: Int] = [:]
        for row in table.rows {
            switch read(row, table: table, contract: contract) {
            case .failure(let problem): diagnostics.append(problem.diagnostic)
            case .success(let (edit, before)):
                let key = "\(edit.kpi)\u{0}\(edit.year)\u{0}\(edit.series.rawValue)"
                if let first = seen[key] {
                    diagnostics.append(
                        Diagnostic(
                            check: .actualsDuplicate,
                            message:
                                """
                                row \(row.row) gives KPI '\(edit.kpi)' FY\(edit.year) \(edit.series.rawValue) \
                                again (row \(first) gave it)
                                """,
                            hint: "keep one row per KPI, year and kind", at: table.location(row.kpi)))
                    continue
                }
                seen[key] = row.row
                if let before, ExactDecimal(plain: before.value) == ExactDecimal(plain: edit.value),
                    before.source == edit.source
                {
                    unchanged += 1
                } else {
                    changes.append(ActualsPlan.Change(edit: edit, before: before, row: row.row))
                }
            }
        }
        guard diagnostics.isEmpty, !changes.isEmpty else {
            return ActualsPlan(
                changes: diagnostics.isEmpty ? [] : changes, unchanged: unchanged, bytes: bytes,
                diagnostics: diagnostics)
        }
        guard let edited = ContractEditor.apply(changes.map(\.edit), to: bytes) else {
            return ActualsPlan(
                changes: changes, unchanged: unchanged, bytes: bytes,
                diagnostics: [
                    Diagnostic(
                        check: .actualsTable, message: "pfs could not find where to write the values in \(file)",
                        hint: "run `pfs check \(file)` first", at: .file(file))
                ])
        }
        // The new version must pass every check, or nothing is written.
        let checked = PFS.check(bytes: edited, file: file)
        let errors = checked.diagnostics.filter { $0.severity == .error }.map { error in
            Diagnostic(
                error.severity, check: error.checkID ?? .actualsTable,
                message: "with the table's values, the new version would fail: \(error.message)", hint: error.hint,
                at: SourceLocation(
                    file: "\(file) (new version)", line: error.location.line, column: error.location.column,
                    element: error.location.element))
        }
        return ActualsPlan(changes: changes, unchanged: unchanged, bytes: edited, diagnostics: errors)
    }

    struct RowProblem: Error { let diagnostic: Diagnostic }

    /// One row as an edit, with the value the contract has now.
    static func read(
        _ row: ActualsRow, table: ActualsTable, contract: Contract
    ) -> Result<(ValueEdit, (value: String, source: String?)?), RowProblem> {
        func problem(
            _ check: CheckID, _ cell: TableCell, _ message: String, _ hint: String
        ) -> Result<
            (ValueEdit, (value: String, source: String?)?), RowProblem
        > {
            .failure(
                RowProblem(diagnostic: Diagnostic(check: check, message: message, hint: hint, at: table.location(cell)))
            )
        }
        guard let kpi = contract.kpi(row.kpi.text) else {
            let known = contract.kpis.prefix(12).map(\.id).joined(separator: ", ")
            return problem(
                .actualsKPI, row.kpi, "row \(row.row): KPI '\(row.kpi.text)' is not in contract '\(contract.id)'",
                "the contract's KPIs: \(known)")
        }
        guard let year = fiscalYear(row.year.text) else {
            return problem(
                .actualsYear, row.year, "row \(row.row): '\(row.year.text)' is not a fiscal year",
                "write the year the fiscal year starts in (2024), FY2024 or 令和6年度")
        }
        guard contract.term.contains(year) else {
            return problem(
                .actualsYear, row.year,
                """
                row \(row.row): FY\(year) is outside the contract's term \
                \(contract.term.first)–\(contract.term.last)
                """,
                "give values for FY\(contract.term.first) to FY\(contract.term.last)")
        }
        let kindText = row.kind?.text.lowercased() ?? ""
        let series: ValueEdit.Series
        switch kindText {
        case "", "actual", "実績", "実績値": series = .actual
        case "expected", "見込み", "見込", "見込値", "expected value": series = .expected
        default:
            return problem(
                .actualsKind, row.kind ?? row.value,
                "row \(row.row): kind '\(row.kind?.text ?? "")' is neither actual nor expected",
                "write actual (実績) or expected (見込み), or leave the column empty for actual")
        }
        if series == .expected && kpi.projection != nil {
            return problem(
                .actualsKind, row.kind ?? row.value,
                """
                row \(row.row): KPI '\(kpi.id)' projects its expected values from its baseline; a table cannot \
                set them
                """,
                "change the contract's projection instead, or give actual values only")
        }
        guard let value = decimal(row.value.text) else {
            return problem(
                .actualsValue, row.value, "row \(row.row): '\(row.value.text)' is not a decimal number",
                "write the value plainly, e.g. 2200, 1234.5 or, quoted in CSV, \"1,234.5\" (no units, no exponent, ASCII digits)")
        }
        let sourceText = row.source?.text ?? ""
        if sourceText.unicodeScalars.contains(where: \.forgesText) {
            return problem(
                .actualsValue, row.source ?? row.value,
                "row \(row.row): the source holds a control or text-direction character",
                "retype the source as plain text")
        }
        let source = sourceText.isEmpty ? "\(table.file) row \(row.row)" : sourceText
        let declared = series == .actual ? kpi.actual.first { $0.year == year } : kpi.expected.first { $0.year == year }
        if let declared, !declared.beneficiaries.isEmpty, declared.value != ExactDecimal(plain: value) {
            return problem(
                .actualsKind, row.value,
                """
                row \(row.row): KPI '\(kpi.id)' FY\(year)'s actual value is broken down by beneficiary; a table \
                cannot change its total alone
                """,
                "edit the breakdown in the contract")
        }
        let edit = ValueEdit(kpi: kpi.id, year: year, series: series, value: value, source: source)
        return .success((edit, declared.map { ($0.value.description, $0.source) }))
    }

    /// 2024, FY2024, 2024年度, 令和6年度 (R6), 平成30年度 (H30).
    static func fiscalYear(_ text: String) -> Int? {
        var trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "年度", with: "")
        if trimmed.uppercased().hasPrefix("FY") { trimmed = String(trimmed.dropFirst(2)) }
        if let year = Int(trimmed), (1900...2999).contains(year) { return year }
        let eras: [(prefixes: [String], start: Int)] = [(["令和", "R"], 2018), (["平成", "H"], 1988)]
        for era in eras {
            for prefix in era.prefixes where trimmed.uppercased().hasPrefix(prefix) {
                let rest = trimmed.dropFirst(prefix.count)
                if rest == "元" { return era.start + 1 }
                if let number = Int(rest), number >= 1 { return era.start + number }
            }
        }
        return nil
    }

    /// The value as the contract writes it: thousands separators (only where they group
    /// by three) removed; nil when it is not a plain decimal.
    static func decimal(_ text: String) -> String? {
        var plain = text
        if text.contains(",") {
            let parts = text.split(separator: ".", maxSplits: 1)
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            let head = groups[0].hasPrefix("-") ? groups[0].dropFirst() : groups[0]
            guard (1...3).contains(head.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            plain = groups.joined() + (parts.count > 1 ? "." + parts[1] : "")
        }
        guard ExactDecimal(plain: plain) != nil else { return nil }
        return plain
    }
}
