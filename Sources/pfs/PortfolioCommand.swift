import ArgumentParser
import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSOutput
import PFSRegister
import PFSStatements

struct PortfolioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract:
            "Check and settle every contract of a portfolio, every year of each term that has data, into a ledger.",
        discussion:
            """
            Writes OUTPUT/ledger.csv (UTF-8 with BOM), OUTPUT/ledger.jsonl and OUTPUT/summary.json: one row per \
            payer, payee and clause of every settled year, tied to its settlement by SHA-256, and the totals per \
            payer and fiscal year, the budget envelope of future years (the least and the most the rules allow) \
            and per contract. With --register, the years the register holds are taken from it (their state, \
            issued amounts and adjustments) and checked against what each contract settles to now. With \
            --statements, also OUTPUT/<contract-id>/<document>-FY<year>.<ext> for each \
            (default: the annual settlement as JSON). A contract with errors is in no file; its diagnostics go to \
            standard error and the exit status is 1, after every other contract has been settled.
            """
    )

    @Argument(help: "Contract XML files, or directories of them.")
    var files: [String]

    @Option(help: "Directory to write the statements to.")
    var output: String

    @OptionGroup var documents: DocumentOptions

    @Flag(help: "Also write every statement, as `pfs settle --output` does.")
    var statements = false

    @Flag(help: "With --statements: write a new revision beside a different existing statement instead of refusing.")
    var newRevision = false

    @Option(
        help: ArgumentHelp(
            "Take the years a register holds from it and check them: an SQLite file or a postgres:// URL.",
            valueName: "PATH|URL"))
    var register: String?

    @Option(name: .customLong("jobs"), help: "Contracts settled at once (default: the number of cores).")
    var jobsArgument: Int?

    var jobs: Int { jobsArgument ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one contract file or directory") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        try requireDirectoryName(output, option: "--output")
    }

    func run() async throws {
        let template = try documents.htmlTemplate()
        if statements {
            try documents.requireRenderers(
                documents.selection(defaultFormats: [.json], defaultDocuments: [.settlement]))
        }
        let recorded = try await registerRecords()
        let gathered = Portfolio.contractFiles(files)
        if !gathered.skipped.isEmpty { printDiagnostics(gathered.skipped) }
        let progress = Progress(total: gathered.files.count)
        let ledger = Portfolio.ledger(
            files: gathered.files, output: output, jobs: jobs, recorded: recorded, done: progress.tick)
        progress.finish()
        let failed = Set(ledger.summary.refused.keys)
        if !ledger.diagnostics.isEmpty { printDiagnostics(ledger.diagnostics) }
        if let problem = ledger.outputProblem {
            printDiagnostics([problem])
            throw ExitCode(ExitStatus.internalError)
        }
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var written = "\(count(ledger.rows, "ledger row"))"
        if statements {
            let selection = documents.selection(defaultFormats: [.json], defaultDocuments: [.settlement])
            let run = Portfolio.settle(
                files: gathered.files.filter { !failed.contains($0) }, output: output, selection: selection,
                template: template, newRevision: newRevision, jobs: jobs)
            for path in run.outcomes.flatMap(\.removedTemporaries) {
                print("removed \(path) (left by a run that was stopped)")
            }
            if let problem = run.outputProblem {
                // One clear message, not one per statement: the run stopped at the first.
                printDiagnostics([problem])
                let settled = run.outcomes.filter { $0.outputProblem == nil }.count
                printError(
                    """
                    pfs: stopped at the first output error; \(count(settled, "contract")) of \(gathered.files.count) \
                    handled before it
                    """
                )
                throw ExitCode(ExitStatus.internalError)
            }
            written += ", \(count(run.outcomes.map(\.statements).reduce(0, +), "statement"))"
        }
        print(ledger.summary.text, terminator: "")
        let warned =
            ledger.warningsElsewhere > 0 ? ", \(count(ledger.warningsElsewhere, "warning")) (pfs check shows them)" : ""
        print(
            """
            \(count(gathered.files.count, "contract")), \(written) in \(output), \
            \(count(failed.count, "contract")) with errors\(warned)
            """
        )
        if !failed.isEmpty { throw ExitCode(ExitStatus.validationFailure) }
    }

    /// What the register named by --register holds, after checking that nothing in it was
    /// altered (a register that fails `register verify` is not a source for the ledger).
    private func registerRecords() async throws -> [String: [Int: RecordedYear]]? {
        guard let register else { return nil }
        let location = RegisterLocation.parse(register)
        return try await usingRegister(location) { register async throws(RegisterError) in
            let audit = try await register.verify()
            guard audit.findings.isEmpty else {
                throw RegisterError.refused(
                    "the register fails its check (\(audit.findings.count) finding(s), first: \(audit.findings[0]))",
                    hint: "run `pfs register verify` and resolve it before taking a ledger from the register")
            }
            return try await register.ledgerRecords()
        }
    }
}

/// Contracts done of the total, the rate and the time left, on standard error when it is a
/// terminal (nothing otherwise), redrawn at most five times a second.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var done = 0
    private var drawn = Date.distantPast
    private let lock = NSLock()

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1 && total > 1
    }

    func tick() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let now = Date()
        guard now.timeIntervalSince(drawn) >= 0.2 || done == total else { return }
        drawn = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : 0
        FileHandle.standardError.write(
            Data(String(format: "\r%d/%d contracts, %.0f/s, %.0f s left   ", done, total, rate, left).utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
