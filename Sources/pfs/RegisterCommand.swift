import ArgumentParser
import Foundation
import PFSRegister

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Create, check, export and import a settlement register.",
        subcommands: [Init.self, VerifyRegister.self, Export.self, Import.self, Adopt.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty register.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            let register = try await withRegister { () async throws(RegisterError) in
                try await Register.create(location)
            }
            await register.close()
            print("created register \(location) (\(register.store.backend.rawValue))")
        }
    }

    struct VerifyRegister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check that the history is whole: every hash, link, signature and recorded row.",
            discussion: "Exit status 0 when nothing was changed behind pfs's back, 1 otherwise.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            let (events, findings, head) = try await usingRegister(location) { register async throws(RegisterError) in
                let (events, findings) = try await register.verify()
                return (events, findings, try await register.head())
            }
            for finding in findings { print("\(location): \(finding)") }
            if findings.isEmpty {
                print("\(location): \(events) events, history intact")
                // Kept elsewhere, the head shows later that no newest events were cut off.
                if let head { print("  head: event \(head.seq), hash \(head.hash)") }
            } else {
                print("\(location): NOT intact: \(findings.count) finding\(findings.count == 1 ? "" : "s")")
                throw ExitCode(ExitStatus.validationFailure)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every row of the register as JSON Lines (standard output), for backup and audit.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            try await usingRegister(location) { register async throws(RegisterError) in
                try await register.export { print($0) }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new register from an export; kept only when it verifies.")
        @Argument(help: "A file written by `pfs register export`.")
        var file: String
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("pfs: cannot read \(file)")
                throw ExitCode(ExitStatus.validationFailure)
            }
            let location = options.location()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let rows = try await withRegister { () async throws(RegisterError) in
                try await Register.importing(lines, into: location)
            }
            print("imported \(rows) rows into \(location); history intact")
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record statements an earlier pfs wrote to a folder as a settled year, once they verify.",
            discussion:
                """
                The folder's JSON annual settlement of the year must recompute identically from the contract; \
                every statement file of the year is then recorded with the run, which goes on to review, approval \
                and issue.
                """)
        @Argument(help: "The contract XML file the statements were made from.")
        var file: String
        @Option(help: "The fiscal year.")
        var year: Int
        @Option(help: "The folder the statements were written to (`settle --output DIR`).")
        var from: String
        @Option(help: "The public-sector party adopting them.")
        var by: String?
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let input = try loadContract(file)
            let location = options.location(besides: file)
            let count = try await usingRegister(location) { register async throws(RegisterError) in
                let adopted = try Adoption.statements(in: from, contractPath: file, input: input, year: year)
                try await register.recordSettlement(
                    input, settlement: adopted.settlement, settlementJSON: adopted.json, statements: adopted.statements,
                    party: by, comment: "adopted from \(from)")
                return adopted.statements.count
            }
            print("\(input.contract.id) FY\(year) settled: \(count) statements adopted from \(from) into \(location)")
        }
    }
}
