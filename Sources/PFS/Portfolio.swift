import Foundation
import PFSLoader
import PFSModel
import PFSStatements

#if canImport(Glibc)
import Glibc
#endif

/// Many contracts at once: a prefecture or an outcome fund settles every contract of its
/// portfolio and every year of each term. Work is spread over the machine's cores; memory
/// stays bounded by the contracts in flight, not the portfolio.
public enum Portfolio {
    /// The contract files a run takes, and what it passed over.
    public struct ContractFiles: Sendable {
        /// The files to check, in order: named files as given, each directory's regular
        /// `.xml` files (sorted); a path named twice is taken once.
        public let files: [String]
        /// Warnings (`file-skipped`) for what a directory holds under a `.xml` name but is
        /// not a regular file (a FIFO would block the run, a device never ends).
        public let skipped: [Diagnostic]
    }

    /// The `.xml` files named, with directories expanded to the regular `.xml` files
    /// directly in them (sorted), in the order given.
    public static func contractFiles(_ paths: [String]) -> ContractFiles {
        var files: [String] = []
        var skipped: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let prefix = path.hasSuffix("/") ? path : path + "/"
            for name in names.filter({ $0.hasSuffix(".xml") }).sorted() {
                var status = stat()
                // stat follows a link to a regular file (a contract kept elsewhere), never opens.
                if stat(prefix + name, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
                    files.append(prefix + name)
                } else {
                    skipped.append(
                        Diagnostic(
                            .warning, check: .fileSkipped,
                            message: "not a regular file (a pipe, device, socket or broken link); skipped",
                            hint: "a portfolio folder holds contract files only", at: .file(prefix + name)))
                }
            }
        }
        var seen = Set<String>()
        return ContractFiles(files: files.filter { seen.insert($0).inserted }, skipped: skipped)
    }

    /// The contract id a file declares, where it is, read without checking the file.
    public struct DeclaredID: Sendable, Hashable {
        /// The file.
        public let file: String
        /// The id on its root element.
        public let id: String
        /// The root element's line.
        public let line: Int

        /// Creates one.
        public init(file: String, id: String, line: Int) {
            self.file = file
            self.id = id
            self.line = line
        }
    }

    /// The contract id a checked file declares (nil when it has no readable root element).
    public static func declaredID(of checked: PFS.CheckResult, file: String) -> DeclaredID? {
        if let contract = checked.contract {
            return DeclaredID(file: file, id: contract.id, line: contract.location.line)
        }
        return ContractLoader.declaredID(bytes: checked.bytes).map { DeclaredID(file: file, id: $0.id, line: $0.line) }
    }

    /// Reads each file's declared contract id (nil for a file without a readable root).
    public static func declaredIDs(_ files: [String], jobs: Int) -> [DeclaredID?] {
        Parallel.map(files, jobs: jobs) { file in
            guard case .success(let bytes) = ContractLoader.read(path: file, displayName: file),
                let declared = ContractLoader.declaredID(bytes: bytes)
            else { return nil }
            return DeclaredID(file: file, id: declared.id, line: declared.line)
        }
    }

    /// A `duplicate-contract-id` error for every file that declares the same contract id as
    /// another file of the run, naming the others: their statements would go to one folder.
    public static func duplicateIDs(_ declared: [DeclaredID]) -> [String: Diagnostic] {
        let byID = Dictionary(grouping: declared, by: \.id).filter { $0.value.count > 1 }
        var problems: [String: Diagnostic] = [:]
        for (id, files) in byID {
            for file in files {
                let others = files.filter { $0.file != file.file }.map(\.file)
                problems[file.file] = Diagnostic(
                    check: .duplicateContractID,
                    message:
                        "contract id '\(id)' is also declared by \(others.joined(separator: ", ")); neither is settled, since their statements would go to one folder",
                    hint: "give each contract its own id, or settle one version at a time",
                    at: SourceLocation(file: file.file, line: file.line, column: 0))
            }
        }
        return problems
    }

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
        let duplicates = duplicateIDs(declaredIDs(files, jobs: jobs).compactMap { $0 })
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
        let (checked, provenance) = PFS.checkForSettlement(path: file, fileName: fileName, jobs: jobs)
        guard let contract = checked.contract, let provenance else {
            return ContractOutcome(file: file, diagnostics: checked.diagnostics)
        }
        let history: [Settlement]
        switch PFS.settleTerm(checked, provenance: provenance, jobs: jobs) {
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
                history, file: file, output: output, selection: selection, template: template,
                newRevision: newRevision, removedTemporaries: lock.removedTemporaries)
        }
        // Each statement goes to a temporary file as it is made; all become visible,
        // flushed to disk once, when every one of them has been written.
        let batch = StatementBatch()
        let years = Parallel.map(history.map(\.fiscalYear.year), jobs: jobs) { year in
            var staged = 0
            let problem = ReportSet.files(history: history, selection: selection, template: template, years: [year]) {
                statement in
                if let problem = batch.stage(statement.bytes, to: output + "/" + statement.path) { return problem }
                staged += 1
                return nil
            }
            return (staged: staged, problem: problem)
        }
        if let problem = years.lazy.compactMap(\.problem).first {
            batch.discard()
            // A template stopped at its limits is the template's fault, not the disk's.
            return problem.checkID == .outputWrite
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
        _ history: [Settlement], file: String, output: String, selection: StatementSelection,
        template: HTMLTemplate, newRevision: Bool, removedTemporaries: [String]
    ) -> ContractOutcome {
        let pending = ReportSet.pending(history: history, selection: selection, template: template)
        switch StatementOutput.plan(pending, under: output, newRevision: newRevision) {
        case .failure(let refusal):
            return ContractOutcome(file: file, diagnostics: refusal.diagnostics)
        case .success(let actions):
            let (_, problem) = StatementOutput.apply(actions)
            if let problem {
                // Someone else's file appeared meanwhile: a refusal, not a failing disk.
                return problem.checkID != .outputWrite
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
