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
                if keys.updateValue(signature.publicKeyPEM, forKey: signature.party) == nil { order.append(signature.party) }
            }
        }
        for party in order {
            files.append(File(path: output + "/" + contract + "/keys/" + party + ".pem", bytes: Array((keys[party] ?? "").utf8)))
        }
        return files
    }
}
