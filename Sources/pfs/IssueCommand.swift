import ArgumentParser
import Foundation
import PFSOutput
import PFSRegister

struct Issue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: """
            Issue an approved year: write its statements, each with the evaluator's and the approver's detached \
            signatures.
            """,
        discussion: """
            Writes DIR/<contract-id>/<statement>, <statement>.<party>.sig (the 64-byte Ed25519 signature of the \
            statement's exact bytes) \
            and DIR/<contract-id>/keys/<party>.pem (the signer's public key), which OpenSSL checks without pfs: \
            openssl pkeyutl -verify -pubin -inkey keys/<party>.pem -rawin -in <statement> -sigfile \
            <statement>.<party>.sig
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
    @Option(help: "The public-sector party issuing, when not signing with a key.")
    var party: String?
    @OptionGroup var register: RegisterOptions

    func run() async throws {
        let input = try loadContract(file)
        let signer = try loadSigner(key, strict: strict)
        let location = register.location(besides: file)
        let (statements, newly) = try await usingRegister(location) { register async throws(RegisterError) in
            try await register.issue(input, year: year, signer: signer, party: party)
        }
        let files = IssuedFiles.files(statements, under: output, contract: input.contract.id)
        switch StatementOutput.issue(
            files: files.map { ($0.path, $0.bytes) }, in: output + "/" + input.contract.id)
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
