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
        // PDFs are rendered together, one renderer run per round (WeasyPrint takes seconds
        // to start): the first round as the revision that would be compared, the second
        // only for the PDFs that become a new revision.
        var pdfRound: [(index: Int, revision: Revision?, html: String)] = []
        var secondRound: [(index: Int, revision: Revision?, html: String)] = []
        func decide(_ index: Int, _ render: (Revision?) throws(ReportSet.RenderFailure) -> [UInt8]) throws(ReportSet.RenderFailure) {
            let path = directory + "/" + statements[index].path
            let revisions = existingRevisions(of: path)
            guard let latest = revisions.last else {
                actions[index] = .write(path: path, bytes: try render(nil))
                return
            }
            if holds(latest.path, try render(revision(latest.number, of: path))) {
                actions[index] = .unchanged(path: latest.path)
            } else if newRevision {
                actions[index] = .write(
                    path: revisionPath(path, latest.number + 1), bytes: try render(revision(latest.number + 1, of: path)))
            } else {
                refusals.append(existsRefusal(path, latest))
            }
        }
        for (index, statement) in statements.enumerated() {
            let path = directory + "/" + statement.path
            do {
                if let html = statement.html {
                    let number = existingRevisions(of: path).last?.number
                    let asRevision = number.flatMap { revision($0, of: path) }
                    pdfRound.append((index, asRevision, try html(asRevision)))
                } else {
                    try decide(index, statement.render)
                }
            } catch {
                refusals.append(ReportSet.stopped(error, writing: path))
            }
        }
        if !pdfRound.isEmpty {
            switch PDFRenderer.render(pdfRound.map { (statements[$0.index].path, $0.html) }) {
            case .failure(let failure): refusals.append(ReportSet.stopped(.pdf(failure), writing: directory))
            case .success(let pdfs):
                for (entry, pdf) in zip(pdfRound, pdfs) {
                    let path = directory + "/" + statements[entry.index].path
                    let revisions = existingRevisions(of: path)
                    guard let latest = revisions.last else {
                        actions[entry.index] = .write(path: path, bytes: pdf)
                        continue
                    }
                    if holds(latest.path, pdf) {
                        actions[entry.index] = .unchanged(path: latest.path)
                    } else if newRevision, let html = statements[entry.index].html {
                        let next = revision(latest.number + 1, of: path)
                        do {
                            secondRound.append((entry.index, next, try html(next)))
                        } catch {
                            refusals.append(ReportSet.stopped(error, writing: path))
                        }
                    } else {
                        refusals.append(existsRefusal(path, latest))
                    }
                }
            }
        }
        if !secondRound.isEmpty {
            switch PDFRenderer.render(secondRound.map { (statements[$0.index].path, $0.html) }) {
            case .failure(let failure): refusals.append(ReportSet.stopped(.pdf(failure), writing: directory))
            case .success(let pdfs):
                for (entry, pdf) in zip(secondRound, pdfs) {
                    let path = directory + "/" + statements[entry.index].path
                    let number = (existingRevisions(of: path).last?.number ?? 0) + 1
                    actions[entry.index] = .write(path: revisionPath(path, number), bytes: pdf)
                }
            }
        }
        return refusals.isEmpty ? .success(actions.compactMap { $0 }) : .failure(SettlementFailure(refusals))
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

/// Statements written as one set: each to a temporary file beside its target as soon as it
/// is made (its writing to disk starts at once), then, at ``commit()``, one flush for the
/// whole set, each renamed into place, and the directories flushed so that the new names
/// survive a crash. A reader, or a crash, sees each statement whole or not at all, as with
/// one flush per file — which, for a portfolio's 100,000 small statements, took more than
/// half the time of settling it (Benchmarks/README.md).
public final class StatementBatch: @unchecked Sendable {
    private var staged: [(temporary: String, path: String)] = []
    private var directories: Set<String> = []
    private var counter = 0
    private let lock = NSLock()
    private let replacing: Bool

    /// An empty set. Unless `replacing`, a statement is only ever given a name no file has
    /// (a file that appeared meanwhile is a `statement-exists` refusal, never replaced).
    public init(replacing: Bool = false) {
        self.replacing = replacing
    }

