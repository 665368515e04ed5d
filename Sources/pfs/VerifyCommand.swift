import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSStatements

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute a JSON statement from its contract and report every difference.",
        discussion:
            "Exit status 0 when every value recomputes identically from a contract whose content is unchanged (same canonical digest), 1 otherwise."
    )

    @Argument(help: "A JSON statement written by pfs (settlement, payout or audit).")
    var statement: String

    @Option(help: "The contract XML file the statement was issued from.")
    var contract: String

    func run() throws {
        switch Verification.verify(statementPath: statement, contractPath: contract) {
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let report):
            var lines = ["\(statement): \(report.format), FY\(report.year), recomputed from \(contract)"]
            if report.contractChanged {
                lines.append(
                    "  contract changed since the statement was issued: digest at issue \(report.recordedDigest), now \(report.currentDigest)"
                )
            } else {
                lines.append("  contract unchanged: digest \(report.currentDigest)")
            }
            if report.contractFileChanged {
                lines.append(
                    "  contract file differs from the one the statement records: SHA-256 at issue \(report.recordedSHA256), now \(report.currentSHA256)"
                        + (report.contractChanged ? "" : " (same content: formatting only)"))
            }
            if report.recordedEngine != report.currentEngine {
                lines.append("  issued by \(report.recordedEngine); recomputed by \(report.currentEngine)")
            }
            for change in report.ruleChanges {
                let before = change.recorded.map { "version \($0)" } ?? "not used"
                let now = change.current.map { "version \($0)" } ?? "not used"
                lines.append(
                    "  rule \(change.rule): \(before) at issue, \(now) now; differences may come from the rule")
            }
            if !report.differences.isEmpty {
                lines.append(
                    "  \(report.differences.count) difference\(report.differences.count == 1 ? "" : "s") (statement → recomputed):"
                )
                for difference in report.differences {
                    lines.append("    \(difference.path): \(difference.statement) → \(difference.recomputed)")
                }
            }
            lines.append(report.verified ? "verified" : "NOT verified")
            print(lines.joined(separator: "\n"))
            if !report.verified { throw ExitCode(ExitStatus.validationFailure) }
        }
    }
}
