import Foundation
import PFSEvaluator
import PFSModel
import PFSStatements

/// Which documents to make, in which formats and languages.
public struct StatementSelection: Sendable, Hashable {
    /// The kinds of document.
    public enum Choice: String, Sendable, Hashable, CaseIterable {
        /// The annual settlement.
        case settlement
        /// The payout statements, one per contractor.
        case payout
        /// The audit trail.
        case audit
    }

    /// The documents wanted.
    public var documents: Set<Choice>
    /// Only this contractor's payout statement, when given.
    public var party: String?
    /// The formats, in order.
    public var formats: [StatementFormat]
    /// The languages of the formats that have labels (JSON carries both).
    public var languages: [Language]

    /// Creates a selection.
    public init(
        documents: Set<Choice> = Set(Choice.allCases), party: String? = nil, formats: [StatementFormat],
        languages: [Language]
    ) {
        self.documents = documents
        self.party = party
        self.formats = formats
        self.languages = languages
    }

    /// Everything: what `Reports/` holds.
    public static let everything = StatementSelection(formats: StatementFormat.own, languages: Language.allCases)

    /// Whether a document is selected.
    public func includes(_ kind: DocumentKind) -> Bool {
        switch kind {
        case .settlement: return documents.contains(.settlement)
        case .audit: return documents.contains(.audit)
        case .adjustment, .value: return false
        case .payout(let party): return documents.contains(.payout) && (self.party == nil || self.party == party)
        }
    }
}

/// The statements `Reports/` holds for the contracts in `Contracts/`: for every contract
/// file and every fiscal year of its term that can be settled, every document in every
/// format and language. The golden test and `pfs reports` both use this, so they cannot
/// disagree.
public enum ReportSet {
    /// One generated file, by path relative to the reports directory.
    public struct File: Sendable, Hashable {
        /// e.g. `maebashi-profit-share/settlement-FY2024.ja.html`.
        public let path: String
        /// Its content, as the bytes of the file.
        public let bytes: [UInt8]
        /// Which document it is.
        public let kind: DocumentKind
        /// Its format.
        public let format: StatementFormat
        /// Its language (JSON carries both; this is the first chosen).
        public let language: Language
        /// Its content.
        public var content: String { String(decoding: bytes, as: UTF8.self) }

        /// A file made elsewhere (the value-for-money document).
        public init(path: String, bytes: [UInt8], kind: DocumentKind, format: StatementFormat, language: Language) {
            self.path = path
            self.bytes = bytes
            self.kind = kind
            self.format = format
            self.language = language
        }
    }

    /// The selected documents of settled years (the term so far, in order; each year's
    /// payout statements show the years before it), rendered, with their relative paths.
    /// With `years`, only the documents of those years are made (the others are context).
    /// With `contract`, HTML statements draw each payment's curve (``PaymentCurve``). PDF
    /// statements are made by `pdf` (a selection with PDF needs one).
    public static func files(
        history: [Settlement], selection: StatementSelection, template: HTMLTemplate = .standard,
        years: Set<Int>? = nil, contract: Contract? = nil, pdf: (any PDFMaking)? = nil, _ body: (File) -> Diagnostic?
    ) -> Diagnostic? {
        // PDF statements are made together, by one renderer process, once the rest are handed on.
        var pdfs: [(file: File, html: String)] = []
        for end in history.indices where years?.contains(history[end].fiscalYear.year) ?? true {
            let years = Array(history[...end])
            let settlement = years[end]
            let curves = curves(contract, settlement, selection)
            for kind in Statement.kinds(history: years) where selection.includes(kind) {
                // Built when a format first needs it: the settlement's JSON is the settlement
                // itself, so a JSON-only portfolio run builds no document at all.
                var document: Document?
                for format in selection.formats {
                    for language in format.isLocalized ? selection.languages : [selection.languages.first ?? .ja] {
                        let path = Statement.path(
                            contractID: settlement.contract.id, year: settlement.fiscalYear.year, kind: kind,
                            format: format, language: language)
                        let bytes: [UInt8]
                        if format == .json, kind == .settlement {
                            bytes = JSONStatement.bytes(settlement)
                        } else {
                            if document == nil {
                                document = Statement.document(kind, history: years, curves: curves)
                            }
                            guard let document else { continue }
                            do {
                                if format == .pdf {
                                    let text = try Statement.render(
                                        document, as: format, language: language, template: template)
                                    let file = File(
                                        path: path, bytes: [], kind: kind, format: format, language: language)
                                    pdfs.append((file, text))
                                    continue
                                }
                                bytes = try Statement.bytes(
                                    document, as: format, language: language, template: template)
                            } catch {
                                return templateStopped(error, writing: path)
                            }
                        }
                        if let problem = body(
                            File(path: path, bytes: bytes, kind: kind, format: format, language: language))
                        {
                            return problem
                        }
                    }
                }
            }
        }
        guard let first = pdfs.first else { return nil }
        guard let pdf else { return PDFFailure.noRenderer(writing: first.file.path).diagnostic }
        switch pdf.pdfs(pdfs.map { ($0.file.path, $0.html) }) {
        case .failure(let failure): return failure.diagnostic
        case .success(let made):
            for (pdf, bytes) in zip(pdfs, made) {
                let file = pdf.file
                let made = File(path: file.path, bytes: bytes, kind: file.kind, format: .pdf, language: file.language)
                if let problem = body(made) { return problem }
            }
            return nil
        }
    }

