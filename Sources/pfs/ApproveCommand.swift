import ArgumentParser
import Foundation
import PFSRegister

struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The finance manager's approval of a reviewed year: sign its statements, or reject it with a reason.")
    @OptionGroup var options: SignOffOptions

    func run() async throws {
        let input = try loadContract(options.file)
        guard let signer = try loadSigner(options.key, strict: options.strict) else { return }
        let location = options.register.location(besides: options.file)
        try await usingRegister(location) { register async throws(RegisterError) in
            try await register.approve(
                input, year: options.year, signer: signer, reject: options.reject, comment: options.comment)
        }
        print(
            options.reject == nil
                ? "\(input.contract.id) FY\(options.year) approved and signed"
                : "\(input.contract.id) FY\(options.year) rejected at approval")
    }
}
