import ArgumentParser
import Foundation
import PFS
import PFSOutput
import PFSRegister
import PFSStatements

struct Issue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: """
            Issue an approved year: write its statements, each with the evaluator's and the approver's detached \
            signatures.
            """,
        discussion: """
            Writes, in the formats asked (default PDF, HTML and JSON), each party's statements in a folder of its \
            own: DIR/<contract-id>/<public-sector party>/ the annual settlement, the audit trail and any \
            adjustment; DIR/<contract-id>/<contractor>/ its payout statement. The statements the register holds \
            (those settled with --format; JSON by default) come with <statement>.<party>.sig (the 64-byte Ed25519 \
            signature of its exact bytes) and DIR/<contract-id>/keys/<party>.pem (the signer's public key), which \
            OpenSSL checks without pfs: openssl pkeyutl -verify -pubin -inkey keys/<party>.pem -rawin -in \
            <statement> -sigfile <statement>.<party>.sig. The other formats are made at issue from the same \
            settlement, which must be the one the register holds.
            """)
    @Argument(help: "The contract XML file the year was settled from.")
    var file: String
    @Option(help: "The fiscal year.")
    var year: Int
    @Option(help: "Write the issued statements under DIR.")
    var output: String
    @Option(help: "Your private key file (PEM), to sign the issue.")
    var key: String?
    @Flag(help: "Refuse a private key file that others may read (else a warning).")
    var strict = false
    @Option(help: "The public-sector party issuing, when your organisation is bound to several.")
    var party: String?
    @Option(
        name: .customLong("format"),
        help: "Statement format: pdf, html, json, text, md, csv, xlsx or all. Repeat for several. Default: pdf, html, json.",
        transform: DocumentOptions.formats)
    var formatArguments: [[StatementFormat]] = []
    @Option(help: "Language of the labels: ja or en. Repeat to write both (JSON carries both).")
    var lang: [Language] = [.ja]
    @OptionGroup var register: RegisterOptions

    func validate() throws { try requireDirectoryName(output, option: "--output") }

    func run() async throws {
        // Checked once: the register's input and the statements made at issue both come from it.
        let checked = PFS.check(path: file, canonical: true)
        let input = try loadContract(checked: checked, file)
        let signer = try loadSigner(key, strict: strict)
        let formats = formatArguments.flatMap { $0 }.reduce(into: [StatementFormat]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let selection = StatementSelection(
            formats: formats.isEmpty ? [.pdf, .html, .json] : formats,
            languages: lang.reduce(into: [Language]()) { if !$0.contains($1) { $0.append($1) } })
        if selection.formats.contains(.pdf), let problem = PDFRenderer.unavailable() {
            printDiagnostics([problem])
            throw ExitCode(ExitStatus.internalError)
        }
        let location = register.location(besides: file)
        let (recorded, newly, authority) = try await usingRegister(location) { register async throws(RegisterError) in
            let (recorded, newly) = try await register.issue(input, year: year, signer: signer, party: party)
            return (recorded, newly, try await register.trust().authority?.fingerprint)
        }
        let handed: [IssuedFiles.Handed]
        switch IssueSet.statements(
            recorded: recorded, input: input, checked: checked, year: year, selection: selection,
            template: .standard, authority: authority)
        {
        case .success(let made): handed = made
        case .failure(let problem):
            printDiagnostics([problem.diagnostic])
            throw ExitCode(
                problem.diagnostic.checkID?.isOutputFailure == true ? ExitStatus.internalError : ExitStatus.validationFailure)
        }
        let files = IssuedFiles.files(handed, under: output, contract: input.contract)
        let folders = Set(handed.flatMap { IssuedFiles.recipients(of: $0.name, in: input.contract) }).sorted()
        switch StatementOutput.issue(
            files: files.map { ($0.path, $0.bytes) }, in: output + "/" + input.contract.id,
            cleaning: folders + ["keys"])
        {
        case .refused(let problems):
            printDiagnostics(problems)
            throw ExitCode(ExitStatus.validationFailure)
        case .failed(let problem):
            printDiagnostics([problem])
            throw ExitCode(ExitStatus.internalError)
        case .done(let actions, let removed):
            for path in removed { print("removed \(path) (left by a run that was stopped)") }
            for action in actions {
                switch action {
                case .write(let path, _): print("wrote \(path)")
                case .unchanged(let path): print("unchanged \(path)")
                }
            }
        }
        print(
            """
            \(input.contract.id) FY\(year) \
            \(newly ? "issued" : "was already issued; its statements were written again")
            """)
    }
}
