import Foundation
import PFS
import PFSModel
import PFSStatements

/// Statements written to a folder before the register existed (by `settle --output`), taken
/// into a register as a settled year once they are shown to be what pfs computes.
public enum Adoption {
    /// The statements of `year` for `contract` in `folder` (or `folder/<contract-id>`), and
    /// the settlement they record: refused unless the folder's JSON annual settlement
    /// verifies against the contract (same digest, every figure recomputed identically).
    public static func statements(
        in folder: String, contractPath: String, input: ContractInput, year: Int
    ) throws(RegisterError) -> (settlement: Settlement, json: [UInt8], statements: [StatementInput]) {
        var directory = folder
        var isDirectory: ObjCBool = false
        let nested = folder + "/" + input.contract.id
        if FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory), isDirectory.boolValue {
            directory = nested
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().filter {
            Statement.isStatementFileName($0) && $0.contains("-FY\(year).")
        }
        guard let annual = names.last(where: { $0.hasPrefix("settlement-FY\(year)") && $0.hasSuffix(".json") }) else {
            throw .input(
                """
                \(directory) holds no JSON annual settlement for FY\(year) (settlement-FY\(year).json): adoption \
                needs it to prove the statements are pfs's
                """)
        }
        let annualPath = directory + "/" + annual
        switch Verification.verify(statementPath: annualPath, contractPath: contractPath) {
        case .failure(let failure):
            throw .input(
                "\(annualPath) cannot be verified: " + failure.diagnostics.map(\.message).joined(separator: "; "))
        case .success(let report) where !report.verified:
            throw .refused(
                """
                \(annualPath) is not what pfs computes from \(input.fileName) \
                (\(report.contractChanged ? "the contract changed" : "\(report.differences.count) differences"))
                """,
                hint: """
                    `pfs verify \(annualPath) --contract \(input.fileName)` lists them; adopt only statements that \
                    verify
                    """)
        case .success: break
        }
        guard let json = FileManager.default.contents(atPath: annualPath).map(Array.init) else {
            throw .input("cannot read \(annualPath)")
        }
        let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
        guard case .success(let settlement) = PFS.settle(checked, fileName: input.fileName, year: year) else {
            throw .input("FY\(year) of \(input.fileName) cannot be settled")
        }
        var statements: [StatementInput] = []
        for name in names {
            guard let bytes = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            let parts = describe(name)
            // Only the names pfs gives a year's statements (a later revision, …-r2, is not
            // what this settlement made), so that the register can derive each path again.
            guard
                StatementInput.derivedPath(
                    contract: input.contract.id, year: year, document: parts.document, party: parts.party,
                    language: parts.language, format: parts.format) == input.contract.id + "/" + name
            else { continue }
            statements.append(
                StatementInput(
                    document: parts.document, party: parts.party, language: parts.language, format: parts.format,
                    path: input.contract.id + "/" + name, bytes: Array(bytes)))
        }
        return (settlement, json, statements)
    }

    /// document, party, language and format from a statement file's name.
    static func describe(_ name: String) -> (document: String, party: String?, language: String, format: String) {
        let format = StatementFormat.allCases.first { name.hasSuffix("." + $0.fileExtension) } ?? .json
        let language = Language.allCases.first { name.contains(".\($0.rawValue).") }?.rawValue ?? "ja+en"
        let stem = String(name.prefix { $0 != "." }.split(separator: "-FY").first ?? "")
        if stem.hasPrefix("payout-") { return ("payout", String(stem.dropFirst(7)), language, format.rawValue) }
        return (stem, nil, language, format.rawValue)
    }
}
