import CFileSystem
import Foundation
import PFS
import PFSEvaluator
import PFSModel
import PFSStatements

#if canImport(Glibc)
import Glibc
#endif

/// Settling a portfolio and writing its statements: the contracts on all cores, each
/// contract's folder locked while written, the first output failure stopping the run.
extension Portfolio {
    /// What settling one contract of a portfolio produced.
    public struct ContractOutcome: Sendable {
        /// The file.
        public let file: String
        /// Statements written (or unchanged).
        public let statements: Int
        /// Problems of the contract; when any is an error no statement was written for it.
        public let diagnostics: [Diagnostic]
        /// Why its statements could not be written (the run stops there), if so.
        public let outputProblem: Diagnostic?
        /// Temporary files of killed runs found in its folder and removed.
        public let removedTemporaries: [String]

        init(
            file: String, statements: Int = 0, diagnostics: [Diagnostic] = [], outputProblem: Diagnostic? = nil,
            removedTemporaries: [String] = []
        ) {
            self.file = file
            self.statements = statements
            self.diagnostics = diagnostics
            self.outputProblem = outputProblem
            self.removedTemporaries = removedTemporaries
        }
    }

    /// What a portfolio run did.
    public struct Run: Sendable {
        /// One outcome per contract settled or refused, in file order (contracts not reached
        /// after an output failure have none).
        public let outcomes: [ContractOutcome]
        /// The first output failure, which stopped the run (exit status 70).
        public let outputProblem: Diagnostic?
    }

    /// Checks every contract, settles every year of its term that has data, and writes
    /// the statements under `output` as `pfs settle --output` does (same refusal to
    /// replace an issued statement, unless `newRevision`). Files declaring the same
    /// contract id are refused before anything is written; the first output failure
    /// stops the run.
    public static func settle(
        files: [String], output: String, selection: StatementSelection, template: HTMLTemplate = .standard,
        newRevision: Bool, jobs: Int
    ) -> Run {
        if let problem = StatementBatch.createDirectories(output, for: output, doing: "create the output folder") {
            return Run(outcomes: [], outputProblem: problem)
        }
        let duplicates = duplicateIDs(Parallel.map(files, jobs: jobs) { declaredID(path: $0) }.compactMap { $0 })
        let stop = StopFlag()
        // Cores not needed for contracts settle and write the years of one (a single large
        // contract would otherwise use one core).
        let yearJobs = max(1, jobs / max(1, files.count))
        let outcomes = Parallel.map(files, jobs: jobs) { file -> ContractOutcome? in
            if let duplicate = duplicates[file] { return ContractOutcome(file: file, diagnostics: [duplicate]) }
            guard !stop.isSet else { return nil }
            let outcome = settle(
                file, output: output, selection: selection, template: template, newRevision: newRevision, jobs: yearJobs
            )
            if outcome.outputProblem != nil { stop.set() }
            return outcome
        }.compactMap { $0 }
        return Run(outcomes: outcomes, outputProblem: outcomes.lazy.compactMap(\.outputProblem).first)
    }

