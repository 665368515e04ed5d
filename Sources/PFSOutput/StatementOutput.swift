import CFileSystem
import Foundation
import PFS
import PFSModel
import PFSStatements

#if canImport(Glibc)
import Glibc
#endif

/// Writing statements to a directory without ever losing or silently replacing one.
///
/// An issued statement is not overwritten with different figures: the write is refused
/// unless a new revision is asked for, which goes beside it as `…-r2.txt`, `…-r3.txt`.
/// Writing the same content again does nothing. Files are written atomically.
public enum StatementOutput {
    /// What will happen to one statement.
    public enum Action: Sendable, Hashable {
        /// The file (or its latest revision) already holds exactly this content.
        case unchanged(path: String)
        /// Write the bytes to this path.
        case write(path: String, bytes: [UInt8])
    }

    /// Whether the file at `path` holds exactly `content`, byte for byte (reading it as a
    /// String would drop a CSV statement's byte-order mark).
    public static func holds(_ path: String, _ content: String) -> Bool {
        holds(path, Array(content.utf8))
    }

    /// Whether the file at `path` holds exactly `bytes`.
    public static func holds(_ path: String, _ bytes: [UInt8]) -> Bool {
        FileManager.default.contents(atPath: path).map { Array($0) == bytes } ?? false
    }

    /// Decides, for every statement, before anything is written, so that a refusal leaves
    /// the directory untouched. Each statement is rendered as the revision it would be:
    /// the latest file there is compared with the statement rendered as that revision, and
    /// a new revision says which file it replaces.
    public static func plan(
        _ statements: [ReportSet.Pending], under directory: String, newRevision: Bool
    )
        -> Result<[Action], SettlementFailure>
    {
        var actions: [Action?] = Array(repeating: nil, count: statements.count)
        var refusals: [Diagnostic] = []
        let paths = statements.map { directory + "/" + $0.path }
        let latest = paths.map { existingRevisions(of: $0).last }
        // Each statement is rendered as the revision it is compared with (the latest there,
        // or the first); only those that become a new revision are rendered again, as it.
        let compared = render(
            statements,
            statements.indices.map { index in
                (index, latest[index].flatMap { last in revision(last.number, of: paths[index]) })
            },
            under: directory, refusals: &refusals)
        var renewed: [(index: Int, revision: Revision?)] = []
        for (index, bytes) in compared {
            guard let last = latest[index] else {
                actions[index] = .write(path: paths[index], bytes: bytes)
                continue
            }
            if holds(last.path, bytes) {
                actions[index] = .unchanged(path: last.path)
            } else if newRevision {
                renewed.append((index, revision(last.number + 1, of: paths[index])))
            } else {
                refusals.append(existsRefusal(paths[index], last))
            }
        }
        for (index, bytes) in render(statements, renewed, under: directory, refusals: &refusals) {
            let number = (latest[index]?.number ?? 0) + 1
            actions[index] = .write(path: revisionPath(paths[index], number), bytes: bytes)
        }
        return refusals.isEmpty ? .success(actions.compactMap { $0 }) : .failure(SettlementFailure(refusals))
    }

    /// The statements at `requests` (index, revision) rendered: PDFs together, in one
    /// renderer run (WeasyPrint takes seconds to start), the others one by one. What cannot
    /// be rendered is a refusal.
    private static func render(
        _ statements: [ReportSet.Pending], _ requests: [(index: Int, revision: Revision?)], under directory: String,
        refusals: inout [Diagnostic]
    ) -> [(index: Int, bytes: [UInt8])] {
        var rendered: [(index: Int, bytes: [UInt8])] = []
        var pages: [(index: Int, html: String)] = []
        for (index, revision) in requests {
            do {
                if let html = statements[index].html {
                    pages.append((index, try html(revision)))
                } else {
                    rendered.append((index, try statements[index].render(revision)))
                }
            } catch {
                refusals.append(ReportSet.stopped(error, writing: directory + "/" + statements[index].path))
            }
        }
        guard !pages.isEmpty else { return rendered }
        switch PDFRenderer.render(pages.map { (statements[$0.index].path, $0.html) }) {
        case .failure(let failure): refusals.append(ReportSet.stopped(.pdf(failure), writing: directory))
        case .success(let pdfs): rendered += zip(pages, pdfs).map { ($0.0.index, $0.1) }
        }
        return rendered
    }

    private static func existsRefusal(_ path: String, _ latest: (number: Int, path: String)) -> Diagnostic {
        Diagnostic(
            check: .statementExists,
            message: "already holds a different statement; pfs does not overwrite an issued statement",
            hint:
                """
                compare the two; to issue a corrected statement run again with --new-revision, \
                which writes \(PFS.lastPathComponent(revisionPath(path, latest.number + 1))) \
                beside it
                """,
            at: .file(latest.path))
    }

    /// What revision `number` of the statement at `path` records: nil for the first; else
    /// the revision before it, by file name and the SHA-256 of its bytes as they are now.
    private static func revision(_ number: Int, of path: String) -> Revision? {
        guard number > 1 else { return nil }
        let replaced = revisionPath(path, number - 1)
        let bytes = FileManager.default.contents(atPath: replaced).map(Array.init) ?? []
        return Revision(number: number, replaces: PFS.lastPathComponent(replaced), replacedSHA256: PFS.sha256Hex(bytes))
    }

