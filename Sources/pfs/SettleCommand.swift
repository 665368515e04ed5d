import ArgumentParser
import Foundation
import PFS
import PFSEvaluator
import PFSModel
import PFSOutput
import PFSRegister
import PFSStatements

struct Settle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle fiscal years of a contract and print or write the statements.",
        discussion: """
            Without --output, prints one document (the annual settlement unless --document or --party says otherwise) \
            in one format and language. \
            With --output, writes DIR/<contract-id>/<document>-FY<year>.<lang>.<ext> for every document chosen \
            (default: the annual settlement, \
            a payout statement per contractor and the audit trail). Nothing is printed or written when the contract \
            has errors; the diagnostics \
            go to standard error and the exit status is 1.
            """)

    @Argument(help: "The contract XML file.")
    var file: String

    @Option(help: "The fiscal year to settle, named by the calendar year it starts in (e.g. 2024 for 令和6年度).")
    var year: Int?

    @Flag(
        help:
            """
            Settle every year of the term that has something to settle and its data, in order; years without data \
            yet are listed on standard error.
            """
    )
    var all = false

    @OptionGroup var documents: DocumentOptions

    @Option(help: "Write the statements under DIR instead of printing them.")
    var output: String?

    @Flag(
        help:
            """
            With --output: when a different statement for this year already exists, write a new revision \
            (…-r2.txt) beside it instead of refusing.
            """
    )
    var newRevision = false

    /// `--register` (and `--password-file`), shared with every register command. Settling
    /// records in a register only when one is named (here or by PFS_REGISTER): the run and
    /// its statements (JSON unless --format says otherwise) as settled.
    @OptionGroup var registerOptions: RegisterOptions

    @Option(help: "With --register: your private key file (PEM), to sign the settlement.")
    var key: String?
    @Flag(help: "Refuse a private key file that others may read (else a warning).")
    var strict = false

    @Option(help: "With --register: the public-sector party settling, when your organisation is bound to several.")
    var by: String?

    @Option(
        help:
            """
            With --register, for a year already issued: why its figures change (else the reason `pfs actuals \
            --correction` recorded).
            """
    )
    var correction: String?

    /// The register to record in: --register, else PFS_REGISTER; none means no recording
    /// (a preview of an issued year must not need a correction).
    var registerLocation: RegisterLocation? { registerOptions.named(besides: file) }

    func validate() throws {
        if let correction { try requirePlainText(correction, option: "--correction") }
        if registerLocation != nil && year == nil {
            throw ValidationError("recording in a register settles one year: give --year YEAR")
        }
        if (key != nil || by != nil) && registerLocation == nil {
            throw ValidationError("--key and --by sign a settlement recorded with --register")
        }
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
        if output == nil, registerOptions.register == nil, let binary = documents.format.first(where: \.isBinary) {
            throw ValidationError("\(binary.rawValue.uppercased()) statements are written to files: add --output DIR")
        }
    }

    func run() async throws {
        let template = try documents.htmlTemplate()
        // Payout statements show the earlier years of the term: those are settled too.
        let (checked, contract, history) = try settledHistory(file, through: year)
        let years = year.map { [$0] } ?? history.map(\.fiscalYear.year)
        let skipped = (contract.term.first...max(contract.term.first, contract.term.last)).filter {
            !years.contains($0)
        }
        if year == nil && !skipped.isEmpty {
            printError(
                "\(file): note: not settled, nothing to settle or data missing yet: "
                    + skipped.map { "FY\($0)" }.joined(separator: ", "))
        }
        let selection = documents.selection(
            defaultFormats: [.text],
            defaultDocuments: output == nil ? [.settlement] : Set(StatementSelection.Choice.allCases))
        try documents.requireRenderers(selection)
        let known = Payout.contractors(in: history).map(\.id)
        if let party = documents.party, !known.contains(party) {
            printDiagnostics([
                Diagnostic(
                    check: .unknownParty,
                    message:
                        """
                        no payout statement for party '\(party)': it receives nothing under this contract in the \
                        years settled
                        """,
                    hint: known.isEmpty
                        ? "this contract pays no contractor" : "contractors: " + known.joined(separator: ", "),
                    at: .file(file))
            ])
            throw ExitCode(ExitStatus.validationFailure)
        }
        if let location = registerLocation, let year {
            try await record(history, year: year, checked: checked, in: location, template: template)
            if output == nil { return }
        }
        guard let output else {
            // Printing renders the documents here; writing renders each in the plan below.
            var files: [ReportSet.File] = []
            if let problem = ReportSet.files(
                history: history, selection: selection, template: template, years: Set(years), contract: contract,
                pdf: PDFRenderer(),
                { file in
                    files.append(file)
                    return nil
                })
            {
                printDiagnostics([problem])
                throw ExitCode(ExitStatus.usage)
            }
            let format = selection.formats[0]
            if format == .json && files.count > 1 {
                guard selection.documents == [.settlement] else {
                    printError(
                        """
                        pfs: several JSON documents; choose one with --document and --party, or write them with \
                        --output DIR
                        """
                    )
                    throw ExitCode(ExitStatus.usage)
                }
                print(JSONStatement.render(history.filter { years.contains($0.fiscalYear.year) }), terminator: "")
            } else {
                print(files.map(\.content).joined(separator: "\n"), terminator: "")
            }
            return
        }
        let statements = ReportSet.pending(
            history: history, selection: selection, template: template, years: Set(years), contract: contract,
            pdf: PDFRenderer())
        try writeStatements(statements, to: output, contract: contract.id, newRevision: newRevision)
    }

    /// Records the year's run and statements in the register as `settled` (an adjustment,
    /// for a year already issued), through the register's one way of settling.
    private func record(
        _ history: [Settlement], year: Int, checked: PFS.CheckResult, in location: RegisterLocation,
        template: HTMLTemplate
    ) async throws {
        let fileName = PFS.lastPathComponent(file)
        let selection = documents.selection(
            defaultFormats: [.json], defaultDocuments: Set(StatementSelection.Choice.allCases))
        try documents.requireRenderers(selection)
        let signer = try loadSigner(key, strict: strict)
        let register: Register
        do {
            register = try await Register.open(location)
        } catch {
            _ = try await withRegister { () async throws(RegisterError) in throw error }
            return
        }
        let outcome: SettleOutcome
        do {
            outcome = try await register.settle(
                checked, fileName: fileName, year: year, selection: selection, template: template, signer: signer,
                party: by, reason: correction)
            await register.close()
        } catch {
            await register.close()
            switch error {
            case .contract(let diagnostics):
                printDiagnostics(diagnostics)
                throw ExitCode(ExitStatus.validationFailure)
            case .statements(let diagnostic):
                printDiagnostics([diagnostic])
                throw ExitCode(ExitStatus.usage)
            case .register(let refusal):
                _ = try await withRegister { () async throws(RegisterError) in throw refusal }
                return
            }
        }
        let contractID = checked.contract?.id ?? fileName
        switch outcome {
        case .recorded(let run, let statements, let adjustments):
            print("\(contractID) FY\(year) settled: run \(run) and \(statements) statements recorded in \(location)")
            try report(adjustments, contract: contractID)
        case .adjusted(let adjustments):
            try report(adjustments, contract: contractID)
            // Written like any statement: every format and language asked for, under --output.
            if let output {
                let selection = documents.selection(defaultFormats: [.text], defaultDocuments: [.settlement])
                try documents.requireRenderers(selection)
                let template = try documents.htmlTemplate()
                let pending = adjustments.flatMap {
                    ReportSet.pending($0.document, selection: selection, template: template, pdf: PDFRenderer())
                }
                try writeStatements(pending, to: output, contract: contractID, newRevision: newRevision)
            }
        }
    }

    private func report(_ adjustments: [RecordedAdjustment], contract: String) throws {
        for adjustment in adjustments {
            // Differences of amounts the register holds: their sum fits, or the register could not hold them.
            let difference = try ExactDecimal.sum(adjustment.lines.map(\.difference))
            print(
                """
                \(contract) FY\(adjustment.year): adjustment \(adjustment.number) settled (run \
                \(adjustment.runID)), difference \(difference)
                """
            )
            for line in adjustment.lines where line.difference != .zero {
                print(
                    "  \(line.payer.id) → \(line.payee.id)  \(line.clause)  issued \(line.issued)  "
                        + "restated \(line.restated)  difference \(line.difference)")
            }
            for path in adjustment.statements { print("  recorded \(path)") }
        }
    }
}
