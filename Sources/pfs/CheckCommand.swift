import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSChecks
import PFSOutput
import PFSStatements

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate contracts: schema first, then every semantic check.",
        discussion:
            """
            Prints every problem as FILE:LINE:COL: error: [check-id] message, with a hint. Exit status 0 when \
            clean, 1 when any error was found.
            """
    )

    @Argument(help: "Contract XML files, or directories of them.")
    var files: [String]

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    @Option(
        help: """
            The language the contracts' statements will be read in: with ja, also warn where a Japanese \
            statement would print the contract's English (names, sources, reasons, units).
            """)
    var lang: Language?

    @Option(name: .customLong("jobs"), help: "Contracts checked at once (default: the number of cores).")
    var jobsArgument: Int?

    var jobs: Int { jobsArgument ?? ProcessInfo.processInfo.activeProcessorCount }

    struct FileReport: Codable, Sendable {
        let file: String
        let ok: Bool
        /// The contract format the file is written in, when it could be read as a contract.
        let formatVersion: Int?
        let diagnostics: [Diagnostic]
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one contract file") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    struct Output: Codable, Sendable {
        let files: [FileReport]
        let skipped: [Diagnostic]
    }

    func run() throws {
        let gathered = Portfolio.contractFiles(files)
        let results = Parallel.map(gathered.files, jobs: jobs) { file in
            let result = PFS.check(path: file)
            let japanese = lang == .ja ? result.contract.map(JapaneseTextCheck.run) ?? [] : []
            return (
                diagnostics: result.diagnostics + japanese,
                declared: result.contract.flatMap { _ in Portfolio.declaredID(of: result, file: file) },
                format: result.contract?.format.rawValue
            )
        }
        let duplicates = Portfolio.duplicateIDs(results.compactMap(\.declared))
        let reports = zip(gathered.files, results).map { file, result in
            let diagnostics = result.diagnostics + (duplicates[file].map { [$0] } ?? [])
            return FileReport(
                file: file, ok: !diagnostics.contains { $0.severity == .error }, formatVersion: result.format,
                diagnostics: diagnostics)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(Output(files: reports, skipped: gathered.skipped))
            print(String(decoding: data, as: UTF8.self))
        } else {
            let colour = DiagnosticPrinter.useColour(STDOUT_FILENO)
            var text = gathered.skipped.isEmpty ? "" : DiagnosticPrinter.text(gathered.skipped, colour: colour) + "\n"
            for report in reports {
                if !report.diagnostics.isEmpty {
                    text += DiagnosticPrinter.text(report.diagnostics, colour: colour) + "\n"
                }
                let errors = report.diagnostics.filter { $0.severity == .error }.count
                let format = report.formatVersion.map { " (format \($0))" } ?? ""
                text +=
                    errors == 0
                    ? "\(report.file): ok\(format)\n" : "\(report.file): \(errors) error\(errors == 1 ? "" : "s")\n"
            }
            print(text, terminator: "")
        }
        if reports.contains(where: { !$0.ok }) { throw ExitCode(ExitStatus.validationFailure) }
    }
}
