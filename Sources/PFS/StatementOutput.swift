import Foundation
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
        FileManager.default.contents(atPath: path).map { Array($0) == Array(content.utf8) } ?? false
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
                    hint: "compare the two; to issue a corrected statement run again with --new-revision, which writes \(fileName(revisionPath(path, latest.number + 1))) beside it",
                    at: .file(latest.path)))
            }
        }
        return refusals.isEmpty ? .success(actions) : .failure(SettlementFailure(refusals))
    }

    /// Writes `content` atomically: to a temporary file in the same directory, then renamed
    /// over the target, so a reader or an interrupted run sees the old file or the new one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
    }

    /// Writes a statement atomically; a failure is returned as an `output-write` diagnostic.
    public static func write(_ content: String, to path: String) -> Diagnostic? {
        write(Array(content.utf8), to: path)
    }

    /// Writes a statement's bytes atomically; a failure is returned as an `output-write` diagnostic.
    public static func write(_ bytes: [UInt8], to path: String) -> Diagnostic? {
        do {
            try writeAtomically(bytes, to: path)
            return nil
        } catch {
            return Diagnostic(check: "output-write", message: "cannot write the statement: \(error.localizedDescription)", at: .file(path))
        }
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

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
