import Foundation
import PFS
import PFSModel
import PFSLedger
import PFSStatements
import PFSValue

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
        /// Files named as statements are that pfs did not write (their content is not pfs's
        /// statement of that contract): kept.
        public var keptForeign: [String] = []
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
                let (problem, notOurs) = StatementOutput.removeStatement(at: path, of: id)
                if let problem { return .success((done, problem)) }
                if notOurs { done.keptForeign.append(path) } else { done.removed.append(path) }
            }
        }
        return .success((done, nil))
    }
}

extension ReportSet {
    /// Generates every document for the `.xml` contracts directly in `directory`.
    /// Fails with every contract's diagnostics if any contract does not check cleanly, or
    /// if two files declare the same contract id (`duplicate-contract-id`).
    public static func generate(contractsDirectory directory: String) -> Result<[File], SettlementFailure> {
        let gathered = Portfolio.contractFiles([directory])
        let checked = gathered.files.map { PFS.check(path: $0, canonical: true) }
        let declared = zip(gathered.files, checked).compactMap { Portfolio.declaredID(of: $1, file: $0) }
        let duplicates = Portfolio.duplicateIDs(declared)
        var files: [File] = []
        var problems: [Diagnostic] = []
        for (path, result) in zip(gathered.files, checked) {
            if let duplicate = duplicates[path] {
                problems.append(duplicate)
                continue
            }
            switch PFS.settleTerm(result, fileName: PFS.lastPathComponent(path)) {
            case .failure(let failure): problems += failure.diagnostics
            case .success(let history):
                let problem = ReportSet.files(history: history, selection: .everything, contract: result.contract) {
                    files.append($0)
                    return nil
                }
                if let problem { problems.append(problem) }
                if let contract = result.contract {
                    switch valueFiles(contract, history: history) {
                    case .success(let made): files += made
                    case .failure(let failure): problems += failure.diagnostics
                    }
                }
            }
        }
        return problems.isEmpty ? .success(files) : .failure(SettlementFailure(problems))
    }

    /// The value-for-money document of the term settled so far (`pfs value`), in every format
    /// and language `Reports/` holds; none before a year is settled.
    public static func valueFiles(_ contract: Contract, history: [Settlement]) -> Result<[File], SettlementFailure> {
        guard let last = history.last else { return .success([]) }
        let assessment: ValueAssessment
        switch ValueForMoney.assess(contract, history: history) {
        case .success(let value): assessment = value
        case .failure(let failure):
            return .failure(
                SettlementFailure([
                    Diagnostic(
                        check: .arithmeticOverflow, message: "the value for money cannot be computed: \(failure)",
                        hint: "check the contract's <value-for-money>", at: .file(last.contract.file))
                ]))
        }
        guard let document = ValueStatement.document(assessment, history: history) else { return .success([]) }
        var files: [File] = []
        for format in StatementFormat.own {
            for language in format.isLocalized ? Language.allCases : [.ja] {
                files.append(
                    File(
                        path: Statement.path(
                            contractID: contract.id, year: last.fiscalYear.year, kind: .value, format: format,
                            language: language),
                        bytes: Statement.bytes(document, as: format, language: language), kind: .value, format: format,
                        language: language))
            }
        }
        return .success(files)
    }
}
