import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements

/// What `pfs issue` hands over for an issued year, in the formats asked: the statements
/// the register holds, with their signatures, and the other formats made now from the same
/// settlement (PDF in one renderer run) — refused when the contract no longer settles to the
/// settlement the register holds, so that nothing is issued that was not approved.
public enum IssueSet {
    /// Why the statements could not be made.
    public struct Problem: Error, Sendable {
        /// What to tell the user (`output-write` when a renderer failed).
        public let diagnostic: Diagnostic
    }

    /// The statements of the issued run `recorded` (as ``Register/issue(_:year:signer:party:comment:)``
    /// returns them) in the formats and languages of `selection`.
    /// `checked` is the contract `input` was made from, checked once by the caller.
    /// `authority` is the register's authority's fingerprint, which the recorded statements name.
    public static func statements(
        recorded: [IssuedStatement], input: ContractInput, checked: PFS.CheckResult, year: Int,
        selection: StatementSelection, template: HTMLTemplate, authority: String?
    ) -> Result<[IssuedFiles.Handed], Problem> {
        let held = Dictionary(recorded.map { (PFS.lastPathComponent($0.path), $0) }) { first, _ in first }
        func handed(_ name: String, _ bytes: [UInt8]) -> IssuedFiles.Handed {
            // What the register holds is handed over as it holds it, with its signatures.
            guard let statement = held[name] else { return .init(name: name, bytes: bytes, signatures: []) }
            return .init(name: name, bytes: statement.bytes, signatures: statement.signatures)
        }
        if held.keys.contains(where: { $0.hasPrefix("adjustment-") }) {
            return adjustment(recorded, selection: selection).map { $0.map { handed($0.name, $0.bytes) } }
        }
        let history: [Settlement]
        var provenance = PFS.provenance(of: checked, fileName: input.fileName)
        // As the statements were recorded: a year settled before the register had an authority names none.
        provenance.registerAuthority =
            held["settlement-FY\(year).json"].map { recordedAuthority($0.bytes) } ?? authority
        switch PFS.settleHistory(checked, provenance: provenance, through: year) {
        case .success(let settled): history = settled
        case .failure(let failure):
            return .failure(
                Problem(
                    diagnostic: failure.diagnostics.first
                        ?? Diagnostic(
                            check: .statementExists, message: "FY\(year) cannot be settled from \(input.fileName)",
                            at: .file(input.fileName))))
        }
        if let settlement = history.last, let signed = held["settlement-FY\(year).json"],
            signed.bytes != JSONStatement.bytes(settlement)
        {
            return .failure(
                Problem(
                    diagnostic: Diagnostic(
                        check: .statementExists,
                        message: """
                            FY\(year) settles now to another settlement than the one the register holds and its \
                            signers approved; nothing was written
                            """,
                        hint: "issue with the pfs release that settled it, or settle and approve the year again",
                        at: .file(input.fileName))))
        }
        var made: [IssuedFiles.Handed] = []
        let problem = ReportSet.files(
            history: history, selection: selection, template: template, years: [year], contract: input.contract,
            pdf: PDFRenderer()
        ) { file in
            made.append(handed(PFS.lastPathComponent(file.path), file.bytes))
            return nil
        }
        if let problem { return .failure(Problem(diagnostic: problem)) }
        return .success(made)
    }

    /// The register authority a recorded JSON settlement names, if any.
    private static func recordedAuthority(_ bytes: [UInt8]) -> String? {
        let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        return (root?["register"] as? [String: Any])?["authority"] as? String
    }

    /// An adjustment's statements as the register holds them in the formats asked, and its
    /// PDF made from the HTML it holds.
    private static func adjustment(
        _ recorded: [IssuedStatement], selection: StatementSelection
    ) -> Result<[(name: String, bytes: [UInt8])], Problem> {
        var chosen: [(name: String, bytes: [UInt8])] = []
        var pages: [(path: String, html: String)] = []
        for statement in recorded {
            let name = PFS.lastPathComponent(statement.path)
            guard let format = StatementFormat.allCases.first(where: { name.hasSuffix("." + $0.fileExtension) })
            else { continue }
            let language = Language.allCases.first { name.hasSuffix(".\($0.rawValue).\(format.fileExtension)") }
            if format.isLocalized, let language, !selection.languages.contains(language) { continue }
            if selection.formats.contains(format) { chosen.append((name, statement.bytes)) }
            if format == .html, selection.formats.contains(.pdf) {
                pages.append((String(name.dropLast(4)) + "pdf", String(decoding: statement.bytes, as: UTF8.self)))
            }
        }
        guard !pages.isEmpty else { return .success(chosen) }
        switch PDFRenderer.render(pages) {
        case .success(let pdfs): return .success(chosen + zip(pages, pdfs).map { ($0.0.path, $0.1) })
        case .failure(let failure): return .failure(Problem(diagnostic: failure.diagnostic))
        }
    }
}
