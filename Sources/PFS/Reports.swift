import Foundation

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

    /// Generates every statement for the `.xml` contracts directly in `directory`.
    /// Fails with every contract's diagnostics if any contract does not check cleanly.
    public static func generate(contractsDirectory directory: String) -> Result<[File], SettlementFailure> {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".xml") }.sorted()
        var files: [File] = []
        var problems: [Diagnostic] = []
        for name in names {
            let path = directory + "/" + name
            let checked = PFS.check(path: path)
            guard let contract = checked.contract, !checked.hasErrors else {
                problems += checked.diagnostics
                continue
            }
            for year in PFS.settleableYears(contract) {
                switch PFS.settle(checked, fileName: name, year: year) {
                case .success(let settlement):
                    for format in StatementFormat.allCases {
                        files.append(File(path: statementPath(contractID: contract.id, year: year, format: format),
                                          content: Statement.render(settlement, as: format)))
                    }
                case .failure(let failure):
                    problems += failure.diagnostics
                }
            }
        }
        return problems.isEmpty ? .success(files) : .failure(SettlementFailure(problems))
    }
}
