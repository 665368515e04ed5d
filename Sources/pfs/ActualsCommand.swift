import ArgumentParser
import Foundation
import PFS
import PFSLoader
import PFSModel
import PFSOutput
import PFSRegister

struct ActualsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actuals",
        abstract: "Take a table of actual (or expected) values into a contract, keeping everything else as it is.",
        discussion: """
            Reads CSV (UTF-8 with or without BOM, or Shift_JIS) or XLSX with the columns kpi, year, value and, \
            optionally, source and kind (actual or expected); Japanese headers (指標, 年度, 実績値, 出典, 種別) too. \
            Shows what changes, then writes the new version of the contract atomically (in place, or to --output), \
            only when every row is good and the new contract passes every check.
            """)

    @Argument(help: "The contract XML file.")
    var file: String
    @Option(help: "The table: a .csv or .xlsx file.")
    var from: String
    @Option(help: "Write the new version here instead of replacing the contract.")
    var output: String?
    @Flag(help: "Show what would change; write nothing.")
    var dryRun = false
    @Option(help: "The reason for changing a value of a year the register shows as issued.")
    var correction: String?
    @Option(
        help: ArgumentHelp(
            "Refuse changes to issued years (without --correction) as this register shows them.", valueName: "PATH|URL")
    )
    var register: String?

    func run() async throws {
        let input = try loadContract(file)
        let table: ActualsTable
        switch ActualsTable.read(path: from) {
        case .success(let read): table = read
        case .failure(let problem):
            printDiagnostics([problem.diagnostic])
            throw ExitCode(ExitStatus.validationFailure)
        }
        let plan = Actuals.plan(table, into: input.contract, bytes: input.bytes, file: input.fileName)
        guard plan.diagnostics.isEmpty else {
            printDiagnostics(plan.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        }
        let changed = plan.changes.compactMap { change -> CorrectedValue? in
            guard let before = change.before else { return nil }
            return CorrectedValue(
                kpi: change.edit.kpi, year: change.edit.year, series: change.edit.series.rawValue,
                before: before.value, after: change.edit.value)
        }
        if let register, !changed.isEmpty {
            try await refuseIssuedChanges(changed, plan: plan, table: table, input: input, register: register)
        }
        print(
            """
            \(file) ← \(from): \(plan.changes.filter { $0.before == nil }.count) added, \(changed.count) changed, \
            \(plan.unchanged) unchanged
            """
        )
        for line in plan.diff { print("  " + line) }
        guard !plan.changes.isEmpty else { return }
        if dryRun {
            print("dry run: nothing written")
            return
        }
        let target = output ?? file
        if let problem = StatementOutput.write(plan.bytes, to: target) {
            printDiagnostics([problem])
            throw ExitCode(ExitStatus.internalError)
        }
        if let register, let correction, !changed.isEmpty {
            let location = RegisterLocation.parse(register)
            try await usingRegister(location) { register async throws(RegisterError) in
                try await register.recordCorrection(
                    contract: input.contract.id, from: input.sha256, to: PFS.sha256Hex(plan.bytes), values: changed,
                    reason: correction)
            }
        }
        print("wrote \(target)")
    }

    /// A value of an issued year changes only with a reason.
    private func refuseIssuedChanges(
        _ changed: [CorrectedValue], plan: ActualsPlan, table: ActualsTable, input: ContractInput, register: String
    ) async throws {
        let states = try await usingRegister(RegisterLocation.parse(register)) { register async throws(RegisterError) in
            try await register.states(of: input.contract.id)
        }
        let issued: Set<YearState> = [.issued, .partlyPaid, .paid]
        guard correction == nil else { return }
        let refused = plan.changes.filter { change in
            change.before != nil && states[change.edit.year].map(issued.contains) == true
        }
        guard !refused.isEmpty else { return }
        printDiagnostics(
            refused.map { change in
                Diagnostic(
                    check: .actualsIssued,
                    message:
                        """
                        row \(change.row) changes KPI '\(change.edit.kpi)' FY\(change.edit.year) \
                        \(change.edit.series.rawValue) from \(change.before?.value ?? "") to \
                        \(change.edit.value), but FY\(change.edit.year) is \
                        \(states[change.edit.year]?.rawValue ?? "issued")
                        """,
                    hint: "a figure of an issued year changes only with a reason: --correction \"…\"",
                    at: SourceLocation(file: table.file, line: change.row, column: 1))
            })
        throw ExitCode(ExitStatus.validationFailure)
    }
}
