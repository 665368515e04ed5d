import CFileSystem
import Foundation
import PFS
import PFSModel
import PFSStatements

#if canImport(Glibc)
import Glibc
#endif

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
