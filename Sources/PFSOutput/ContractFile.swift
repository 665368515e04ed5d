import Foundation
import PFSModel

#if canImport(Glibc)
import Glibc
#endif

/// A contract file that pfs rewrites in place (`pfs actuals`), held under an exclusive
/// lock from before it is read until its new version has replaced it, so that two runs at
/// once never both start from the same version and lose one's values: the second waits,
/// then reads what the first wrote.
///
/// A contract named through a symbolic link is followed on purpose: the file the link
/// points to is locked and rewritten, the link stays a link. The file's permissions are
/// kept (a contract readable only by its owner stays so).
public final class ContractFile: @unchecked Sendable {
    /// The file that is read and rewritten: the path given, or where its links lead.
    public let target: String
    /// Whether `target` was reached through a symbolic link.
    public let followedLink: Bool
    /// The file's permission bits, for its new version.
    public let permissions: mode_t
    private var descriptor: Int32

    private init(target: String, followedLink: Bool, permissions: mode_t, descriptor: Int32) {
        self.target = target
        self.followedLink = followedLink
        self.permissions = permissions
        self.descriptor = descriptor
    }

    /// Locks the contract at `path`, waiting for another pfs run that holds it. The lock is
    /// on the file itself; a run that replaced the file meanwhile leaves the lock on the old
    /// one, so the lock is taken again until it is held on the file the path names now.
    public static func lock(_ path: String) -> Result<ContractFile, OutputFolder.Failure> {
        var link = stat()
        guard lstat(path, &link) == 0 else { return .failure(failure(path, errno, "read the contract")) }
        let followed = (link.st_mode & S_IFMT) == S_IFLNK
        guard let resolved = realpath(path, nil) else { return .failure(failure(path, errno, "follow the link")) }
        let target = followed ? String(cString: resolved) : path
        free(resolved)
        while true {
            let descriptor = open(target, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            guard descriptor >= 0 else { return .failure(failure(target, errno, "read the contract")) }
            var held = stat()
            guard fstat(descriptor, &held) == 0, (held.st_mode & S_IFMT) == S_IFREG else {
                close(descriptor)
                return .failure(
                    OutputFolder.Failure(
                        diagnostic: Diagnostic(
                            check: .outputWrite, message: "not a regular file; pfs rewrites only a contract file",
                            at: .file(target))))
            }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let failed = errno
                    close(descriptor)
                    return .failure(failure(target, failed, "lock the contract"))
                }
            }
            var now = stat()
            if stat(target, &now) == 0, now.st_ino == held.st_ino, now.st_dev == held.st_dev {
                return .success(
                    ContractFile(
                        target: target, followedLink: followed, permissions: now.st_mode & 0o7777,
                        descriptor: descriptor))
            }
            close(descriptor)  // replaced while waiting: lock the new file
        }
    }

    /// Releases the lock (also done when the value goes away).
    public func unlock() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }

    private static func failure(_ path: String, _ error: Int32, _ what: String) -> OutputFolder.Failure {
        OutputFolder.Failure(diagnostic: StatementBatch.failure(path, error, doing: what))
    }
}
