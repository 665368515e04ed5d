import ArgumentParser
import Foundation
import PFSRegister

/// What review and approval share: the contract, the year, the signing key, a rejection.
struct SignOffOptions: ParsableArguments {
    @Argument(help: "The contract XML file the year was settled from.")
    var file: String
    @Option(help: "The fiscal year.")
    var year: Int
    @Option(help: "Your private key file (PEM); its registered party must have the role this step needs.")
    var key: String
    @Option(help: "Send the year back, with this reason, instead of signing it off.")
    var reject: String?
    @Option(help: "A note recorded with the step.")
    var comment: String?
    @Flag(help: "Refuse a private key file that others may read (else a warning).")
    var strict = false
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        if let reject { try requirePlainText(reject, option: "--reject") }
        if let comment { try requirePlainText(comment, option: "--comment") }
    }
}

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The evaluator's review of a settled year: sign its statements, or reject it with a reason.")
    @OptionGroup var options: SignOffOptions

    func run() async throws {
        let input = try loadContract(options.file)
        let signer = try loadSigner(options.key, strict: options.strict)
        guard let signer else { return }
        let location = options.register.location(besides: options.file)
        try await usingRegister(location) { register async throws(RegisterError) in
            try await register.review(
                input, year: options.year, signer: signer, reject: options.reject, comment: options.comment)
        }
        print(
            options.reject == nil
                ? "\(input.contract.id) FY\(options.year) reviewed and signed"
                : "\(input.contract.id) FY\(options.year) rejected at review")
    }
}