    /// Writes `bytes` atomically and durably, replacing the file at `path` if there is one
    /// (what `pfs reports` does to its own folder): to a temporary file in the same
    /// directory, flushed to disk, then renamed over the target, so a reader or an
    /// interrupted run sees the old file or the new one, never part of one. A failure is
    /// returned as an `output-write` diagnostic.
    /// `permissions`, when given, are the new file's mode (a contract that was 0600 stays so).
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t? = nil) -> Diagnostic? {
        let batch = StatementBatch(replacing: true)
        if let problem = batch.stage(bytes, to: path, permissions: permissions) { return problem }
        return batch.commit()
    }

    /// Carries out planned actions as one set (each new file created exclusively: a
    /// statement that appeared meanwhile is never replaced): the actions done (written or
    /// unchanged), and the problem that stopped them, if any.
    public static func apply(_ actions: [Action]) -> (done: [Action], problem: Diagnostic?) {
        let batch = StatementBatch()
        for case .write(let path, let bytes) in actions {
            if let problem = batch.stage(bytes, to: path) {
                batch.discard()
                return ([], problem)
            }
        }
        if let problem = batch.commit() { return ([], problem) }
        return (actions, nil)
    }

    /// Whether `path` is a regular file itself (a symbolic link is not followed).
    public static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// Removes a statement file that the engine no longer makes; only a regular file whose
    /// name is a statement's and whose content is pfs's statement of contract `contractID`
    /// (``StatementRecognition``) is removed: a user's own file that happens to have such a
    /// name is kept, and nil is returned with `kept` set.
    public static func removeStatement(at path: String, of contractID: String) -> (problem: Diagnostic?, kept: Bool) {
        guard Statement.isStatementFileName(PFS.lastPathComponent(path)), isRegularFile(path) else {
            return (
                Diagnostic(
                    check: .outputWrite, message: "not a statement file; pfs removes only statements it names",
                    at: .file(path)), false
            )
        }
        guard StatementRecognition.isStatement(at: path, of: contractID) else { return (nil, true) }
        return (unlink(path) == 0 ? nil : StatementBatch.failure(path, errno), false)
    }

    /// What issuing a set of statements into a contract's folder came to.
    public enum Issued: Sendable {
        /// Everything written or found unchanged; `removedTemporaries` are files left by
        /// runs that were killed, removed on the way.
        case done(actions: [Action], removedTemporaries: [String])
        /// A statement there differs and no new revision was asked for: nothing written.
        case refused([Diagnostic])
        /// The folder or a file could not be written (exit status 70).
        case failed(Diagnostic)
    }

    /// Issues `statements` (all in `folder`, a contract's output folder) while holding the
    /// folder's lock: another pfs run writing the same contract waits, then sees these
    /// statements, so two runs never leave a mixed set nor both write the same revision.
    public static func issue(
        _ statements: [ReportSet.Pending], under directory: String, in folder: String, newRevision: Bool
    ) -> Issued {
        let lock: OutputFolder
        switch OutputFolder.lock(folder) {
        case .success(let locked): lock = locked
        case .failure(let failure): return .failed(failure.diagnostic)
        }
        defer { lock.unlock() }
        switch plan(statements, under: directory, newRevision: newRevision) {
        case .failure(let refusal):
            return .refused(refusal.diagnostics)
        case .success(let actions):
            let (done, problem) = apply(actions)
            if let problem { return .failed(problem) }
            return .done(actions: done, removedTemporaries: lock.removedTemporaries)
        }
    }

    /// Writes the files of an issued year (statements, their detached signatures, the
    /// signers' public keys; all in `folder`, the contract's output folder, or below it)
    /// while holding the folder's lock, as ``issue(_:under:in:newRevision:)`` does: the
    /// temporary files of killed runs are removed first, a file that already holds the
    /// same bytes is left as it is, and a file that holds anything else is refused (nothing
    /// is written) rather than replaced. Each new file is created exclusively.
    public static func issue(
        files: [(path: String, bytes: [UInt8])], in folder: String, cleaning subfolders: [String] = ["keys"]
    ) -> Issued {
        let lock: OutputFolder
        switch OutputFolder.lock(folder, cleaning: subfolders) {
        case .success(let locked): lock = locked
        case .failure(let failure): return .failed(failure.diagnostic)
        }
        defer { lock.unlock() }
        var actions: [Action] = []
        var refusals: [Diagnostic] = []
        for file in files {
            var status = stat()
            if lstat(file.path, &status) != 0 {
                actions.append(.write(path: file.path, bytes: file.bytes))
            } else if isRegularFile(file.path) && holds(file.path, file.bytes) {
                actions.append(.unchanged(path: file.path))
            } else {
                refusals.append(notOurs(file.path))
            }
        }
        guard refusals.isEmpty else { return .refused(refusals) }
        let (done, problem) = apply(actions)
        if let problem { return .failed(problem) }
        return .done(actions: done, removedTemporaries: lock.removedTemporaries)
    }

    private static func notOurs(_ path: String) -> Diagnostic {
        Diagnostic(
            check: .statementExists,
            message: "already holds something else than the issued statement; pfs does not overwrite it",
            hint: "move that file away (or issue into another --output folder), then run again", at: .file(path))
    }

    /// `settlement-FY2024.txt` → `settlement-FY2024-r3.txt` for revision 3 (revision 1 is the plain name).
    static func revisionPath(_ path: String, _ revision: Int) -> String {
        guard revision > 1 else { return path }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return path + "-r\(revision)" }
        return path[..<dot] + "-r\(revision)" + path[dot...]
    }

    private static func existingRevisions(of path: String) -> [(number: Int, path: String)] {
        var found: [(Int, String)] = []
        var revision = 1
        while FileManager.default.fileExists(atPath: revisionPath(path, revision)) {
            found.append((revision, revisionPath(path, revision)))
            revision += 1
        }
        return found
    }

}
