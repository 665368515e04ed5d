import Crypto
import Foundation

/// Ed25519 keys in the encodings OpenSSL reads, so a contractor or auditor can check a
/// signature without pfs: public keys as PEM SubjectPublicKeyInfo, private keys as PEM
/// PKCS #8, signatures as the 64 raw bytes (`openssl pkeyutl -verify -rawin`).
public enum SigningKeys {
    /// RFC 8410: the DER of an Ed25519 SubjectPublicKeyInfo is this prefix and the 32-byte key.
    static let publicKeyPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    /// RFC 8410: the DER of an Ed25519 OneAsymmetricKey (PKCS #8, version 0) and the 32-byte seed.
    static let privateKeyPrefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    /// Why a key file could not be used.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notPEM(label: String)
        case notEd25519(label: String)

        public var description: String {
            switch self {
            case .notPEM(let label): return "is not a PEM file with one \"\(label)\" block"
            case .notEd25519(let label): return "holds a \(label) that is not an Ed25519 key (RFC 8410)"
            }
        }
    }

    /// A new private key.
    public static func generate() -> Curve25519.Signing.PrivateKey { Curve25519.Signing.PrivateKey() }

    /// The private key as PEM (PKCS #8, "PRIVATE KEY").
    public static func pem(_ key: Curve25519.Signing.PrivateKey) -> String {
        pem(label: "PRIVATE KEY", der: privateKeyPrefix + Array(key.rawRepresentation))
    }

    /// The public key as PEM (SubjectPublicKeyInfo, "PUBLIC KEY").
    public static func pem(_ key: Curve25519.Signing.PublicKey) -> String {
        pem(label: "PUBLIC KEY", der: publicKeyPrefix + Array(key.rawRepresentation))
    }

    /// Reads a private key written by ``pem(_:)-(Curve25519.Signing.PrivateKey)`` or by
    /// `openssl genpkey -algorithm ed25519`.
    public static func privateKey(pem text: String) throws(Problem) -> Curve25519.Signing.PrivateKey {
        let der = try der(pem: text, label: "PRIVATE KEY")
        guard der.count == privateKeyPrefix.count + 32, Array(der.prefix(privateKeyPrefix.count)) == privateKeyPrefix,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
        else { throw .notEd25519(label: "PRIVATE KEY") }
        return key
    }

    /// Reads a public key (SubjectPublicKeyInfo PEM).
    public static func publicKey(pem text: String) throws(Problem) -> Curve25519.Signing.PublicKey {
        let der = try der(pem: text, label: "PUBLIC KEY")
        guard der.count == publicKeyPrefix.count + 32, Array(der.prefix(publicKeyPrefix.count)) == publicKeyPrefix,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
        else { throw .notEd25519(label: "PUBLIC KEY") }
        return key
    }

    /// A key's id: the SHA-256 of its raw 32 bytes, lowercase hex, first 16 digits shown.
    public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: key.rawRepresentation).map { String(format: "%02x", $0) }.joined()
    }

    /// A key's fingerprint as OpenSSL prints it: the SHA-256 of its DER SubjectPublicKeyInfo
    /// (`openssl pkey -pubin -in KEY.pem -outform DER | openssl dgst -sha256`).
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        sha256Hex(publicKeyPrefix + Array(key.rawRepresentation))
    }

    /// Signs bytes (Ed25519 is deterministic: the same key and bytes give the same signature).
    public static func sign(_ bytes: [UInt8], with key: Curve25519.Signing.PrivateKey) -> [UInt8] {
        // Signing can only fail on a hardware-backed key; a software key always signs.
        (try? Array(key.signature(for: bytes))) ?? []
    }

    /// Whether `signature` is `key`'s over exactly `bytes`.
    public static func isValid(_ signature: [UInt8], of bytes: [UInt8], by key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: bytes)
    }

    static func pem(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    static func der(pem text: String, label: String) throws(Problem) -> [UInt8] {
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
        else { throw .notPEM(label: label) }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else { throw .notPEM(label: label) }
        return Array(data)
    }
}
