import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Check and settle every contract of a portfolio, every year of each term that has data.",
        discussion:
            """
            Writes OUTPUT/<contract-id>/<document>-FY<year>.<ext> for each (default: the annual settlement as \
            JSON). A contract with errors gets no statement; its diagnostics go to standard error and the exit \
            status is 1, after every other contract has been settled.
            """
    )

    @Argument(help: "Contract XML files, or directories of them.")
    var files: [String]

    @Option(help: "Directory to write the statements to.")
    var output: String

    @OptionGroup var documents: DocumentOptions

    @Flag(help: "Write a new revision beside a different existing statement instead of refusing.")
    var newRevision = false

    @Option(name: .customLong("jobs"), help: "Contracts settled at once (default: the number of cores).")
    var jobsArgument: Int?

    var jobs: Int { jobsArgument ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one contract file or directory") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        try requireDirectoryName(output, option: "--output")
    }

    func run() throws {
        let template = try documents.htmlTemplate()
        let gathered = Portfolio.contractFiles(files)
        if !gathered.skipped.isEmpty { printDiagnostics(gathered.skipped) }
        let selection = documents.selection(defaultFormats: [.json], defaultDocuments: [.settlement])
        let run = Portfolio.settle(
            files: gathered.files, output: output, selection: selection, template: template,
            newRevision: newRevision, jobs: jobs)
        for path in run.outcomes.flatMap(\.removedTemporaries) {
            print("removed \(path) (left by a run that was stopped)")
        }
        let failed = run.outcomes.filter { $0.diagnostics.contains { $0.severity == .error } }
        if !failed.isEmpty { printDiagnostics(failed.flatMap(\.diagnostics)) }
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
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
        let statements = run.outcomes.map(\.statements).reduce(0, +)
        print(
            """
            \(count(gathered.files.count, "contract")), \(count(statements, "statement")) in \(output), \
            \(count(failed.count, "contract")) with errors
            """
        )
        if !failed.isEmpty { throw ExitCode(ExitStatus.validationFailure) }
    }
}
