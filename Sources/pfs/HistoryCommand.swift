import ArgumentParser
import Foundation
import PFSRegister

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            """
            Every version of every figure, every settlement, adjustment and state change of a contract, in time \
            order.
            """
    )
    @Argument(help: "The contract XML file (its id names the contract in the register).")
    var file: String
    @Option(help: "Only this fiscal year (and what concerns the whole contract).")
    var year: Int?
    @OptionGroup var register: RegisterOptions

    func run() async throws {
        let input = try loadContract(file)
        let location = register.location(besides: file)
        let entries = try await usingRegister(location) { register async throws(RegisterError) in
            try await register.history(contract: input.contract.id, year: year)
        }
        if entries.isEmpty { print("The register holds nothing of contract '\(input.contract.id)'.") }
        for entry in entries {
            var line = "\(entry.at)  \(entry.what)"
            if let who = entry.who { line += " — by \(who)" }
            if let why = entry.why { line += " — why: \(why)" }
            print(line)
            for detail in entry.details { print("    \(detail)") }
        }
    }
}
