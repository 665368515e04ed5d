import Foundation
import PFS
import PFSModel
import PFSStatements

extension Portfolio {
    /// The files a ledger run writes in its output folder.
    static let ledgerFileNames: Set<String> = ["ledger.csv", "ledger.jsonl", "summary.json"]

    /// What a ledger run produced.
    public struct LedgerRun: Sendable {
        /// The rows, contract by contract in file order, years in order.
        public let rows: [LedgerRow]
        public let summary: LedgerSummary
        /// Every problem found (contracts with errors are in no file).
        public let diagnostics: [Diagnostic]
        /// Why the ledger could not be written, if so (exit status 70).
        public let outputProblem: Diagnostic?
    }

    /// Checks every contract, settles every year of its term that has data, and writes
    /// `ledger.csv`, `ledger.jsonl` and `summary.json` under `output` (atomically, as one
    /// set). `done` is told each time a contract is finished (for progress on a terminal).
    public static func ledger(
        files: [String], output: String, jobs: Int, done: (@Sendable () -> Void)? = nil
    ) -> LedgerRun {
        let duplicates = duplicateIDs(Parallel.map(files, jobs: jobs) { declaredID(path: $0) }.compactMap { $0 })
        let results = Parallel.map(files, jobs: jobs) {
            file -> (rows: [LedgerRow], summary: LedgerContractSummary?, diagnostics: [Diagnostic]) in
            defer { done?() }
            if let duplicate = duplicates[file] { return ([], nil, [duplicate]) }
            let checked = PFS.check(path: file)
            guard !checked.hasErrors else { return ([], nil, checked.diagnostics) }
            switch PFS.settleTerm(checked, fileName: PFS.lastPathComponent(file)) {
            case .failure(let failure): return ([], nil, failure.diagnostics)
            case .success(let history):
                do {
                    let rows = try Ledger.rows(history)
                    guard let contract = checked.contract else { return (rows, nil, checked.diagnostics) }
                    let summary = try Ledger.summary(history, rows: rows, file: file, contract: contract)
                    return (rows, summary, checked.diagnostics)
                } catch {
                    return (
                        [], nil,
                        [
                            Diagnostic(
                                check: .arithmeticOverflow, message: "the ledger's totals do not fit exactly",
                                at: .file(file))
                        ]
                    )
                }
            }
        }
        let rows = results.flatMap(\.rows)
        let diagnostics = results.flatMap(\.diagnostics)
        var refused: [String: String] = [:]
        for (file, result) in zip(files, results) where result.diagnostics.contains(where: { $0.severity == .error }) {
            refused[file] =
                result.diagnostics.first { $0.severity == .error }?.rendered.components(separatedBy: "\n").first
        }
        let summary: LedgerSummary
        do {
            summary = try LedgerSummary(rows: rows, contracts: results.compactMap(\.summary), refused: refused)
        } catch {
            let problem = Diagnostic(
                check: .arithmeticOverflow, message: "the portfolio's totals do not fit exactly", at: .file(output))
            return LedgerRun(rows: rows, summary: .empty, diagnostics: diagnostics, outputProblem: problem)
        }
        if let problem = StatementBatch.createDirectories(output, for: output, doing: "create the output folder") {
            return LedgerRun(rows: rows, summary: summary, diagnostics: diagnostics, outputProblem: problem)
        }
        // The output folder is locked while the ledger is written, as a contract's folder is
        // for its statements: temporary files of a run that was killed here are removed.
        let folder: OutputFolder
        switch OutputFolder.lock(output) {
        case .success(let locked): folder = locked
        case .failure(let failure):
            return LedgerRun(rows: rows, summary: summary, diagnostics: diagnostics, outputProblem: failure.diagnostic)
        }
        defer { folder.unlock() }
        let batch = StatementBatch(replacing: true)
        let files: [(String, String)] = [
            ("ledger.csv", Ledger.csv(rows)), ("ledger.jsonl", rows.map(Ledger.jsonLine).map { $0 + "\n" }.joined()),
            ("summary.json", summary.json),
        ]
        for (name, text) in files {
            if let problem = batch.stage(Array(text.utf8), to: output + "/" + name) {
                batch.discard()
                return LedgerRun(rows: rows, summary: summary, diagnostics: diagnostics, outputProblem: problem)
            }
        }
        return LedgerRun(rows: rows, summary: summary, diagnostics: diagnostics, outputProblem: batch.commit())
    }
}
