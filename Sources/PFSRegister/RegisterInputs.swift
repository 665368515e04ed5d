import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSStatements

/// Why a contract could not be used: its diagnostics.
public struct ContractProblems: Error, Sendable {
    /// What `pfs check` would say.
    public let diagnostics: [Diagnostic]
}

/// Why the statements of a run could not be made (a template over its limits).
public struct StatementProblem: Error, Sendable {
    /// The diagnostic.
    public let diagnostic: Diagnostic
}

extension ContractInput {
    /// Reads and checks a contract file: the input of a register command, or the
    /// diagnostics that stop it.
    public static func load(path: String) -> Result<ContractInput, ContractProblems> {
        load(checked: PFS.check(path: path, canonical: true), fileName: PFS.lastPathComponent(path))
    }

    /// ``load(path:)`` for a contract already checked (with its canonical form).
    public static func load(checked: PFS.CheckResult, fileName: String) -> Result<ContractInput, ContractProblems> {
        guard let input = ContractInput(checked: checked, fileName: fileName) else {
            return .failure(ContractProblems(diagnostics: checked.diagnostics))
        }
        if let problem = input.registerProblem { return .failure(ContractProblems(diagnostics: [problem])) }
        return .success(input)
    }

    /// Why the register cannot keep this contract, if it cannot: the register records a
    /// contract's own bytes, so records kept in a file beside it (a rate card's) would not be
    /// there to settle it again from the register.
    public var registerProblem: Diagnostic? {
        guard let card = contract.rateCards.first(where: { $0.file != nil }), let file = card.file else { return nil }
        return Diagnostic(
            check: .rateCardRecords,
            message:
                """
                rate card '\(card.id)' keeps its records in '\(file.path)'; the register records a contract's own \
                bytes only, so it could not settle this contract again
                """,
            hint: "write the records into the contract as <record> elements to keep it in a register",
            at: card.location)
    }

    /// The input of a contract already checked (nil when it has errors): no second read.
    public init?(checked: PFS.CheckResult, fileName: String) {
        guard let contract = checked.contract, !checked.hasErrors else { return nil }
        let provenance = PFS.provenance(of: checked, fileName: fileName)
        self.init(
            contract: contract, fileName: fileName, bytes: checked.bytes, sha256: provenance.sha256,
            digest: provenance.digest)
    }
}

extension StatementInput {
    /// The statements a settlement run records: the chosen documents of `year` (its payout
    /// statements show the years before it, as `settle` makes them), in the chosen formats;
    /// PDF ones by `pdf`.
    public static func of(
        history: [Settlement], year: Int, selection: StatementSelection, template: HTMLTemplate = .standard,
        contract: Contract? = nil, pdf: any PDFMaking = PDFRenderer()
    ) -> Result<[StatementInput], StatementProblem> {
        var statements: [StatementInput] = []
        let problem = ReportSet.files(
            history: history, selection: selection, template: template, years: [year], contract: contract,
            pdf: pdf
        ) {
            file in
            let (document, party): (String, String?)
            switch file.kind {
            case .settlement: (document, party) = ("settlement", nil)
            case .audit: (document, party) = ("audit", nil)
            case .payout(let id): (document, party) = ("payout", id)
            case .adjustment(let number): (document, party) = ("adjustment-\(number)", nil)
            case .value: (document, party) = ("value", nil)
            }
            statements.append(
                StatementInput(
                    document: document, party: party, language: file.format == .json ? "ja+en" : file.language.rawValue,
                    format: file.format.rawValue, path: file.path, bytes: file.bytes))
            return nil
        }
        if let problem { return .failure(StatementProblem(diagnostic: problem)) }
        return .success(statements)
    }
}

extension StatementInput {
    /// The path pfs gives a recorded statement under an output folder,
    /// `<contract-id>/<document>-FY<year>.<lang>.<ext>`, made from what the statement is
    /// (contract, year, document, party, language, format), never from stored text: a path
    /// edited in the database cannot send `pfs issue` outside its folder. Nil when any part
    /// is not one pfs makes.
    public static func derivedPath(
        contract: String, year: Int, document: String, party: String?, language: String, format: String
    ) -> String? {
        guard contract.isContractIdentifier, let format = StatementFormat(rawValue: format) else { return nil }
        let kind: DocumentKind
        switch (document, party) {
        case ("settlement", nil): kind = .settlement
        case ("audit", nil): kind = .audit
        case ("payout", let party?) where party.isContractIdentifier: kind = .payout(party: party)
        case (let adjustment, nil) where adjustment.hasPrefix("adjustment-"):
            guard let number = Int(adjustment.dropFirst("adjustment-".count)), number >= 1,
                adjustment == "adjustment-\(number)"
            else { return nil }
            kind = .adjustment(number: number)
        default: return nil
        }
        let chosen: Language
        if format.isLocalized {
            guard let named = Language(rawValue: language) else { return nil }
            chosen = named
        } else {
            guard language == "ja+en" else { return nil }
            chosen = .ja
        }
        return Statement.path(contractID: contract, year: year, kind: kind, format: format, language: chosen)
    }

    /// The document a statements row names: `adjustment-N` for an adjustment. Rows recorded
    /// before the number was kept with the document say `adjustment`; their number (digits
    /// only) is taken from the stored name, and the whole path is still made anew.
    public static func document(_ document: String, storedPath: String) -> String {
        guard document == "adjustment" else { return document }
        let name = storedPath.split(separator: "/").last ?? ""
        let digits = name.dropFirst("adjustment-".count).prefix { $0.isASCII && $0.isNumber }
        guard name.hasPrefix("adjustment-"), !digits.isEmpty, let number = Int(digits) else { return document }
        return "adjustment-\(number)"
    }
}
