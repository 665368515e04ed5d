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
        subcommands: [Check.self, Settle.self, Explain.self, Verify.self, PortfolioCommand.self, Reports.self]
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

    @Option(name: .customLong("jobs"), help: "Contracts checked at once (default: the number of cores).")
    var jobsArgument: Int?

    var jobs: Int { jobsArgument ?? ProcessInfo.processInfo.activeProcessorCount }

    struct FileReport: Codable, Sendable {
        let file: String
        let ok: Bool
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
            return (diagnostics: result.diagnostics, declared: result.contract.flatMap { _ in Portfolio.declaredID(of: result, file: file) })
        }
        let duplicates = Portfolio.duplicateIDs(results.compactMap(\.declared))
        let reports = zip(gathered.files, results).map { file, result in
            let diagnostics = result.diagnostics + (duplicates[file].map { [$0] } ?? [])
            return FileReport(file: file, ok: !diagnostics.contains { $0.severity == .error }, diagnostics: diagnostics)
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
extension Language: ExpressibleByArgument {}
extension StatementSelection.Choice: ExpressibleByArgument {}

/// The options every command that writes statements shares.
struct DocumentOptions: ParsableArguments {
    @Option(name: .customLong("format"),
            help: "Statement format: text, md, html, csv, json, or all of them. Repeat to write several.",
            transform: DocumentOptions.formats)
    var formatArguments: [[StatementFormat]] = []

    /// The formats asked for, in order, each once.
    var format: [StatementFormat] {
        formatArguments.flatMap { $0 }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// `all`, or one format by name.
    static func formats(_ argument: String) throws -> [StatementFormat] {
        if argument == "all" { return StatementFormat.allCases }
        guard let format = StatementFormat(rawValue: argument) else {
            throw ValidationError("unknown format '\(argument)'; use text, md, html, csv, json or all")
        }
        return [format]
    }

    @Option(help: "Language of the labels: ja or en. Repeat to write both (JSON carries both).")
    var lang: [Language] = [.ja]

    @Option(help: "Document: settlement (for the finance officer), payout (one per contractor) or audit (for the evaluator). Repeat for several. Default: settle prints the settlement and writes all three with --output; portfolio writes the settlement.")
    var document: [StatementSelection.Choice] = []

    @Option(help: "Only this contractor's payout statement (implies --document payout when no --document is given).")
    var party: String?

    @Option(help: "A Mustache template for the HTML statement, in place of the bundled one (see Contracts/README.md).")
    var template: String?

    func validate() throws {
        // A party's run must show that party only: the annual settlement and the audit
        // trail name every contractor and its figures.
        if template != nil, !format.contains(.html) {
            throw ValidationError("--template applies to HTML statements only; add --format html")
        }
        if let party, let other = document.first(where: { $0 != .payout }) {
            throw ValidationError("--party \(party) writes only that party's payout statement; --document \(other.rawValue) shows every contractor's figures (run it without --party)")
        }
    }

    func selection(defaultFormats: [StatementFormat], defaultDocuments: Set<StatementSelection.Choice>) -> StatementSelection {
        let documents = !document.isEmpty ? Set(document) : (party != nil ? [.payout] : defaultDocuments)
        return StatementSelection(documents: documents, party: party, formats: format.isEmpty ? defaultFormats : format,
                                  languages: Array(lang.reduce(into: [Language]()) { if !$0.contains($1) { $0.append($1) } }))
    }

    /// The HTML template named by --template, or the bundled one; a broken template is a
    /// diagnostic at its line and column.
    func htmlTemplate() throws -> HTMLTemplate {
        guard let template else { return .standard }
        guard let data = FileManager.default.contents(atPath: template) else {
            printDiagnostics([Diagnostic(check: "template-unreadable", message: "cannot read the HTML template",
                                         hint: "check the path and permissions", at: .file(template))])
            throw ExitCode(ExitStatus.usage)
        }
        do {
            return try HTMLTemplate(text: String(decoding: data, as: UTF8.self))
        } catch {
            printDiagnostics([Diagnostic(check: "template-syntax", message: "the HTML template is not valid Mustache: \(error.message)",
                                         hint: "see the bundled template, Sources/PFSStatements/Templates/statement.html.mustache",
                                         at: SourceLocation(file: template, line: error.line, column: error.column))])
            throw ExitCode(ExitStatus.usage)
        }
    }
}

struct Settle: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle fiscal years of a contract and print or write the statements.",
        discussion: """
            Without --output, prints one document (the annual settlement unless --document or --party says otherwise) in one format and language. \
            With --output, writes DIR/<contract-id>/<document>-FY<year>.<lang>.<ext> for every document chosen (default: the annual settlement, \
            a payout statement per contractor and the audit trail). Nothing is printed or written when the contract has errors; the diagnostics \
            go to standard error and the exit status is 1.
            """)

    @Argument(help: "The contract XML file.")
    var file: String

    @Option(help: "The fiscal year to settle, named by the calendar year it starts in (e.g. 2024 for 令和6年度).")
    var year: Int?

    @Flag(help: "Settle every year of the term that has something to settle and its data, in order; years without data yet are listed on standard error.")
    var all = false

    @OptionGroup var documents: DocumentOptions

    @Option(help: "Write the statements under DIR instead of printing them.")
    var output: String?

    @Flag(help: "With --output: when a different statement for this year already exists, write a new revision (…-r2.txt) beside it instead of refusing.")
    var newRevision = false

    func validate() throws {
        if (year == nil) == (all == false) {
            throw ValidationError("give either --year YEAR or --all")
        }
        if output == nil && documents.format.count > 1 {
            throw ValidationError("several --format values need --output DIR")
        }
        if output == nil && documents.lang.count > 1 {
            throw ValidationError("several --lang values need --output DIR")
        }
        if output == nil && newRevision {
            throw ValidationError("--new-revision needs --output DIR")
        }
        if let output { try requireDirectoryName(output, option: "--output") }
    }

    func run() throws {
        let template = try documents.htmlTemplate()
        let checked = PFS.check(path: file)
        guard let contract = checked.contract, !checked.hasErrors else {
            printDiagnostics(checked.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        }
        let fileName = PFS.lastPathComponent(file)
        // Payout statements show the earlier years of the term: those are settled too.
        let settled = year.map { PFS.settleHistory(checked, provenance: PFS.provenance(of: checked, fileName: fileName), through: $0) }
            ?? PFS.settleTerm(checked, fileName: fileName)
        let history: [Settlement]
        switch settled {
        case .success(let value):
            history = value
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        }
        let years = year.map { [$0] } ?? history.map(\.fiscalYear.year)
        let skipped = (contract.term.first...max(contract.term.first, contract.term.last)).filter { !years.contains($0) }
        if year == nil && !skipped.isEmpty {
            printError("\(file): note: not settled, nothing to settle or data missing yet: " + skipped.map { "FY\($0)" }.joined(separator: ", "))
        }
        let selection = documents.selection(defaultFormats: [.text], defaultDocuments: output == nil ? [.settlement] : Set(StatementSelection.Choice.allCases))
        var files: [ReportSet.File] = []
        if let problem = ReportSet.files(history: history, selection: selection, template: template, years: Set(years), { file in
            files.append(file)
            return nil
        }) {
            printDiagnostics([problem])
            throw ExitCode(ExitStatus.usage)
        }
        let known = Payout.contractors(in: history).map(\.id)
        if let party = documents.party, !known.contains(party) {
            printDiagnostics([Diagnostic(check: "unknown-party", message: "no payout statement for party '\(party)': it receives nothing under this contract in the years settled",
                                         hint: known.isEmpty ? "this contract pays no contractor" : "contractors: " + known.joined(separator: ", "), at: .file(file))])
            throw ExitCode(ExitStatus.validationFailure)
        }
        guard let output else {
            let format = selection.formats[0]
            if format == .json && files.count > 1 {
                guard selection.documents == [.settlement] else {
                    printError("pfs: several JSON documents; choose one with --document and --party, or write them with --output DIR")
                    throw ExitCode(ExitStatus.usage)
                }
                print(JSONStatement.render(history.filter { years.contains($0.fiscalYear.year) }), terminator: "")
            } else {
                print(files.map(\.content).joined(separator: "\n"), terminator: "")
            }
            return
        }
        let statements = ReportSet.pending(history: history, selection: selection, template: template, years: Set(years))
        switch StatementOutput.issue(statements, under: output, in: output + "/" + contract.id, newRevision: newRevision) {
        case .refused(let refusals):
            printDiagnostics(refusals)
            throw ExitCode(ExitStatus.validationFailure)
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
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a year's calculation as a tree, from each payment back to the contract's inputs.",
        discussion: "Each node is a step with its formula and values; leaves are declared values with their file line, element and source.")

    @Argument(help: "The contract XML file.")
    var file: String

    @Option(help: "The fiscal year, named by the calendar year it starts in.")
    var year: Int

    @Option(help: "Only the amounts this party pays, receives or keeps.")
    var party: String?

    @Option(help: "Only the results that depend on this KPI.")
    var kpi: String?

    @Option(help: "Language of the labels: ja or en.")
    var lang: Language = .ja

    func validate() throws {
        if party != nil && kpi != nil { throw ValidationError("give --party or --kpi, not both") }
    }

    func run() throws {
        let checked = PFS.check(path: file)
        let settlement: Settlement
        switch PFS.settle(checked, fileName: PFS.lastPathComponent(file), year: year) {
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let value):
            settlement = value
        }
        let focus: Explanation.Focus = party.map { .party($0) } ?? kpi.map { .kpi($0) } ?? .everything
        switch Explanation.roots(focus, in: settlement) {
        case .success(let roots):
            print(Explanation.render(settlement, roots: roots, focusKPI: kpi, language: lang), terminator: "")
        case .failure(let problem):
            let diagnostic: Diagnostic
            switch problem {
            case .noSuchParty(let id, let known):
                diagnostic = Diagnostic(check: "unknown-party", message: "party '\(id)' pays or receives nothing in FY\(year)",
                                        hint: "parties with amounts this year: " + known.joined(separator: ", "), at: .file(file))
            case .noSuchKPI(let id, let known):
                diagnostic = Diagnostic(check: "unknown-kpi", message: "no result of FY\(year) depends on KPI '\(id)'",
                                        hint: known.isEmpty ? "no KPI was measured this year" : "KPIs used this year: " + known.joined(separator: ", "), at: .file(file))
            }
            printDiagnostics([diagnostic])
            throw ExitCode(ExitStatus.validationFailure)
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute a JSON statement from its contract and report every difference.",
        discussion: "Exit status 0 when every value recomputes identically from a contract whose content is unchanged (same canonical digest), 1 otherwise.")

    @Argument(help: "A JSON statement written by pfs (settlement, payout or audit).")
    var statement: String

    @Option(help: "The contract XML file the statement was issued from.")
    var contract: String

    func run() throws {
        switch Verification.verify(statementPath: statement, contractPath: contract) {
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let report):
            var lines = ["\(statement): \(report.format), FY\(report.year), recomputed from \(contract)"]
            if report.contractChanged {
                lines.append("  contract changed since the statement was issued: digest at issue \(report.recordedDigest), now \(report.currentDigest)")
            } else {
                lines.append("  contract unchanged: digest \(report.currentDigest)")
            }
            if report.contractFileChanged {
                lines.append("  contract file differs from the one the statement records: SHA-256 at issue \(report.recordedSHA256), now \(report.currentSHA256)"
                             + (report.contractChanged ? "" : " (same content: formatting only)"))
            }
            if report.recordedEngine != report.currentEngine {
                lines.append("  issued by \(report.recordedEngine); recomputed by \(report.currentEngine)")
            }
            for change in report.ruleChanges {
                let before = change.recorded.map { "version \($0)" } ?? "not used"
                let now = change.current.map { "version \($0)" } ?? "not used"
                lines.append("  rule \(change.rule): \(before) at issue, \(now) now; differences may come from the rule")
            }
            if !report.differences.isEmpty {
                lines.append("  \(report.differences.count) difference\(report.differences.count == 1 ? "" : "s") (statement → recomputed):")
                for difference in report.differences {
                    lines.append("    \(difference.path): \(difference.statement) → \(difference.recomputed)")
                }
            }
            lines.append(report.verified ? "verified" : "NOT verified")
            print(lines.joined(separator: "\n"))
            if !report.verified { throw ExitCode(ExitStatus.validationFailure) }
        }
    }
}

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Check and settle every contract of a portfolio, every year of each term that has data.",
        discussion: "Writes OUTPUT/<contract-id>/<document>-FY<year>.<ext> for each (default: the annual settlement as JSON). A contract with errors gets no statement; its diagnostics go to standard error and the exit status is 1, after every other contract has been settled.")

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
        let run = Portfolio.settle(files: gathered.files, output: output, selection: selection, template: template,
                                   newRevision: newRevision, jobs: jobs)
        for path in run.outcomes.flatMap(\.removedTemporaries) { print("removed \(path) (left by a run that was stopped)") }
        let failed = run.outcomes.filter { $0.diagnostics.contains { $0.severity == .error } }
        if !failed.isEmpty { printDiagnostics(failed.flatMap(\.diagnostics)) }
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        if let problem = run.outputProblem {
            // One clear message, not one per statement: the run stopped at the first.
            printDiagnostics([problem])
            let settled = run.outcomes.filter { $0.outputProblem == nil }.count
            printError("pfs: stopped at the first output error; \(count(settled, "contract")) of \(gathered.files.count) handled before it")
            throw ExitCode(ExitStatus.internalError)
        }
        let statements = run.outcomes.map(\.statements).reduce(0, +)
        print("\(count(gathered.files.count, "contract")), \(count(statements, "statement")) in \(output), \(count(failed.count, "contract")) with errors")
        if !failed.isEmpty { throw ExitCode(ExitStatus.validationFailure) }
    }
}

struct Reports: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regenerate every statement in a reports directory from a contracts directory.",
        discussion: "Writes <output>/<contract-id>/ with the annual settlement, a payout statement per contractor and the audit trail, in text, Markdown, HTML and CSV (Japanese and English) and JSON, for every year of each contract's term that has data, and removes files there that the engine no longer makes. The golden test compares Reports/ with exactly this.")

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
            try exitIfUnwritten(problem)
            let total = done.written.count + done.unchanged
            print("\(total) statements in \(output): \(done.written.count) written, \(done.unchanged) unchanged, \(done.removed.count) removed")
        }
    }
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
