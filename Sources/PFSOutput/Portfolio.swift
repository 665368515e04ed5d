import Foundation
import PFS
import PFSLoader
import PFSModel
import PFSStatements

#if canImport(Glibc)
import Glibc
#endif

/// Many contracts at once: a prefecture or an outcome fund settles every contract of its
/// portfolio and every year of each term. Work is spread over the machine's cores; memory
/// stays bounded by the contracts in flight, not the portfolio.
public enum Portfolio {
    /// The contract files a run takes, and what it passed over.
    public struct ContractFiles: Sendable {
        /// The files to check, in order: named files as given, each directory's regular
        /// `.xml` files (sorted); a path named twice is taken once.
        public let files: [String]
        /// Warnings (`file-skipped`) for what a directory holds under a `.xml` name but is
        /// not a regular file (a FIFO would block the run, a device never ends).
        public let skipped: [Diagnostic]
    }

    /// The `.xml` files named, with directories expanded to the regular `.xml` files
    /// directly in them (sorted), in the order given.
    public static func contractFiles(_ paths: [String]) -> ContractFiles {
        var files: [String] = []
        var skipped: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let prefix = path.hasSuffix("/") ? path : path + "/"
            for name in names.filter({ $0.hasSuffix(".xml") }).sorted() {
                var status = stat()
                // stat follows a link to a regular file (a contract kept elsewhere), never opens.
                if stat(prefix + name, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
                    files.append(prefix + name)
                } else {
                    skipped.append(
                        Diagnostic(
                            .warning, check: .fileSkipped,
                            message: "not a regular file (a pipe, device, socket or broken link); skipped",
                            hint: "a portfolio folder holds contract files only", at: .file(prefix + name)))
                }
            }
        }
        var seen = Set<String>()
        return ContractFiles(files: files.filter { seen.insert($0).inserted }, skipped: skipped)
    }

    /// The contract id a file declares, where it is, read without checking the file.
    public struct DeclaredID: Sendable, Hashable {
        /// The file.
        public let file: String
        /// The id on its root element.
        public let id: String
        /// The root element's line.
        public let line: Int

        /// Creates one.
        public init(file: String, id: String, line: Int) {
            self.file = file
            self.id = id
            self.line = line
        }
    }

    /// The contract id a checked file declares (nil when it has no readable root element).
    public static func declaredID(of checked: PFS.CheckResult, file: String) -> DeclaredID? {
        if let contract = checked.contract {
            return DeclaredID(file: file, id: contract.id, line: contract.location.line)
        }
        return ContractLoader.declaredID(bytes: checked.bytes).map { DeclaredID(file: file, id: $0.id, line: $0.line) }
    }

    /// The contract id the file at `path` declares (nil when it has no readable root).
    public static func declaredID(path: String) -> DeclaredID? {
        guard case .success(let bytes) = ContractLoader.read(path: path, displayName: path),
            let declared = ContractLoader.declaredID(bytes: bytes)
        else { return nil }
        return DeclaredID(file: path, id: declared.id, line: declared.line)
    }

    /// A `duplicate-contract-id` error for every file that declares the same contract id as
    /// another file of the run, naming the others: their statements would go to one folder.
    public static func duplicateIDs(_ declared: [DeclaredID]) -> [String: Diagnostic] {
        let byID = Dictionary(grouping: declared, by: \.id).filter { $0.value.count > 1 }
        var problems: [String: Diagnostic] = [:]
        for (id, files) in byID {
            for file in files {
                let others = files.filter { $0.file != file.file }.map(\.file)
                problems[file.file] = Diagnostic(
                    check: .duplicateContractID,
                    message:
                        """
                        contract id '\(id)' is also declared by \(others.joined(separator: ", ")); neither is \
                        settled, since their statements would go to one folder
                        """,
                    hint: "give each contract its own id, or settle one version at a time",
                    at: SourceLocation(file: file.file, line: file.line, column: 0))
            }
        }
        return problems
    }
}
