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
    public let signer: Signer
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
