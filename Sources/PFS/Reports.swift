import Foundation
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
    public static let everything = StatementSelection(formats: StatementFormat.allCases, languages: Language.allCases)

    /// Whether a document is selected.
    public func includes(_ kind: DocumentKind) -> Bool {
        switch kind {
        case .settlement: return documents.contains(.settlement)
        case .audit: return documents.contains(.audit)
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
        /// Its content.
        public var content: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The selected documents of settled years (the term so far, in order; each year's
    /// payout statements show the years before it), rendered, with their relative paths.
    /// With `years`, only the documents of those years are made (the others are context).
    public static func files(
        history: [Settlement], selection: StatementSelection, template: HTMLTemplate = .standard,
        years: Set<Int>? = nil, _ body: (File) -> Diagnostic?
    ) -> Diagnostic? {
        for end in history.indices where years?.contains(history[end].fiscalYear.year) ?? true {
            let years = Array(history[...end])
            let settlement = years[end]
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
                            if document == nil { document = Statement.document(kind, history: years) }
                            guard let document else { continue }
                            do {
                                bytes = Array(
                                    try Statement.render(document, as: format, language: language, template: template)
                                        .utf8)
                            } catch {
                                return Diagnostic(
                                    check: .templateLimit, message: "the HTML template was stopped: \(error.message)",
                                    hint:
                                        "nest each list's section inside its parent's only (see the bundled template)",
                                    at: .file(path))
                            }
                        }
                        if let problem = body(File(path: path, bytes: bytes)) { return problem }
                    }
                }
            }
        }
        return nil
    }

    /// A statement to be issued, renderable as a revision of one already there.
    public struct Pending: Sendable {
        /// e.g. `maebashi-profit-share/settlement-FY2024.ja.html`.
        public let path: String
        /// The statement's bytes; with a revision, saying which statement it replaces.
        public let render: @Sendable (Revision?) throws(HTMLTemplate.Problem) -> [UInt8]
    }

    /// The selected documents of settled years, as ``files(history:selection:template:years:_:)``
    /// makes them, but rendered when asked (a statement issued as a revision says so).
    public static func pending(
        history: [Settlement], selection: StatementSelection, template: HTMLTemplate = .standard,
        years: Set<Int>? = nil
    ) -> [Pending] {
        var pending: [Pending] = []
        for end in history.indices where years?.contains(history[end].fiscalYear.year) ?? true {
            let settled = Array(history[...end])
            let settlement = settled[end]
            for kind in Statement.kinds(history: settled) where selection.includes(kind) {
                guard let document = Statement.document(kind, history: settled) else { continue }
                for format in selection.formats {
                    for language in format.isLocalized ? selection.languages : [selection.languages.first ?? .ja] {
                        let path = Statement.path(
                            contractID: settlement.contract.id, year: settlement.fiscalYear.year, kind: kind,
                            format: format, language: language)
                        pending.append(
                            Pending(path: path) { (revision: Revision?) throws(HTMLTemplate.Problem) -> [UInt8] in
                                if format == .json, kind == .settlement {
                                    return JSONStatement.bytes(settlement, revision: revision)
                                }
                                let issued = revision.map { document.revised($0) } ?? document
                                return Array(
                                    try Statement.render(issued, as: format, language: language, template: template)
                                        .utf8)
                            })
                    }
                }
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
            return files(history: history, selection: selection, template: template, body).map { [$0] } ?? []
        }
    }

    /// Generates every document for the `.xml` contracts directly in `directory`.
    /// Fails with every contract's diagnostics if any contract does not check cleanly, or
    /// if two files declare the same contract id (`duplicate-contract-id`).
    public static func generate(contractsDirectory directory: String) -> Result<[File], SettlementFailure> {
        let gathered = Portfolio.contractFiles([directory])
        let checked = gathered.files.map { PFS.check(path: $0) }
        let declared = zip(gathered.files, checked).compactMap { Portfolio.declaredID(of: $1, file: $0) }
        let duplicates = Portfolio.duplicateIDs(declared)
        var files: [File] = []
        var problems: [Diagnostic] = []
        for (path, result) in zip(gathered.files, checked) {
            if let duplicate = duplicates[path] {
                problems.append(duplicate)
                continue
            }
            problems += forEachStatement(of: result, fileName: PFS.lastPathComponent(path), selection: .everything) {
                file in
                files.append(file)
                return nil
            }
        }
        return problems.isEmpty ? .success(files) : .failure(SettlementFailure(problems))
    }
}

extension ReportSet {
    /// The statements directly in `directory/<id>/` for the given contract ids (sorted):
    /// regular files whose names pfs gives statements (``Statement/isStatementFileName(_:)``).
    /// What a regeneration compares with to find statements the engine no longer makes;
    /// nothing else in those folders (other files, subfolders, links) is ever listed.
    public static func existingStatements(under directory: String, contractIDs: Set<String>) -> [String] {
        contractIDs.sorted().flatMap { id -> [String] in
            let folder = directory + "/" + id
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter(Statement.isStatementFileName).map { folder + "/" + $0 }
                .filter { StatementOutput.isRegularFile($0) }.sorted()
        }
    }
}

extension ReportSet {
    /// What regenerating a reports directory did.
    public struct Regeneration: Sendable {
        /// Statements written (new or changed), by path.
        public var written: [String] = []
        /// Statements that already held exactly what the engine makes.
        public var unchanged = 0
        /// Statements the engine no longer makes, removed (only statement files, directly
        /// in a contract's folder).
        public var removed: [String] = []
        /// Temporary files of killed runs, removed.
        public var removedTemporaries: [String] = []
    }

    /// What `pfs reports` does: regenerates every statement of the contracts in
    /// `contracts` under `output`, one contract folder at a time under its lock, replacing
    /// statements that changed and removing the statements the engine no longer makes.
    /// Nothing is written when a contract has errors (`.failure` with every diagnostic);
    /// an output failure stops the run (`.success` with the problem and what was done).
    public static func regenerate(
        contractsDirectory contracts: String, output: String
    )
        -> Result<(done: Regeneration, problem: Diagnostic?), SettlementFailure>
    {
        let files: [File]
        switch generate(contractsDirectory: contracts) {
        case .failure(let failure): return .failure(failure)
        case .success(let generated): files = generated
        }
        var done = Regeneration()
        let byContract = Dictionary(grouping: files) { String($0.path.prefix { $0 != "/" }) }
        for id in byContract.keys.sorted() {
            let lock: OutputFolder
            switch OutputFolder.lock(output + "/" + id) {
            case .success(let locked): lock = locked
            case .failure(let failure): return .success((done, failure.diagnostic))
            }
            defer { lock.unlock() }
            done.removedTemporaries += lock.removedTemporaries
            let contractFiles = byContract[id] ?? []
            for file in contractFiles {
                let path = output + "/" + file.path
                if StatementOutput.holds(path, file.bytes) {
                    done.unchanged += 1
                    continue
                }
                if let problem = StatementOutput.write(file.bytes, to: path) { return .success((done, problem)) }
                done.written.append(path)
            }
            let kept = Set(contractFiles.map { output + "/" + $0.path })
            for path in existingStatements(under: output, contractIDs: [id]) where !kept.contains(path) {
                if let problem = StatementOutput.removeStatement(at: path) { return .success((done, problem)) }
                done.removed.append(path)
            }
        }
        return .success((done, nil))
    }
}