    /// The year's payment curves, when an HTML statement will draw them.
    private static func curves(
        _ contract: Contract?, _ settlement: Settlement, _ selection: StatementSelection
    ) -> [PaymentCurve] {
        guard let contract, selection.formats.contains(.html) || selection.formats.contains(.pdf) else { return [] }
        return Evaluator.paymentCurves(contract, year: settlement.fiscalYear.year)
    }

    /// A statement to be issued, renderable as a revision of one already there.
    public struct Pending: Sendable {
        /// e.g. `maebashi-profit-share/settlement-FY2024.ja.html`.
        public let path: String
        /// The statement's bytes; with a revision, saying which statement it replaces.
        public let render: @Sendable (Revision?) throws(RenderFailure) -> [UInt8]
        /// For a PDF statement, its HTML: PDFs are made together, in one renderer run.
        public var html: (@Sendable (Revision?) throws(RenderFailure) -> String)?
    }

    /// The selected documents of settled years, as ``files(history:selection:template:years:_:)``
    /// makes them, but rendered when asked (a statement issued as a revision says so).
    public static func pending(
        history: [Settlement], selection: StatementSelection, template: HTMLTemplate = .standard,
        years: Set<Int>? = nil, contract: Contract? = nil, pdf: (any PDFMaking)? = nil
    ) -> [Pending] {
        var pending: [Pending] = []
        for end in history.indices where years?.contains(history[end].fiscalYear.year) ?? true {
            let settled = Array(history[...end])
            let settlement = settled[end]
            let curves = curves(contract, settlement, selection)
            for kind in Statement.kinds(history: settled) where selection.includes(kind) {
                guard let document = Statement.document(kind, history: settled, curves: curves) else { continue }
                pending += Self.pending(document, selection: selection, template: template, pdf: pdf)
            }
        }
        return pending
    }

    /// One document in the selected formats and languages, rendered when asked (PDF through
    /// `pdf`): a settled year's documents, or an adjustment statement.
    public static func pending(
        _ document: Document, selection: StatementSelection, template: HTMLTemplate = .standard,
        pdf: (any PDFMaking)? = nil
    ) -> [Pending] {
        var pending: [Pending] = []
        let settlement = document.settlement
        let kind = document.kind
        for format in selection.formats {
            for language in format.isLocalized ? selection.languages : [selection.languages.first ?? .ja] {
                let path = Statement.path(
                    contractID: settlement.contract.id, year: settlement.fiscalYear.year, kind: kind,
                    format: format, language: language)
                var statement =
                    Pending(path: path) { (revision: Revision?) throws(RenderFailure) -> [UInt8] in
                        if format == .json, kind == .settlement {
                            return JSONStatement.bytes(settlement, revision: revision)
                        }
                        let issued = revision.map { document.revised($0) } ?? document
                        let text: String
                        do throws(HTMLTemplate.Problem) {
                            guard format == .pdf else {
                                return try Statement.bytes(issued, as: format, language: language, template: template)
                            }
                            text = try Statement.render(issued, as: format, language: language, template: template)
                        } catch {
                            throw .template(error)
                        }
                        guard let pdf else { throw .pdf(.noRenderer(writing: path)) }
                        switch pdf.pdfs([(path, text)]) {
                        case .success(let pdfs): return pdfs.first ?? []
                        case .failure(let failure): throw .pdf(failure)
                        }
                    }
                if format == .pdf {
                    statement.html = { (revision: Revision?) throws(RenderFailure) -> String in
                        do throws(HTMLTemplate.Problem) {
                            return try Statement.render(
                                revision.map { document.revised($0) } ?? document, as: .pdf, language: language,
                                template: template)
                        } catch {
                            throw .template(error)
                        }
                    }
                }
                pending.append(statement)
            }
        }
        return pending
    }

    /// Settles every year of the checked contract's term that can be settled and renders
    /// the selected documents, handing each (path relative to a reports directory) to
    /// `body` as soon as it is made; stops at the first problem and returns it.
    /// What `pfs reports` and the golden test use (through ``generate(contractsDirectory:)``);
    /// `pfs portfolio` and `pfs settle` call ``files(history:selection:template:years:_:)``
    /// and ``pending(history:selection:template:years:)`` themselves, with their own writing.
    public static func forEachStatement(
        of checked: PFS.CheckResult, fileName: String, selection: StatementSelection,
        template: HTMLTemplate = .standard, _ body: (File) -> Diagnostic?
    ) -> [Diagnostic] {
        switch PFS.settleTerm(checked, fileName: fileName) {
        case .failure(let failure): return failure.diagnostics
        case .success(let history):
            return files(history: history, selection: selection, template: template, contract: checked.contract, body)
                .map { [$0] } ?? []
        }
    }

}

extension ReportSet {
    /// Why a statement could not be made.
    public enum RenderFailure: Error, Sendable {
        /// An organisation's template stopped at its limits.
        case template(HTMLTemplate.Problem)
        /// The PDF renderer failed.
        case pdf(PDFFailure)
    }

    /// The diagnostic of a statement that could not be made at `path`.
    public static func stopped(_ failure: RenderFailure, writing path: String) -> Diagnostic {
        switch failure {
        case .template(let problem): return templateStopped(problem, writing: path)
        case .pdf(let failure): return failure.diagnostic
        }
    }

    /// An organisation's template stopped at its limits while making the statement at `path`.
    public static func templateStopped(_ problem: HTMLTemplate.Problem, writing path: String) -> Diagnostic {
        Diagnostic(
            check: .templateLimit, message: "the HTML template was stopped: \(problem.message)",
            hint: "nest each list's section inside its parent's only (see the bundled template)", at: .file(path))
    }
}
