import Foundation
import PFSModel

/// The files an issue writes: each statement, its detached signatures, the signers' keys.
public enum IssuedFiles {
    /// One file to write.
    public struct File: Sendable {
        public let path: String
        public let bytes: [UInt8]
    }

    /// One statement to hand over: its file name, bytes and the signatures collected for
    /// it (none for a format made at issue from the signed statements).
    public struct Handed: Sendable {
        public let name: String
        public let bytes: [UInt8]
        public let signatures: [StatementSignature]

        public init(name: String, bytes: [UInt8], signatures: [StatementSignature]) {
            self.name = name
            self.bytes = bytes
            self.signatures = signatures
        }
    }

    /// The folder, under the contract's, of the party a statement is handed to: a payout
    /// statement to its contractor's, the annual settlement, the audit trail and an
    /// adjustment to each public-sector party's — so that a contractor's folder holds its
    /// own statements only, never the city's audit trail.
    public static func recipients(of name: String, in contract: Contract) -> [String] {
        if name.hasPrefix("payout-"), let year = name.range(of: "-FY", options: .backwards) {
            return [String(name[name.index(name.startIndex, offsetBy: "payout-".count)..<year.lowerBound])]
        }
        return contract.parties.filter { $0.role == .publicSector }.map(\.id)
    }

    /// The files of an issue under `output`: `<contract>/<recipient>/<statement>`, its
    /// `.<party>.sig` files beside it, and `<contract>/keys/<party>.pem`.
    public static func files(_ handed: [Handed], under output: String, contract: Contract) -> [File] {
        var files: [File] = []
        var keys: [String: String] = [:]
        var order: [String] = []
        let base = output + "/" + contract.id
        for statement in handed {
            for recipient in recipients(of: statement.name, in: contract) {
                let path = base + "/" + recipient + "/" + statement.name
                files.append(File(path: path, bytes: statement.bytes))
                for signature in statement.signatures {
                    files.append(File(path: path + "." + signature.party + ".sig", bytes: signature.signature))
                }
            }
            for signature in statement.signatures where keys.updateValue(signature.publicKeyPEM, forKey: signature.party) == nil {
                order.append(signature.party)
            }
        }
        for party in order {
            files.append(File(path: base + "/keys/" + party + ".pem", bytes: Array((keys[party] ?? "").utf8)))
        }
        return files
    }
}

/// The detached signature files an issue wrote beside a statement.
public enum SignatureFiles {
    /// `STATEMENT.<party>.sig` files in the statement's folder, with the party from the name.
    public static func beside(_ statement: String) -> [(party: String, signature: [UInt8])] {
        let url = URL(fileURLWithPath: statement)
        let folder = url.deletingLastPathComponent()
        let prefix = url.lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasPrefix(prefix), name.hasSuffix(".sig") else { return nil }
            let party = String(name.dropFirst(prefix.count).dropLast(4))
            guard !party.isEmpty, !party.contains("."),
                let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
            else { return nil }
            return (party, Array(bytes))
        }
    }
}