    /// Writes `bytes` to a temporary file beside `path`, creating its directory if need
    /// be; the file takes the name `path` at ``commit()``. Safe to call from several threads.
    public func stage(_ bytes: [UInt8], to path: String, permissions: mode_t? = nil) -> Diagnostic? {
        switch begin(path, permissions: permissions) {
        case .failure(let failure): return failure.diagnostic
        case .success(let file):
            if let problem = file.append(bytes) {
                file.abandon()
                return problem
            }
            return file.finish()
        }
    }

    /// A temporary file beside `path`, to be written piece by piece; once finished it
    /// takes the name `path` at ``commit()``.
    public func begin(_ path: String, permissions: mode_t? = nil) -> Result<StagedFile, OutputFolder.Failure> {
        let directory = Self.directory(of: path)
        if !locked({ directories.contains(directory) }) {
            if let problem = Self.createDirectories(directory, for: path) {
                return .failure(OutputFolder.Failure(diagnostic: problem))
            }
            locked { _ = directories.insert(directory) }
        }
        let number = locked { () -> Int in
            counter += 1
            return counter
        }
        let temporary =
            directory + "/"
            + Self.temporaryName(for: PFS.lastPathComponent(path), number: number, batch: ObjectIdentifier(self))
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return .failure(OutputFolder.Failure(diagnostic: Self.failure(path, errno))) }
        if let permissions, fchmod(descriptor, permissions) != 0 {
            let failed = errno
            close(descriptor)
            unlink(temporary)
            return .failure(OutputFolder.Failure(diagnostic: Self.failure(path, failed)))
        }
        return .success(StagedFile(path: path, temporary: temporary, descriptor: descriptor, batch: self))
    }

    /// A finished temporary file, renamed to `path` at commit.
    func adopt(temporary: String, path: String) {
        locked { staged.append((temporary, path)) }
    }

    /// Flushes the staged files to disk (one: that file; several: its file system, once),
    /// renames each into place and flushes their directories. After a failure the files not
    /// yet renamed are removed and the problem is returned.
    public func commit() -> Diagnostic? {
        let files = locked { () -> [(temporary: String, path: String)] in
            defer { staged = [] }
            return staged
        }
        guard let first = files.first else { return nil }
        let flushed: Int32? =
            files.count == 1
            ? Self.flush(first.temporary, syncFileSystem: false)
            : Self.flush(Self.directory(of: first.path), syncFileSystem: true)
        if let failed = flushed {
            files.forEach { unlink($0.temporary) }
            return Self.failure(first.path, failed)
        }
        for (index, file) in files.enumerated() {
            let renamed =
                replacing ? rename(file.temporary, file.path) : pfs_rename_noreplace(file.temporary, file.path)
            guard renamed != 0 else { continue }
            let failed = errno
            files[index...].forEach { unlink($0.temporary) }
            guard failed == EEXIST, !replacing else { return Self.failure(file.path, failed) }
            return Diagnostic(
                check: .statementExists,
                message: "a statement was written here by someone else while pfs was writing; pfs does not replace it",
                hint: "compare it with what pfs makes, then run again", at: .file(file.path))
        }
        for directory in Set(files.map { Self.directory(of: $0.path) }) {
            if let failed = Self.flush(directory, syncFileSystem: false) { return Self.failure(directory, failed) }
        }
        return nil
    }

    /// Removes the staged files without renaming them (after a failure elsewhere).
    public func discard() {
        let files = locked { () -> [(temporary: String, path: String)] in
            defer { staged = [] }
            return staged
        }
        files.forEach { unlink($0.temporary) }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// `.settlement-FY2024.ja.txt.pfs-PID-BATCH-N`: hidden, beside its statement, and
    /// recognisable as pfs's own (``isTemporaryName(_:)``).
    static func temporaryName(for name: String, number: Int, batch: ObjectIdentifier) -> String {
        "." + name + ".pfs-\(getpid())-\(UInt(bitPattern: batch.hashValue))-\(number)"
    }

    /// Whether `name` is a temporary file pfs writes a statement to before renaming it.
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".pfs-", options: .backwards) else { return false }
        let numbers = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        return numbers.count == 3 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
            && isOwnFileName(String(name[name.index(after: name.startIndex)..<marker.lowerBound]))
    }

    /// The files pfs writes in an output folder: statements, an issued statement's detached
    /// signatures (`<statement>.<party>.sig`), the signers' keys (`<party>.pem`, in `keys/`)
    /// and a portfolio's ledger.
    static func isOwnFileName(_ name: String) -> Bool {
        if Statement.isStatementFileName(name) || Portfolio.ledgerFileNames.contains(name) { return true }
        if name.hasSuffix(".sig") {
            let signed = name.dropLast(4)
            guard let dot = signed.lastIndex(of: ".") else { return false }
            return Statement.isStatementFileName(String(signed[..<dot])) && isIdentifier(signed[signed.index(after: dot)...])
        }
        return name.hasSuffix(".pem") && isIdentifier(name.dropLast(4))
    }

    /// A party's id as pfs writes it in a file name.
    private static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    /// fsync of a file or directory, or syncfs of the file system holding it: nil, or errno.
    private static func flush(_ path: String, syncFileSystem: Bool) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        let result = syncFileSystem ? pfs_syncfs(descriptor) : fsync(descriptor)
        return result == 0 ? nil : errno
    }

    /// `mkdir -p`; a failure names `path`, the statement or folder that needed the directory.
    static func createDirectories(
        _ directory: String, for path: String, doing what: String = "write the statement"
    ) -> Diagnostic? {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o777) != 0, errno != EEXIST { return failure(path, errno, doing: what) }
        }
        var status = stat()
        guard stat(directory, &status) == 0 else { return failure(path, errno, doing: what) }
        return (status.st_mode & S_IFMT) == S_IFDIR ? nil : failure(path, ENOTDIR, doing: what)
    }

    static func failure(_ path: String, _ error: Int32, doing what: String = "write the statement") -> Diagnostic {
        Diagnostic(check: .outputWrite, message: "cannot \(what): " + String(cString: strerror(error)), at: .file(path))
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

}