    private static func settle(
        _ file: String, output: String, selection: StatementSelection, template: HTMLTemplate,
        newRevision: Bool, jobs: Int
    ) -> ContractOutcome {
        let fileName = PFS.lastPathComponent(file)
        let (checked, provenance) = checkForSettlement(path: file, fileName: fileName)
        guard let contract = checked.contract, let provenance else {
            return ContractOutcome(file: file, diagnostics: checked.diagnostics)
        }
        let history: [Settlement]
        let settleable = Parallel.map(
            Array(contract.term.first...max(contract.term.first, contract.term.last)), jobs: jobs
        ) { year in
            PFS.isSettleable(contract, year: year) ? year : nil
        }.compactMap { $0 }
        switch PFS.settleTerm(checked, provenance: provenance, years: settleable) {
        case .failure(let failure): return ContractOutcome(file: file, diagnostics: failure.diagnostics)
        case .success(let settled): history = settled
        }
        let folder = output + "/" + contract.id
        let lock: OutputFolder
        switch OutputFolder.lock(folder) {
        case .success(let locked): lock = locked
        case .failure(let failure): return ContractOutcome(file: file, outputProblem: failure.diagnostic)
        }
        defer { lock.unlock() }
        // A folder with statements: decide about every one first, so that a refusal leaves
        // it untouched. A new folder (the usual case): write each document as soon as it is
        // made (memory holds the term's settlements, not its statements).
        guard ReportSet.existingStatements(under: output, contractIDs: [contract.id]).isEmpty else {
            return replacing(
                history, contract: contract, file: file, output: output, selection: selection, template: template,
                newRevision: newRevision, removedTemporaries: lock.removedTemporaries)
        }
        // Each statement goes to a temporary file as it is made; all become visible,
        // flushed to disk once, when every one of them has been written.
        let batch = StatementBatch()
        let years = Parallel.map(history.map(\.fiscalYear.year), jobs: jobs) { year in
            var staged = 0
            let problem = ReportSet.files(
                history: history, selection: selection, template: template, years: [year], contract: contract,
                pdf: PDFRenderer()
            ) { statement in
                if let problem = batch.stage(statement.bytes, to: output + "/" + statement.path) { return problem }
                staged += 1
                return nil
            }
            return (staged: staged, problem: problem)
        }
        if let problem = years.lazy.compactMap(\.problem).first {
            batch.discard()
            // A template stopped at its limits is the template's fault, not the disk's.
            return problem.checkID?.isOutputFailure == true
                ? ContractOutcome(file: file, outputProblem: problem)
                : ContractOutcome(file: file, diagnostics: [problem])
        }
        if let problem = batch.commit() { return ContractOutcome(file: file, outputProblem: problem) }
        return ContractOutcome(
            file: file, statements: years.reduce(0) { $0 + $1.staged }, removedTemporaries: lock.removedTemporaries)
    }

    /// A contract whose folder holds statements: plans every statement against the files
    /// there before writing any (the folder's lock is held).
    private static func replacing(
        _ history: [Settlement], contract: Contract, file: String, output: String, selection: StatementSelection,
        template: HTMLTemplate, newRevision: Bool, removedTemporaries: [String]
    ) -> ContractOutcome {
        let pending = ReportSet.pending(
            history: history, selection: selection, template: template, contract: contract, pdf: PDFRenderer())
        switch StatementOutput.plan(pending, under: output, newRevision: newRevision) {
        case .failure(let refusal):
            if let failure = refusal.diagnostics.first(where: { $0.checkID?.isOutputFailure == true }) {
                return ContractOutcome(file: file, outputProblem: failure)
            }
            return ContractOutcome(file: file, diagnostics: refusal.diagnostics)
        case .success(let actions):
            let (_, problem) = StatementOutput.apply(actions)
            if let problem {
                // Someone else's file appeared meanwhile: a refusal, not a failing disk.
                return problem.checkID?.isOutputFailure != true
                    ? ContractOutcome(file: file, diagnostics: [problem])
                    : ContractOutcome(file: file, outputProblem: problem)
            }
            return ContractOutcome(file: file, statements: actions.count, removedTemporaries: removedTemporaries)
        }
    }
}

/// Set once by whichever thread first meets an output failure; read by the others.
private final class StopFlag: @unchecked Sendable {
    private var value = false
    private let lock = NSLock()

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}

extension Portfolio {
    /// Checks the contract at `path` (diagnostics name it as given) and computes the
    /// provenance its statements record under `fileName` — nil if it has errors. One parse
    /// gives both: the canonical digest is taken from the loader's document.
    public static func checkForSettlement(
        path: String, fileName: String
    ) -> (checked: PFS.CheckResult, provenance: Provenance?) {
        let bytes: [UInt8]
        switch PFS.read(path: path) {
        case .success(let read): bytes = read
        case .failure(let failure): return (PFS.unreadable(failure), nil)
        }
        let checked = PFS.check(bytes: bytes, file: path, canonical: true)
        guard checked.contract != nil, !checked.hasErrors else { return (checked, nil) }
        return (checked, PFS.provenance(of: checked, fileName: fileName))
    }
}
