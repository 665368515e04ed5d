import CFileSystem
import Foundation
import PFS
import PFSModel

#if canImport(Glibc)
import Glibc
#endif

/// A file written piece by piece under a hidden temporary name beside `path`; once
/// ``finish()``ed it belongs to its ``StatementBatch`` and takes its name at the batch's
/// commit. A portfolio's ledger is written this way as contracts are settled, so that no
/// run holds its rows in memory.
public final class StagedFile: @unchecked Sendable {
    /// Where the file goes at commit.
    public let path: String
    let temporary: String
    private var descriptor: Int32
    private var pending: [UInt8] = []
    private let batch: StatementBatch
    /// Bytes gathered before they are written (fewer, larger writes).
    private static let chunk = 1 << 20

    init(path: String, temporary: String, descriptor: Int32, batch: StatementBatch) {
        self.path = path
        self.temporary = temporary
        self.descriptor = descriptor
        self.batch = batch
    }

    /// Adds `bytes` to the file.
    public func append(_ bytes: [UInt8]) -> Diagnostic? {
        pending += bytes
        return pending.count >= Self.chunk ? flushPending() : nil
    }

    /// Adds what `other` holds so far (its pending bytes written first), read back from its
    /// temporary file.
    public func append(contentsOf other: StagedFile) -> Diagnostic? {
        if let problem = other.flushPending() { return problem }
        let source = open(other.temporary, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { return StatementBatch.failure(other.path, errno) }
        defer { close(source) }
        var buffer = [UInt8](repeating: 0, count: Self.chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return StatementBatch.failure(other.path, errno)
            }
            if count == 0 { return nil }
            if let problem = append(Array(buffer[..<count])) { return problem }
        }
    }

    /// Writes what remains, starts the file's writeback and hands it to the batch.
    public func finish() -> Diagnostic? {
        if let problem = flushPending() {
            abandon()
            return problem
        }
        _ = pfs_start_writeback(descriptor)
        let closed = close(descriptor) == 0 ? nil : errno
        descriptor = -1
        if let failed = closed {
            unlink(temporary)
            return StatementBatch.failure(path, failed)
        }
        batch.adopt(temporary: temporary, path: path)
        return nil
    }

    /// Removes the file (after a failure, or for a file that was only a step on the way).
    public func abandon() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporary)
    }

    private func flushPending() -> Diagnostic? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        var written = 0
        let error: Int32? = pending.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        return error.map { StatementBatch.failure(path, $0) }
    }
}
