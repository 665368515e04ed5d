import Foundation
import PFSStatements
import ZIPFoundation

/// Whether a file is a statement pfs wrote for a contract, by its content: before pfs
/// removes a file that only its name makes look like a statement (`settlement-FY2099.en.txt`
/// written by hand), it checks that the file says it is pfs's statement of that contract.
///
/// Every statement names its contract and the engine that made it: JSON records
/// `contract.id` and `engine.name`; text, Markdown, HTML and CSV statements show the
/// contract id and `pfs <version>`; a workbook holds both in its sheets; a PDF carries
/// `pfs <version>` as its creator (the HTML's generator) and the contract's digest is not
/// readable without a PDF parser, so a PDF is recognised by its creator and its name.
public enum StatementRecognition {
    /// The largest file examined (a statement is a few MiB at most).
    static let maxBytes = 64 << 20

    /// Whether the file at `path` is pfs's statement of contract `contractID`.
    public static func isStatement(at path: String, of contractID: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxBytes + 1), data.count <= maxBytes else { return false }
        let name = (path as NSString).lastPathComponent
        switch StatementFormat.allCases.first(where: { name.hasSuffix("." + $0.fileExtension) }) {
        case .json?:
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let contract = object["contract"] as? [String: Any], let engine = object["engine"] as? [String: Any]
            else { return false }
            return contract["id"] as? String == contractID && engine["name"] as? String == "pfs"
        case .text?, .md?, .html?, .csv?:
            return namesContractAndEngine(String(decoding: data, as: UTF8.self), contractID)
        case .xlsx?:
            guard let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else { return false }
            var text = ""
            for entry in archive where entry.path.hasSuffix(".xml") && entry.uncompressedSize <= UInt64(maxBytes) {
                var part = Data()
                guard (try? archive.extract(entry, consumer: { part.append($0) })) != nil else { return false }
                text += String(decoding: part, as: UTF8.self)
            }
            return namesContractAndEngine(text, contractID)
        case .pdf?:
            return data.starts(with: Array("%PDF-".utf8)) && hasEngine(String(decoding: data, as: UTF8.self))
        case nil:
            return false
        }
    }

    private static func namesContractAndEngine(_ text: String, _ contractID: String) -> Bool {
        text.contains(contractID) && hasEngine(text)
    }

    /// `pfs 0.1.0`, as statements name their engine.
    private static func hasEngine(_ text: String) -> Bool {
        text.range(of: #"pfs [0-9]+\.[0-9]+"#, options: .regularExpression) != nil
    }
}
