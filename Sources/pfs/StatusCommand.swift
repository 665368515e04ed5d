import ArgumentParser
import Foundation
import PFSRegister

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What the register holds: each year's state, amounts due and paid, who signed when, what remains.")
    @Argument(help: "A contract id, to see only that contract.")
    var contract: String?
    @OptionGroup var register: RegisterOptions

    func run() async throws {
        let location = register.location()
        let status = try await usingRegister(location) { register async throws(RegisterError) in
            try await register.status(contract: contract)
        }
        print(status.text, terminator: "")
    }
}
