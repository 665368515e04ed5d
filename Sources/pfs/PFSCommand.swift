import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSStatements

/// Exit statuses, documented in README.md.
enum ExitStatus {
    static let ok: Int32 = 0
    /// A contract failed its checks, or a settlement could not be made.
    static let validationFailure: Int32 = 1
    /// A usage error (ArgumentParser uses EX_USAGE, 64, for its own).
    static let usage: Int32 = 64
    /// An internal error, or output that could not be written (EX_SOFTWARE).
    static let internalError: Int32 = 70
}

@main
struct PFSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pfs",
        abstract: "Settle outcome-based public contracts (Pay For Success, Social Impact Bonds).",
        discussion: "Exit status: 0 ok, 1 a contract has errors, 64 usage error, 70 internal or output error.",
        version: PFS.version,
        subcommands: [Check.self, Settle.self, PortfolioCommand.self, Reports.self]
    )
}

/// Prints diagnostics as `FILE:LINE:COL: error: [check] message`, in colour only on a terminal.
enum DiagnosticPrinter {
    static func text(_ diagnostics: [Diagnostic], colour: Bool) -> String {
        diagnostics.map { diagnostic in
            guard colour else { return diagnostic.rendered }
            let severity = diagnostic.severity == .error ? "\u{1B}[1;31merror\u{1B}[0m" : "\u{1B}[1;33mwarning\u{1B}[0m"
            return diagnostic.rendered.replacingOccurrences(of: ": \(diagnostic.severity.rawValue): ", with: ": \(severity): ")
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

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate contracts: schema first, then every semantic check.",
        discussion: "Prints every problem as FILE:LINE:COL: error: [check-id] message, with a hint. Exit status 0 when clean, 1 when any error was found.")

    @Argument(help: "Contract XML files, or directories of them.")
    var files: [String]

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    @Option(help: "Contracts checked at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    struct FileReport: Codable, Sendable {
        let file: String
        let ok: Bool
        let diagnostics: [Diagnostic]
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one contract file") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let reports = Portfolio.map(Portfolio.contractFiles(files), jobs: jobs) { file in
            let result = PFS.check(path: file)
            return FileReport(file: file, ok: !result.hasErrors, diagnostics: result.diagnostics)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(["files": reports])
            print(String(decoding: data, as: UTF8.self))
        } else {
            let colour = DiagnosticPrinter.useColour(STDOUT_FILENO)
            var text = ""
            for report in reports {
                if !report.diagnostics.isEmpty { text += DiagnosticPrinter.text(report.diagnostics, colour: colour) + "\n" }
                let errors = report.diagnostics.filter { $0.severity == .error }.count
                text += errors == 0 ? "\(report.file): ok\n" : "\(report.file): \(errors) error\(errors == 1 ? "" : "s")\n"
            }
            print(text, terminator: "")
        }
        if reports.contains(where: { !$0.ok }) { throw ExitCode(ExitStatus.validationFailure) }
    }
}

extension StatementFormat: ExpressibleByArgument {}