/// A contract's output folder, locked (flock on the folder itself: nothing is added to it)
/// while pfs writes statements there. The lock is the operating system's: a run that is
/// killed releases it, so a folder is never locked for good. Taking it also removes the
/// temporary files of runs that were killed while writing (every writer holds the lock
/// while its temporary files exist, so any found now are left over).
public final class OutputFolder: @unchecked Sendable {
    /// The temporary files of killed runs that were removed, by path.
    public let removedTemporaries: [String]
    private var descriptor: Int32

    private init(descriptor: Int32, removedTemporaries: [String]) {
        self.descriptor = descriptor
        self.removedTemporaries = removedTemporaries
    }

    /// Why the folder could not be created or locked.
    public struct Failure: Error, Sendable {
        /// An `output-write` diagnostic naming the folder.
        public let diagnostic: Diagnostic
    }

    /// Creates `path` if need be and waits for its lock; `cleaning` names subfolders whose
    /// left-over temporary files are removed too.
    public static func lock(_ path: String, cleaning subfolders: [String] = []) -> Result<OutputFolder, Failure> {
        let what = "create the folder for the statements"
        if let problem = StatementBatch.createDirectories(path, for: path, doing: what) {
            return .failure(Failure(diagnostic: problem))
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(Failure(diagnostic: StatementBatch.failure(path, errno, doing: what)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let failed = errno
                close(descriptor)
                return .failure(
                    Failure(
                        diagnostic: StatementBatch.failure(path, failed, doing: "lock the folder of the statements")))
            }
        }
        let removed = ([path] + subfolders.map { path + "/" + $0 }).flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(
                StatementBatch.isTemporaryName
            ).map { folder + "/" + $0 }
        }.filter { StatementOutput.isRegularFile($0) && unlink($0) == 0 }
        return .success(OutputFolder(descriptor: descriptor, removedTemporaries: removed.sorted()))
    }

    /// Releases the lock (also done when the value goes away).
    public func unlock() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}
