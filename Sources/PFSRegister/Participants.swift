import Foundation
import Crypto
import PFSModel

/// A private key in use, with the id of its public half.
/// Unchecked: the key is immutable once made.
public struct Signer: @unchecked Sendable {
    /// The key.
    public let key: Curve25519.Signing.PrivateKey
    /// ``SigningKeys/keyID(_:)`` of its public key.
    public let keyID: String

    /// The public key's fingerprint (``SigningKeys/fingerprint(_:)``).
    public var fingerprint: String { SigningKeys.fingerprint(key.publicKey) }

    /// A new key.
    public static func generated() -> Signer {
        let key = SigningKeys.generate()
        return Signer(key: key, keyID: SigningKeys.keyID(key.publicKey))
    }

    private init(key: Curve25519.Signing.PrivateKey, keyID: String) {
        self.key = key
        self.keyID = keyID
    }

    /// The public key, PEM.
    public var publicKeyPEM: String { SigningKeys.pem(key.publicKey) }

    /// Reads a PEM private key file's text.
    public init(pem: String) throws(SigningKeys.Problem) {
        key = try SigningKeys.privateKey(pem: pem)
        keyID = SigningKeys.keyID(key.publicKey)
    }
}

/// What signs an event and a sign-off's statements: a member's private key file (the command
/// line, ``Signer``), or signatures the member's browser made (the portal,
/// ``OfferedSignatures``), which pfs checks against the member's registered public key.
public protocol EventSigner: Sendable {
    /// ``SigningKeys/keyID(_:)`` of the public key.
    var keyID: String { get }
    /// The time the event records; nil for now. A browser signs bytes that hold the time
    /// they were shown at, so its event keeps that time.
    var timestamp: Date? { get }
    /// The 64-byte Ed25519 signature of `bytes`, or a refusal.
    func signature(of bytes: [UInt8], for purpose: SigningPurpose) throws(RegisterError) -> [UInt8]
}

/// What a signature is asked for.
public enum SigningPurpose: Sendable {
    /// A statement's exact bytes, at review or approval.
    case statement
    /// The event that records the change (``Event/signedBytes``).
    case event
    /// The authority's certificate of a member's key or of a binding (its exact text).
    case certificate
}

extension Signer: EventSigner {
    public var timestamp: Date? { nil }

    public func signature(of bytes: [UInt8], for purpose: SigningPurpose) -> [UInt8] {
        SigningKeys.sign(bytes, with: key)
    }
}

/// Who does a transition: a member of the organisation bound to a party of the contract,
/// in the role the contract gives that party, signing with the member's key.
public struct Participant: Sendable {
    /// The party's id in the contract.
    public let party: String
    /// Its role there (`public-sector`, `evaluator`, …).
    public let role: String
    /// The member acting, and the organisation they act for.
    public let member: String
    public let organisation: String
    /// The key that signs.
    public let signer: any EventSigner
}

/// Which role may take a year into which state.
enum Duty {
    case review, approve, issue, pay, settle

    var role: PartyRole {
        switch self {
        case .review: return .evaluator
        case .approve, .issue, .pay, .settle: return .publicSector
        }
    }

    var verb: String {
        switch self {
        case .review: return "review"
        case .approve: return "approve"
        case .issue: return "issue"
        case .pay: return "record a payment"
        case .settle: return "settle"
        }
    }
}
