import Foundation

/// The files an issue writes: each statement, its detached signatures, the signers' keys.
public enum IssuedFiles {
    /// One file to write.
    public struct File: Sendable {
        public let path: String
        public let bytes: [UInt8]
    }

    /// `statement`, `statement.<party>.sig` (raw 64-byte Ed25519 signature over the exact
    /// bytes, what `openssl pkeyutl -verify -rawin -sigfile` reads) and `keys/<party>.pem`.
    public static func files(_ statements: [IssuedStatement], under output: String, contract: String) -> [File] {
        var files: [File] = []
        var keys: [String: String] = [:]
        var order: [String] = []
        for statement in statements {
            let path = output + "/" + statement.path
            files.append(File(path: path, bytes: statement.bytes))
            for signature in statement.signatures {
                files.append(File(path: path + "." + signature.party + ".sig", bytes: signature.signature))
                if keys.updateValue(signature.publicKeyPEM, forKey: signature.party) == nil {
                    order.append(signature.party)
                }
            }
        }
        for party in order {
            files.append(
                File(path: output + "/" + contract + "/keys/" + party + ".pem", bytes: Array((keys[party] ?? "").utf8)))
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
