import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSStatements

extension Portfolio {
    /// The files a ledger run writes in its output folder.
    static let ledgerFileNames: Set<String> = ["ledger.csv", "ledger.jsonl", "summary.json"]
    /// Contracts settled between two writes of the ledger: enough to keep both cores busy,
    /// few enough that memory does not grow with the portfolio.
    public static let ledgerChunk = 256

    /// What a ledger run produced.
    public struct LedgerRun: Sendable {
        /// How many rows the ledger has.
        public let rows: Int
        public let summary: LedgerSummary
        /// The diagnostics of the contracts refused (in no file) and the register's
        /// differences; other contracts' warnings are only counted (`pfs check` shows them).
        public let diagnostics: [Diagnostic]
        public let warningsElsewhere: Int
        /// Why the ledger could not be written, if so (exit status 70).
        public let outputProblem: Diagnostic?
    }

    /// What one contract gives the ledger, made on a worker thread.
    private struct ContractLedger: Sendable {
        var rows: [LedgerRow] = []
        var summary: LedgerContractSummary?
        var diagnostics: [Diagnostic] = []
        var refusedBecause: String?
        var csv: [UInt8] = []
        var jsonl: [UInt8] = []
    }

    /// Checks every contract, settles every year of its term that has data, and writes
    /// `ledger.csv`, `ledger.jsonl` and `summary.json` under `output` as contracts are
    /// settled (atomically, as one set, at the end). With `recorded` (what a register holds,
    /// by contract id and year), the years it holds come from it and are checked against
    /// the settlement made now. `done` is told each time a contract is finished (progress).
    /// `chunk` contracts are settled between two writes.
    public static func ledger(
        files: [String], output: String, jobs: Int, recorded: [String: [Int: RecordedYear]]? = nil,
        chunk: Int = ledgerChunk, done: (@Sendable () -> Void)? = nil
    ) -> LedgerRun {
        var summary = LedgerSummary()
        var kept: [Diagnostic] = []
        var warnings = 0
        func finished(_ problem: Diagnostic?) -> LedgerRun {
            LedgerRun(
                rows: summary.rows, summary: summary, diagnostics: kept, warningsElsewhere: warnings,
                outputProblem: problem)
        }
        let duplicates = duplicateIDs(Parallel.map(files, jobs: jobs) { declaredID(path: $0) }.compactMap { $0 })
        if let problem = StatementBatch.createDirectories(output, for: output, doing: "create the output folder") {
            return finished(problem)
        }
        // The output folder is locked while the ledger is written, as a contract's folder is
        // for its statements: temporary files of a run that was killed here are removed.
        let folder: OutputFolder
        switch OutputFolder.lock(output) {
        case .success(let locked): folder = locked
        case .failure(let failure): return finished(failure.diagnostic)
        }
        defer { folder.unlock() }
        let batch = StatementBatch(replacing: true)
        var staged: [StagedFile] = []
        // `summary.json` needs the totals before the per-contract part: that part goes to a
        // temporary file of its own first.
        for name in ["ledger.csv", "ledger.jsonl", "summary.json", "summary.json"] {
            switch batch.begin(output + "/" + name) {
            case .success(let file): staged.append(file)
            case .failure(let failure):
                staged.forEach { $0.abandon() }
                return finished(failure.diagnostic)
            }
        }
        let (csv, jsonl, perContract, summaryFile) = (staged[0], staged[1], staged[2], staged[3])
        func fail(_ problem: Diagnostic) -> LedgerRun {
            staged.forEach { $0.abandon() }
            batch.discard()
            return finished(problem)
        }
        if let problem = csv.append(Ledger.csvHeader) { return fail(problem) }
        var start = 0
        while start < files.count {
            let part = Array(files[start..<min(start + max(chunk, 1), files.count)])
            start += part.count
            let results = Parallel.map(part, jobs: jobs) { file -> ContractLedger in
                defer { done?() }
                return contractLedger(file, duplicate: duplicates[file], recorded: recorded)
            }
            for (file, result) in zip(part, results) {
                if let reason = result.refusedBecause {
                    summary.refuse(file, reason: reason)
                    kept += result.diagnostics
                    continue
                }
                kept += result.diagnostics.filter { $0.checkID == .ledgerRegister }
                warnings += result.diagnostics.filter { $0.checkID != .ledgerRegister }.count
                do {
                    let first = summary.contracts == 0
                    try summary.add(result.rows, result.summary)
                    if let contract = result.summary,
                        let problem = perContract.append(contract.jsonElement(first: first))
                    {
                        return fail(problem)
                    }
                } catch {
                    return fail(
                        Diagnostic(
                            check: .arithmeticOverflow, message: "the portfolio's totals do not fit exactly",
                            at: .file(output)))
                }
                if let problem = csv.append(result.csv) ?? jsonl.append(result.jsonl) { return fail(problem) }
            }
        }
        let (head, tail) = summary.jsonAround()
        if let problem =
            summaryFile.append(head) ?? summaryFile.append(contentsOf: perContract) ?? summaryFile.append(tail)
        {
            return fail(problem)
        }
        perContract.abandon()
        for file in [csv, jsonl, summaryFile] {
            if let problem = file.finish() { return fail(problem) }
        }
        return finished(batch.commit())
    }

    /// One contract's part of the ledger (its rows already encoded, on the worker thread).
    private static func contractLedger(
        _ file: String, duplicate: Diagnostic?, recorded: [String: [Int: RecordedYear]]?
    ) -> ContractLedger {
        var result = ContractLedger()
        func refused(_ diagnostics: [Diagnostic]) -> ContractLedger {
            result.diagnostics = diagnostics
            result.refusedBecause =
                diagnostics.first { $0.severity == .error }?.rendered.components(separatedBy: "\n").first
                ?? "refused"
            return result
        }
        if let duplicate { return refused([duplicate]) }
        let checked = PFS.check(path: file, canonical: true)
        guard !checked.hasErrors, let contract = checked.contract else { return refused(checked.diagnostics) }
        // Figures only: a row is tied to its year's statements by the settlement digest, so
        // no step is described and no statement made.
        switch PFS.settleTerm(checked, fileName: PFS.lastPathComponent(file), steps: false) {
        case .failure(let failure): return refused(failure.diagnostics)
        case .success(let history):
            do {
                let made = try Ledger.rows(history, recorded: recorded.map { $0[contract.id] ?? [:] })
                result.rows = made.rows
                result.diagnostics = checked.diagnostics + made.diagnostics
                result.summary = try LedgerContractSummary(history, rows: made.rows, file: file, contract: contract)
            } catch {
                return refused([
                    Diagnostic(
                        check: .arithmeticOverflow, message: "the ledger's totals do not fit exactly", at: .file(file))
                ])
            }
        }
        for row in result.rows {
            result.csv += row.csvLine
            result.jsonl += row.jsonLine
        }
        return result
    }
}
