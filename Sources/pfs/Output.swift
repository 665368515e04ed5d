import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements

/// Prints diagnostics as `FILE:LINE:COL: error: [check] message`, in colour only on a terminal.
enum DiagnosticPrinter {
    static func text(_ diagnostics: [Diagnostic], colour: Bool) -> String {
        diagnostics.map { diagnostic in
            guard colour else { return diagnostic.rendered }
            let severity = diagnostic.severity == .error ? "\u{1B}[1;31merror\u{1B}[0m" : "\u{1B}[1;33mwarning\u{1B}[0m"
            return diagnostic.rendered.replacingOccurrences(
                of: ": \(diagnostic.severity.rawValue): ", with: ": \(severity): ")
        }.joined(separator: "\n")
    }

    static func useColour(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

/// Diagnostics of a command whose product is not the diagnostics go to standard error.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    printError(DiagnosticPrinter.text(diagnostics, colour: DiagnosticPrinter.useColour(STDERR_FILENO)))
}

/// A statement that could not be written is exit status 70, with the reason.
func exitIfUnwritten(_ problem: Diagnostic?) throws {
    guard let problem else { return }
    printDiagnostics([problem])
    throw ExitCode(ExitStatus.internalError)
}

/// An empty directory name would put statements under `/` (`"" + "/" + id`): a usage error.
func requireDirectoryName(_ path: String, option: String) throws {
    if path.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("\(option) must name a directory (it is empty)")
    }
}

/// Text that the register keeps and prints again (a reason, a reference, a comment) is one
/// line of plain text: a control or text-direction character would forge lines in
/// `status`, `history` and `key list`. Refused before anything runs.
func requirePlainText(_ text: String, option: String) throws {
    if let scalar = text.unicodeScalars.first(where: \.forgesText) {
        throw ValidationError(
            """
            \(option) holds a control or text-direction character (U+\(String(format: "%04X", scalar.value))): \
            write it as plain text on one line
            """)
    }
}

/// Writes statements under `output/contract` as `settle --output` does: locked, exclusive, never
/// over a different statement unless --new-revision.
func writeStatements(
    _ statements: [ReportSet.Pending], to output: String, contract: String, newRevision: Bool
) throws {
    switch StatementOutput.issue(
        statements, under: output, in: output + "/" + contract, newRevision: newRevision)
    {
    case .refused(let refusals):
        printDiagnostics(refusals)
        // A renderer that failed is the machine's failure; a template over its limits is
        // a usage error, as when printing.
        if refusals.contains(where: { $0.checkID?.isOutputFailure == true }) {
            throw ExitCode(ExitStatus.internalError)
        }
        throw ExitCode(
            refusals.contains { $0.checkID == .templateLimit } ? ExitStatus.usage : ExitStatus.validationFailure)
    case .failed(let problem):
        try exitIfUnwritten(problem)
    case .done(let actions, let removedTemporaries):
        for path in removedTemporaries { print("removed \(path) (left by a run that was stopped)") }
        for action in actions {
            switch action {
            case .unchanged(let path): print("unchanged \(path)")
            case .write(let path, _): print("wrote \(path)")
            }
        }
    }
}

/// The contract at `file`, checked, and its settled years: the term so far, or through
/// `year` (the years before it are settled too: payouts show them, a value adds them up).
/// A contract with errors, or a year that cannot be settled, is said and exit status 1.
func settledHistory(_ file: String, through year: Int?) throws -> (PFS.CheckResult, Contract, [Settlement]) {
    let checked = PFS.check(path: file, canonical: true)
    guard let contract = checked.contract, !checked.hasErrors else {
        printDiagnostics(checked.diagnostics)
        throw ExitCode(ExitStatus.validationFailure)
    }
    let fileName = PFS.lastPathComponent(file)
    let settled =
        year.map { PFS.settleHistory(checked, provenance: PFS.provenance(of: checked, fileName: fileName), through: $0) }
        ?? PFS.settleTerm(checked, fileName: fileName)
    switch settled {
    case .success(let history): return (checked, contract, history)
    case .failure(let failure):
        printDiagnostics(failure.diagnostics)
        throw ExitCode(ExitStatus.validationFailure)
    }
}
