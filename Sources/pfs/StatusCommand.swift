import ArgumentParser
import Foundation
import PFSRegister

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What the register holds: each year's state, amounts due and paid, who signed when, what remains.",
        discussion: """
            Checks the whole register first, as `pfs register verify` does: when it was changed behind pfs's back, \
            a warning comes first and the exit status is 1.
            """)
    @Argument(help: "A contract file or a contract id, to see only that contract.")
    var contract: String?
    @OptionGroup var register: RegisterOptions

    func run() async throws {
        // A contract file is read for its id, as every other command takes the file.
        var id = contract
        var location = register.location()
        if let contract, contract.hasSuffix(".xml") || FileManager.default.fileExists(atPath: contract) {
            id = try loadContract(contract).contract.id
            location = register.location(besides: contract)
        }
        let status = try await usingRegister(location) { register async throws(RegisterError) in
            try await register.status(contract: id)
        }
        print(status.text, terminator: "")
        if !status.findings.isEmpty { throw ExitCode(ExitStatus.validationFailure) }
    }
}