struct Settle: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle one fiscal year of a contract and print or write the statement.",
        discussion: "Nothing is printed or written when the contract has errors; the diagnostics go to standard error and the exit status is 1.")

    @Argument(help: "The contract XML file.")
    var file: String

    @Option(help: "The fiscal year to settle, named by the calendar year it starts in (e.g. 2024 for 令和6年度).")
    var year: Int?

    @Flag(help: "Settle every year of the term that has something to settle and its data, in order; years without data yet are listed on standard error.")
    var all = false

    @Option(help: "Statement format: text or json. Repeat to write several.")
    var format: [StatementFormat] = [.text]

    @Option(help: "Write the statements as DIR/<contract-id>/settlement-FY<year>.<ext> instead of printing them.")
    var output: String?

    @Flag(help: "With --output: when a different statement for this year already exists, write a new revision (…-r2.txt) beside it instead of refusing.")
    var newRevision = false

    func validate() throws {
        if (year == nil) == (all == false) {
            throw ValidationError("give either --year YEAR or --all")
        }
        if output == nil && format.count > 1 {
            throw ValidationError("several --format values need --output DIR")
        }
        if output == nil && newRevision {
            throw ValidationError("--new-revision needs --output DIR")
        }
    }

    func run() throws {
        let checked = PFS.check(path: file)
        guard let contract = checked.contract, !checked.hasErrors else {
            printDiagnostics(checked.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        }
        let years: [Int]
        if let year {
            years = [year]
        } else {
            years = PFS.settleableYears(contract)
            let skipped = (contract.term.first...max(contract.term.first, contract.term.last)).filter { !years.contains($0) }
            if !skipped.isEmpty {
                printError("\(file): note: not settled, nothing to settle or data missing yet: " + skipped.map { "FY\($0)" }.joined(separator: ", "))
            }
        }
        var settlements: [Settlement] = []
        for year in years {
            switch PFS.settle(checked, fileName: PFS.lastPathComponent(file), year: year) {
            case .success(let value):
                settlements.append(value)
            case .failure(let failure):
                printDiagnostics(failure.diagnostics)
                throw ExitCode(ExitStatus.validationFailure)
            }
        }
        guard let output else {
            if format[0] == .json && all {
                print(JSONStatement.render(settlements), terminator: "")
            } else {
                print(settlements.map { Statement.render($0, as: format[0]) }.joined(separator: "\n"), terminator: "")
            }
            return
        }
        let statements = settlements.flatMap { settlement in
            format.map { format in
                (path: output + "/" + ReportSet.statementPath(contractID: settlement.contract.id, year: settlement.fiscalYear.year, format: format),
                 content: Statement.render(settlement, as: format))
            }
        }
        switch StatementOutput.plan(statements, newRevision: newRevision) {
        case .failure(let refusal):
            printDiagnostics(refusal.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let actions):
            let (done, problem) = StatementOutput.apply(actions)
            for action in done {
                switch action {
                case .unchanged(let path): print("unchanged \(path)")
                case .write(let path, _): print("wrote \(path)")
                }
            }
            try exitIfUnwritten(problem)
        }
    }
}

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Check and settle every contract of a portfolio, every year of each term that has data.",
        discussion: "Writes OUTPUT/<contract-id>/settlement-FY<year>.<ext> for each. A contract with errors gets no statement; its diagnostics go to standard error and the exit status is 1, after every other contract has been settled.")

    @Argument(help: "Contract XML files, or directories of them.")
    var files: [String]

    @Option(help: "Directory to write the statements to.")
    var output: String

    @Option(help: "Statement format: text or json. Repeat to write several.")
    var format: [StatementFormat] = [.json]

    @Flag(help: "Write a new revision beside a different existing statement instead of refusing.")
    var newRevision = false

    @Option(help: "Contracts settled at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one contract file or directory") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let contracts = Portfolio.contractFiles(files)
        let outcomes = Portfolio.settle(files: contracts, output: output, formats: format, newRevision: newRevision, jobs: jobs)
        let failed = outcomes.filter { !$0.diagnostics.isEmpty }
        if !failed.isEmpty { printDiagnostics(failed.flatMap(\.diagnostics)) }
        let statements = outcomes.map(\.statements).reduce(0, +)
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        print("\(count(contracts.count, "contract")), \(count(statements, "statement")) in \(output), \(count(failed.count, "contract")) with errors")
        if !failed.isEmpty { throw ExitCode(ExitStatus.validationFailure) }
    }
}

struct Reports: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regenerate every statement in a reports directory from a contracts directory.",
        discussion: "Writes <output>/<contract-id>/settlement-FY<year>.{txt,json} for every year of each contract's term that has data. The golden test compares Reports/ with exactly this.")

    @Option(help: "Directory of contract XML files.")
    var contracts = "Contracts"

    @Option(help: "Directory to write the statements to.")
    var output = "Reports"

    func run() throws {
        switch ReportSet.generate(contractsDirectory: contracts) {
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let files):
            for file in files {
                let path = output + "/" + file.path
                try exitIfUnwritten(StatementOutput.write(file.content, to: path))
                print("wrote \(path)")
            }
        }
    }
}

/// A statement that could not be written is exit status 70, with the reason.
func exitIfUnwritten(_ problem: Diagnostic?) throws {
    guard let problem else { return }
    printDiagnostics([problem])
    throw ExitCode(ExitStatus.internalError)
}
