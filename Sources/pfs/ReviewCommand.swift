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

    func run() async throws { try await options.signOff(.review) }
}

/// The two sign-offs of a year's statements.
enum SignOffStep: String {
    case review, approval

    /// What the command prints once the year is signed off.
    var done: String {
        switch self {
        case .review: return "reviewed"
        case .approval: return "approved"
        }
    }
}

extension SignOffOptions {
    /// Signs the year's statements off at `step` (or sends the year back with the reason) and
    /// says which: the one body of `pfs review` and `pfs approve`.
    func signOff(_ step: SignOffStep) async throws {
        let input = try loadContract(file)
        guard let signer = try loadSigner(key, strict: strict) else { return }
        let (year, reject, comment) = (self.year, self.reject, self.comment)
        try await usingRegister(register.location(besides: file)) { register async throws(RegisterError) in
            switch step {
            case .review: try await register.review(input, year: year, signer: signer, reject: reject, comment: comment)
            case .approval:
                try await register.approve(input, year: year, signer: signer, reject: reject, comment: comment)
            }
        }
        print(
            reject == nil
                ? "\(input.contract.id) FY\(year) \(step.done) and signed"
                : "\(input.contract.id) FY\(year) rejected at \(step.rawValue)")
    }
}
