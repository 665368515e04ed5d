import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSStatements

/// Exit statuses, documented in README.md.
enum ExitStatus {
    static let ok: Int32 = 0
    /// A contract failed its checks, or a settlement could not be made.
    static let validationFailure: Int32 = 1
    /// A usage error (ArgumentParser uses EX_USAGE, 64, for its own).
    static let usage: Int32 = 64
    /// An internal error, or output that could not be written (EX_SOFTWARE).
    static let internalError: Int32 = 70
}

@main
struct PFSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pfs",
        abstract: "Settle outcome-based public contracts (Pay For Success, Social Impact Bonds).",
        discussion: "Exit status: 0 ok, 1 a contract has errors, 64 usage error, 70 internal or output error.",
        version: PFS.version,
        subcommands: [
            Check.self, Settle.self, Explain.self, Verify.self, PortfolioCommand.self, Reports.self,
            RegisterCommand.self,
            KeyCommand.self, Review.self, Approve.self, Issue.self, Paid.self, Status.self, ActualsCommand.self,
            History.self, Serve.self, ValueCommand.self, ExportCommand.self, ImportCommand.self,
        ]
    )
}
