import CFileSystem
import Foundation
import PFS
import PFSModel
import PFSStatements

#if canImport(Glibc)
import Glibc
#endif

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
            return Statement.isStatementFileName(String(signed[..<dot]))
                && signed[signed.index(after: dot)...].isContractIdentifier
        }
        return name.hasSuffix(".pem") && name.dropLast(4).isContractIdentifier
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
