import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements

struct Reports: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regenerate every statement in a reports directory from a contracts directory.",
        discussion:
            """
            Writes <output>/<contract-id>/ with the annual settlement, a payout statement per contractor and the \
            audit trail, in text, Markdown, HTML and CSV (Japanese and English) and JSON, for every year of each \
            contract's term that has data, and removes files there that the engine no longer makes. The golden \
            test compares Reports/ with exactly this.
            """
    )

    @Option(help: "Directory of contract XML files.")
    var contracts = "Contracts"

    @Option(help: "Directory to write the statements to.")
    var output = "Reports"

    func validate() throws {
        try requireDirectoryName(contracts, option: "--contracts")
        try requireDirectoryName(output, option: "--output")
    }

    func run() throws {
        switch ReportSet.regenerate(contractsDirectory: contracts, output: output) {
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let (done, problem)):
            for path in done.removedTemporaries { print("removed \(path) (left by a run that was stopped)") }
            for path in done.removed { print("removed \(path) (the engine no longer makes it)") }
            for path in done.keptForeign {
                print("kept \(path): named like a statement, but not one pfs wrote for this contract")
            }
            try exitIfUnwritten(problem)
            let total = done.written.count + done.unchanged
            print(
                """
                \(total) statements in \(output): \(done.written.count) written, \(done.unchanged) unchanged, \
                \(done.removed.count) removed
                """
            )
        }
    }
}
