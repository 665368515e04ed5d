import Dispatch
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

    /// Applies `body` to every item on up to `jobs` threads; results come back in order.
    public static func map<T: Sendable>(_ items: [String], jobs: Int, _ body: @Sendable (String) -> T) -> [T] {
        let collected = Collected<T>()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, items.count))) { _ in
            while let index = collected.nextIndex(below: items.count) {
                collected.add(index, body(items[index]))
            }
        }
        return collected.inOrder()
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
        map(files, jobs: jobs) { file in
            let checked = PFS.check(path: file)
            guard let contract = checked.contract, !checked.hasErrors else {
                return ContractOutcome(file: file, statements: 0, diagnostics: checked.diagnostics)
            }
            // Fresh output (the usual case): write each document as it is made, so memory
            // holds one, not the whole term. Otherwise decide about every existing file
            // first, so that a refusal leaves the directory untouched.
            let fresh = !FileManager.default.fileExists(atPath: output + "/" + contract.id)
            var pending: [(path: String, content: String)] = []
            var written = 0
            let problems = ReportSet.forEachStatement(of: checked, fileName: PFS.lastPathComponent(file), selection: selection, template: template) { statement in
                let path = output + "/" + statement.path
                guard fresh else {
                    pending.append((path, statement.content))
                    return nil
                }
                if let problem = StatementOutput.write(statement.content, to: path) { return problem }
                written += 1
                return nil
            }
            guard problems.isEmpty else { return ContractOutcome(file: file, statements: written, diagnostics: problems) }
            guard !fresh else { return ContractOutcome(file: file, statements: written, diagnostics: []) }
            switch StatementOutput.plan(pending, newRevision: newRevision) {
            case .failure(let refusal):
                return ContractOutcome(file: file, statements: 0, diagnostics: refusal.diagnostics)
            case .success(let actions):
                let (done, problem) = StatementOutput.apply(actions)
                return ContractOutcome(file: file, statements: problem == nil ? actions.count : done.count, diagnostics: problem.map { [$0] } ?? [])
            }
        }
    }
}

/// Results produced on several threads, each under a lock, read in order afterwards.
final class Collected<T>: @unchecked Sendable {
    private var results: [(index: Int, value: T)] = []
    private var next = 0
    private let lock = NSLock()

    /// Hands out indices 0, 1, 2… to whichever thread asks next.
    func nextIndex(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }

    func add(_ index: Int, _ value: T) {
        lock.lock()
        results.append((index, value))
        lock.unlock()
    }

    func inOrder() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return results.sorted { $0.index < $1.index }.map(\.value)
    }
}
