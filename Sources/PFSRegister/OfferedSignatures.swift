import Crypto
import Foundation

/// What a change needs signed before it can be recorded: the statements of a sign-off,
/// then the event itself (whose bytes hold the statements' signatures, the time and the
/// hash of the event before it, so it can only be shown once the statements are signed).
public struct SignatureRequest: Sendable, Hashable {
    /// Statements' exact bytes, in the order pfs signs them.
    public let statements: [[UInt8]]
    /// The event's bytes (``Event/signedBytes``), once no statement is wanted.
    public let event: [UInt8]?
    /// The time the event's bytes hold, to give back with its signature.
    public let at: String?
}

/// Signatures a member made elsewhere, in the browser, offered for a change: pfs asks this
/// signer for each signature as it would ask a key, checks each one offered against the
/// member's registered public key, and when one is missing (or no longer fits: another
/// change came first) refuses with ``RegisterError/signaturesWanted(_:)``, which says
/// what to sign. The private key never leaves the browser.
public final class OfferedSignatures: EventSigner, @unchecked Sendable {
    public let keyID: String
    public let timestamp: Date?
    private let publicKey: Curve25519.Signing.PublicKey
    private let statements: [String: [UInt8]]
    private let event: [UInt8]?
    private let lock = NSLock()
    private var wanted: [[UInt8]] = []

    /// Signatures by `publicKey`: of statements (by the SHA-256 of their bytes, lowercase hex),
    /// and of the event made at `at` (as ``SignatureRequest/at`` gave it); without one, the
    /// event to sign is made at `now`.
    public init(
        publicKey: Curve25519.Signing.PublicKey, statements: [String: [UInt8]] = [:], event: [UInt8]? = nil,
        at: String? = nil, now: Date = Date()
    ) {
        self.publicKey = publicKey
        keyID = SigningKeys.keyID(publicKey)
        self.statements = statements
        self.event = event
        timestamp = at.flatMap(Event.date(timestamp:)) ?? now
    }

    public func signature(of bytes: [UInt8], for purpose: SigningPurpose) throws(RegisterError) -> [UInt8] {
        switch purpose {
        case .statement, .certificate:
            guard let signature = statements[sha256Hex(bytes)] else {
                // Asked for every statement before the event, so that one request lists them all.
                lock.withLock { wanted.append(bytes) }
                return [UInt8](repeating: 0, count: 64)
            }
            guard SigningKeys.isValid(signature, of: bytes, by: publicKey) else {
                let what = purpose == .certificate ? "certificate" : "statement"
                throw .refused(
                    "a \(what)'s signature does not verify with key \(keyID.prefix(16))",
                    hint: "sign the \(what)'s exact bytes with the key, as pfs showed them")
            }
            return signature
        case .event:
            let statementsWanted = lock.withLock { wanted }
            if !statementsWanted.isEmpty {
                throw .signaturesWanted(SignatureRequest(statements: statementsWanted, event: nil, at: nil))
            }
            guard let event, SigningKeys.isValid(event, of: bytes, by: publicKey) else {
                // Not signed yet, or signed over bytes that no longer are the event's (another
                // change was recorded first): these are the bytes to sign now.
                let at = Event.timestamp(from: bytes)
                throw .signaturesWanted(SignatureRequest(statements: [], event: bytes, at: at))
            }
            return event
        }
    }
}

extension Event {
    /// The time an event's `at` holds (as ``SignatureRequest/at`` gives it), read back.
    public static func date(timestamp text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// The `at` of an event's signed bytes.
    static func timestamp(from signedBytes: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(signedBytes)) as? [String: Any] else {
            return nil
        }
        return object["at"] as? String
    }
}
