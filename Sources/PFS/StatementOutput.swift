import CFileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PFSModel
import PFSStatements

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
        /// Write the content to this path.
        case write(path: String, content: String)
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
    /// the directory untouched.
    public static func plan(_ statements: [(path: String, content: String)], newRevision: Bool) -> Result<[Action], SettlementFailure> {
        var actions: [Action] = []
        var refusals: [Diagnostic] = []
        for (path, content) in statements {
            let revisions = existingRevisions(of: path)
            guard let latest = revisions.last else {
                actions.append(.write(path: path, content: content))
                continue
            }
            if holds(latest.path, content) {
                actions.append(.unchanged(path: latest.path))
            } else if newRevision {
                actions.append(.write(path: revisionPath(path, latest.number + 1), content: content))
            } else {
                refusals.append(Diagnostic(
                    check: "statement-exists",
                    message: "already holds a different statement; pfs does not overwrite an issued statement",
                    hint: "compare the two; to issue a corrected statement run again with --new-revision, which writes \(PFS.lastPathComponent(revisionPath(path, latest.number + 1))) beside it",
                    at: .file(latest.path)))
            }
        }
        return refusals.isEmpty ? .success(actions) : .failure(SettlementFailure(refusals))
    }

    /// Writes `bytes` atomically and durably: to a temporary file in the same directory,
    /// flushed to disk, then renamed over the target, so a reader or an interrupted run
    /// sees the old file or the new one, never part of one. A failure is returned as an
    /// `output-write` diagnostic.
    public static func write(_ bytes: [UInt8], to path: String) -> Diagnostic? {
        let batch = StatementBatch()
        if let problem = batch.stage(bytes, to: path) { return problem }
        return batch.commit()
    }

    /// Writes a statement atomically; a failure is returned as an `output-write` diagnostic.
    public static func write(_ content: String, to path: String) -> Diagnostic? {
        write(Array(content.utf8), to: path)
    }

    /// Carries out planned actions in order: the actions done (written or unchanged), and the
    /// problem that stopped them, if any.
    public static func apply(_ actions: [Action]) -> (done: [Action], problem: Diagnostic?) {
        var done: [Action] = []
        for action in actions {
            if case .write(let path, let content) = action, let problem = write(content, to: path) { return (done, problem) }
            done.append(action)
        }
        return (done, nil)
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

    /// An empty set.
    public init() {}

    /// Writes `bytes` to a temporary file beside `path`, creating its directory if need
    /// be; the file takes the name `path` at ``commit()``. Safe to call from several threads.
    public func stage(_ bytes: [UInt8], to path: String) -> Diagnostic? {
        let directory = Self.directory(of: path)
        if !locked({ directories.contains(directory) }) {
            if let problem = Self.createDirectories(directory, for: path) { return problem }
            locked { _ = directories.insert(directory) }
        }
        let number = locked { () -> Int in
            counter += 1
            return counter
        }
        let temporary = directory + "/." + PFS.lastPathComponent(path) + ".pfs-\(getpid())-\(UInt(bitPattern: ObjectIdentifier(self).hashValue))-\(number)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return Self.failure(path, errno) }
        var written = 0
        let error: Int32? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        if error == nil { _ = pfs_start_writeback(descriptor) }
        let closed = close(descriptor) == 0 ? nil : errno
        if let failed = error ?? closed {
            unlink(temporary)
            return Self.failure(path, failed)
        }
        locked { staged.append((temporary, path)) }
        return nil
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
        let flushed: Int32? = files.count == 1 ? Self.flush(first.temporary, syncFileSystem: false)
                                               : Self.flush(Self.directory(of: first.path), syncFileSystem: true)
        if let failed = flushed {
            files.forEach { unlink($0.temporary) }
            return Self.failure(first.path, failed)
        }
        for (index, file) in files.enumerated() where rename(file.temporary, file.path) != 0 {
            let failed = errno
            files[index...].forEach { unlink($0.temporary) }
            return Self.failure(file.path, failed)
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

    /// fsync of a file or directory, or syncfs of the file system holding it: nil, or errno.
    private static func flush(_ path: String, syncFileSystem: Bool) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        let result = syncFileSystem ? pfs_syncfs(descriptor) : fsync(descriptor)
        return result == 0 ? nil : errno
    }

    /// `mkdir -p`; a failure names the statement that needed the directory.
    private static func createDirectories(_ directory: String, for path: String) -> Diagnostic? {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o777) != 0, errno != EEXIST { return failure(path, errno) }
        }
        var status = stat()
        guard stat(directory, &status) == 0 else { return failure(path, errno) }
        return (status.st_mode & S_IFMT) == S_IFDIR ? nil : failure(path, ENOTDIR)
    }

    private static func failure(_ path: String, _ error: Int32) -> Diagnostic {
        Diagnostic(check: "output-write", message: "cannot write the statement: " + String(cString: strerror(error)), at: .file(path))
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

}
