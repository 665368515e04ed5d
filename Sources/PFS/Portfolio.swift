import Foundation
import PFSModel
import PFSStatements

/// Many contracts at once: a prefecture or an outcome fund settles every contract of its
/// portfolio and every year of each term. Work is spread over the machine's cores; memory
/// stays bounded by the contracts in flight, not the portfolio.
public enum Portfolio {
    /// The `.xml` files named, with directories expanded to the `.xml` files directly in
    /// them (sorted), in the order given.
    public static func contractFiles(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let prefix = path.hasSuffix("/") ? path : path + "/"
            return names.filter { $0.hasSuffix(".xml") }.sorted().map { prefix + $0 }
        }
    }

    /// What settling one contract of a portfolio produced.
    public struct ContractOutcome: Sendable {
        /// The file.
        public let file: String
        /// Statements written (or unchanged).
        public let statements: Int
        /// Problems; when any is an error no statement was written for the contract.
        public let diagnostics: [Diagnostic]
    }

    /// Checks every contract, settles every year of its term that has data, and writes
    /// the statements under `output` as `pfs settle --output` does (same refusal to
    /// replace an issued statement, unless `newRevision`).
    public static func settle(files: [String], output: String, selection: StatementSelection, template: HTMLTemplate = .standard,
                              newRevision: Bool, jobs: Int) -> [ContractOutcome] {
        // Cores not needed for contracts settle and write the years of one (a single large
        // contract would otherwise use one core).
        let yearJobs = max(1, jobs / max(1, files.count))
        return Parallel.map(files, jobs: jobs) { file in
            let fileName = PFS.lastPathComponent(file)
            let (checked, provenance) = PFS.checkForSettlement(path: file, fileName: fileName, jobs: yearJobs)
            guard let contract = checked.contract, let provenance else {
                return ContractOutcome(file: file, statements: 0, diagnostics: checked.diagnostics)
            }
            let history: [Settlement]
            switch PFS.settleTerm(checked, provenance: provenance, jobs: yearJobs) {
            case .failure(let failure): return ContractOutcome(file: file, statements: 0, diagnostics: failure.diagnostics)
            case .success(let settled): history = settled
            }
            // Fresh output (the usual case): write each document as soon as it is made
            // (memory holds the term's settlements, not its statements). Otherwise decide
            // about every existing file first, so that a refusal leaves the directory untouched.
            guard !FileManager.default.fileExists(atPath: output + "/" + contract.id) else {
                return replacing(history, file: file, output: output, selection: selection, template: template, newRevision: newRevision)
            }
            // Each statement goes to a temporary file as it is made; all become visible,
            // flushed to disk once, when every one of them has been written.
            let batch = StatementBatch()
            let years = Parallel.map(history.map(\.fiscalYear.year), jobs: yearJobs) { year in
                var staged = 0
                let problem = ReportSet.files(history: history, selection: selection, template: template, years: [year]) { statement in
                    if let problem = batch.stage(statement.bytes, to: output + "/" + statement.path) { return problem }
                    staged += 1
                    return nil
                }
                return (staged: staged, problem: problem)
            }
            let problems = years.compactMap(\.problem)
            guard problems.isEmpty else {
                batch.discard()
                return ContractOutcome(file: file, statements: 0, diagnostics: problems)
            }
            if let problem = batch.commit() { return ContractOutcome(file: file, statements: 0, diagnostics: [problem]) }
            return ContractOutcome(file: file, statements: years.reduce(0) { $0 + $1.staged }, diagnostics: [])
        }
    }

    /// A contract whose directory exists: plans every statement against the files there
    /// before writing any.
    private static func replacing(_ history: [Settlement], file: String, output: String, selection: StatementSelection,
                                  template: HTMLTemplate, newRevision: Bool) -> ContractOutcome {
        var pending: [(path: String, content: String)] = []
        // Collecting cannot fail: nothing is written until every file has been planned.
        _ = ReportSet.files(history: history, selection: selection, template: template) { statement in
            pending.append((output + "/" + statement.path, statement.content))
            return nil
        }
        switch StatementOutput.plan(pending, newRevision: newRevision) {
        case .failure(let refusal):
            return ContractOutcome(file: file, statements: 0, diagnostics: refusal.diagnostics)
        case .success(let actions):
            let (done, problem) = StatementOutput.apply(actions)
            return ContractOutcome(file: file, statements: problem == nil ? actions.count : done.count, diagnostics: problem.map { [$0] } ?? [])
        }
    }
}
