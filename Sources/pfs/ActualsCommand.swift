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
    @Option(help: "With --correction: your private key file (PEM), to sign the correction recorded.")
    var key: String?
    @Flag(help: "Refuse a private key file that others may read (else a warning).")
    var strict = false
    @Option(help: "With --correction: the public-sector party correcting, when your organisation is bound to several.")
    var by: String?
    @OptionGroup var registerOptions: RegisterOptions

    func validate() throws {
        if let correction { try requirePlainText(correction, option: "--correction") }
    }

    func run() async throws {
        // Found as every command finds it; a year it shows as issued changes only with a reason.
        let register = registerOptions.existing(besides: file)
        if correction != nil, register == nil {
            printError(
                """
                pfs: --correction is recorded in the register, and there is none: give --register PATH|URL, set \
                PFS_REGISTER, or keep pfs.sqlite beside \(file)
                """)
            throw ExitCode(ExitStatus.validationFailure)
        }
        // Held until the new version is in place: a second run waits, then reads this one's values.
        let contractFile: ContractFile
        switch ContractFile.lock(file) {
        case .success(let locked): contractFile = locked
        case .failure(let problem):
            printDiagnostics([problem.diagnostic])
            throw ExitCode(ExitStatus.validationFailure)
        }
        defer { contractFile.unlock() }
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
        let changed = plan.correctedValues
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
        let target = output ?? contractFile.target
        let signer = try loadSigner(key, strict: strict)
        if let register, correction != nil, !changed.isEmpty {
            // Refused before the file changes: a correction nobody may sign is not written.
            try await usingRegister(register) { register async throws(RegisterError) in
                try await register.checkCorrection(contract: input.contract, signer: signer, party: by)
            }
        }
        if let problem = StatementOutput.write(plan.bytes, to: target, permissions: contractFile.permissions) {
            printDiagnostics([problem])
            throw ExitCode(ExitStatus.internalError)
        }
        if let register, let correction, !changed.isEmpty {
            try await usingRegister(register) { register async throws(RegisterError) in
                try await register.recordCorrection(
                    contract: input.contract, from: input.sha256, to: PFS.sha256Hex(plan.bytes), values: changed,
                    reason: correction, signer: signer, party: by)
            }
        }
        print(
            output == nil && contractFile.followedLink
                ? "wrote \(target) (\(file) is a link to it; the link is kept)" : "wrote \(target)")
    }

    /// A value of an issued year changes only with a reason.
    private func refuseIssuedChanges(
        _ changed: [CorrectedValue], plan: ActualsPlan, table: ActualsTable, input: ContractInput,
        register: RegisterLocation
    ) async throws {
        let states = try await usingRegister(register) { register async throws(RegisterError) in
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
