import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements

extension StatementFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
extension StatementSelection.Choice: ExpressibleByArgument {}

/// The options every command that writes statements shares.
struct DocumentOptions: ParsableArguments {
    @Option(
        name: .customLong("format"),
        help: """
            Statement format: text, md, html, csv, json, xlsx, all of them, or pdf (needs WeasyPrint). Repeat to \
            write several.
            """,
        transform: DocumentOptions.formats)
    var formatArguments: [[StatementFormat]] = []

    /// The formats asked for, in order, each once.
    var format: [StatementFormat] {
        formatArguments.flatMap { $0 }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// `all`, or one format by name.
    static func formats(_ argument: String) throws -> [StatementFormat] {
        if argument == "all" { return StatementFormat.own }
        guard let format = StatementFormat(rawValue: argument) else {
            throw ValidationError("unknown format '\(argument)'; use text, md, html, csv, json, xlsx, all or pdf")
        }
        return [format]
    }

    @Option(help: "Language of the labels: ja or en. Repeat to write both (JSON carries both).")
    var lang: [Language] = [.ja]

    @Option(
        help:
            """
            Document: settlement (for the finance officer), payout (one per contractor) or audit (for the \
            evaluator). Repeat for several. Default: settle prints the settlement and writes all three with \
            --output; portfolio writes the settlement.
            """
    )
    var document: [StatementSelection.Choice] = []

    @Option(help: "Only this contractor's payout statement (implies --document payout when no --document is given).")
    var party: String?

    @Option(help: "A Mustache template for the HTML statement, in place of the bundled one (see Contracts/README.md).")
    var template: String?

    func validate() throws {
        // A party's run must show that party only: the annual settlement and the audit
        // trail name every contractor and its figures.
        if template != nil, !format.contains(.html), !format.contains(.pdf) {
            throw ValidationError("--template applies to HTML and PDF statements only; add --format html")
        }
        if let party, let other = document.first(where: { $0 != .payout }) {
            throw ValidationError(
                """
                --party \(party) writes only that party's payout statement; --document \(other.rawValue) shows \
                every contractor's figures (run it without --party)
                """
            )
        }
    }

    func selection(
        defaultFormats: [StatementFormat], defaultDocuments: Set<StatementSelection.Choice>
    ) -> StatementSelection {
        let documents = !document.isEmpty ? Set(document) : (party != nil ? [.payout] : defaultDocuments)
        return StatementSelection(
            documents: documents, party: party, formats: format.isEmpty ? defaultFormats : format,
            languages: Array(lang.reduce(into: [Language]()) { if !$0.contains($1) { $0.append($1) } }))
    }

    /// Stops (exit 70, nothing written) when PDF is asked for and its renderer is missing,
    /// saying how to install it.
    func requireRenderers(_ selection: StatementSelection) throws {
        guard selection.formats.contains(.pdf), let problem = PDFRenderer.unavailable() else { return }
        printDiagnostics([problem])
        throw ExitCode(ExitStatus.internalError)
    }

    /// The HTML template named by --template, or the bundled one; a broken template is a
    /// diagnostic at its line and column.
    func htmlTemplate() throws -> HTMLTemplate {
        guard let template else { return .standard }
        guard let data = FileManager.default.contents(atPath: template) else {
            printDiagnostics([
                Diagnostic(
                    check: .templateUnreadable, message: "cannot read the HTML template",
                    hint: "check the path and permissions", at: .file(template))
            ])
            throw ExitCode(ExitStatus.usage)
        }
        do {
            return try HTMLTemplate(text: String(decoding: data, as: UTF8.self))
        } catch {
            printDiagnostics([
                Diagnostic(
                    check: .templateSyntax, message: "the HTML template is not valid Mustache: \(error.message)",
                    hint: "see the bundled template, Sources/PFSStatements/Templates/statement.html.mustache",
                    at: SourceLocation(file: template, line: error.line, column: error.column))
            ])
            throw ExitCode(ExitStatus.usage)
        }
    }
}
