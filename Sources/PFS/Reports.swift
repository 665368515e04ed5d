import Foundation
import PFSModel
import PFSStatements

/// The statements `Reports/` holds for the contracts in `Contracts/`: for every contract
/// file and every fiscal year of its term that can be settled, the statement in every
/// format. The golden test and `pfs reports` both use this, so they cannot disagree.
public enum ReportSet {
    /// One generated file, by path relative to the reports directory.
    public struct File: Sendable, Hashable {
        /// e.g. `maebashi-profit-share/settlement-FY2024.json`.
        public let path: String
        /// Its content.
        public let content: String
    }

    /// The file name of a statement: `settlement-FY2024.txt`.
    public static func statementFileName(year: Int, format: StatementFormat) -> String {
        "settlement-FY\(year).\(format.fileExtension)"
    }

    /// The path of a statement under a reports directory: `<contract-id>/settlement-FY2024.txt`.
    public static func statementPath(contractID: String, year: Int, format: StatementFormat) -> String {
        contractID + "/" + statementFileName(year: year, format: format)
    }

    /// Settles every year of the checked contract's term that can be settled and renders
    /// each in every format, handing each statement (path relative to a reports directory)
    /// to `body` as soon as it is made; stops at the first problem and returns it.
    /// The one loop behind `pfs reports`, `pfs portfolio` and the golden test.
    public static func forEachStatement(of checked: PFS.CheckResult, fileName: String, formats: [StatementFormat],
                                        _ body: (File) -> Diagnostic?) -> [Diagnostic] {
        guard let contract = checked.contract, !checked.hasErrors else { return checked.diagnostics }
        for year in PFS.settleableYears(contract) {
            switch PFS.settle(checked, fileName: fileName, year: year) {
            case .success(let settlement):
                for format in formats {
                    let file = File(path: statementPath(contractID: contract.id, year: year, format: format),
                                    content: Statement.render(settlement, as: format))
                    if let problem = body(file) { return [problem] }
                }
            case .failure(let failure):
                return failure.diagnostics
            }
        }
        return []
    }

    /// Generates every statement for the `.xml` contracts directly in `directory`.
    /// Fails with every contract's diagnostics if any contract does not check cleanly.
    public static func generate(contractsDirectory directory: String) -> Result<[File], SettlementFailure> {
        var files: [File] = []
        var problems: [Diagnostic] = []
        for path in Portfolio.contractFiles([directory]) {
            problems += forEachStatement(of: PFS.check(path: path), fileName: PFS.lastPathComponent(path),
                                         formats: StatementFormat.allCases) { file in
                files.append(file)
                return nil
            }
        }
        return problems.isEmpty ? .success(files) : .failure(SettlementFailure(problems))
    }
}
