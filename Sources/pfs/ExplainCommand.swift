import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSStatements

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a year's calculation as a tree, from each payment back to the contract's inputs.",
        discussion:
            """
            Each node is a step with its formula and values; leaves are declared values with their file line, \
            element and source.
            """
    )

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
        let checked = PFS.check(path: file, canonical: true)
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
                diagnostic = Diagnostic(
                    check: .unknownParty, message: "party '\(id)' pays or receives nothing in FY\(year)",
                    hint: "parties with amounts this year: " + known.joined(separator: ", "), at: .file(file))
            case .noSuchKPI(let id, let known):
                diagnostic = Diagnostic(
                    check: .unknownKPI, message: "no result of FY\(year) depends on KPI '\(id)'",
                    hint: known.isEmpty
                        ? "no KPI was measured this year" : "KPIs used this year: " + known.joined(separator: ", "),
                    at: .file(file))
            }
            printDiagnostics([diagnostic])
            throw ExitCode(ExitStatus.validationFailure)
        }
    }
}
