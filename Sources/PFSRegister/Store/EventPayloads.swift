import Foundation
import PFSModel

/// What each kind of event records, as typed values: written through ``CanonicalEncoder``
/// (the canonical JSON the hash and the signature cover), read back with `JSONDecoder`.
/// Members a register made by an earlier engine may lack are optional; an amount is a
/// decimal string, as the statements write it.
enum EventPayload {
    case opened(RegisterOpened)
    case settled(SettledPayload)
    case signedOff(SignOffPayload)
    case rejected(RejectedPayload)
    case issued(RunPayload)
    case paid(PaidPayload)
    case keyAdded(KeyAddedPayload)
    case corrected(CorrectedPayload)
    case organisationAdded(OrganisationAddedPayload)
    case memberAdded(MemberAddedPayload)
    case bindingAdded(BindingAddedPayload)
    case revoked(RevokedPayload)
    case access(AccessPayload)

    /// The event's payload as its kind records it; nil when the kind is unknown or the
    /// payload is not what the kind records.
    init?(_ event: Event) {
        guard let kind = EventKind(rawValue: event.kind) else { return nil }
        self.init(kind, payload: event.payload)
    }

    /// A payload of `kind`, from its canonical JSON.
    init?(_ kind: EventKind, payload text: String) {
        func decode<T: Decodable>(_ type: T.Type) -> T? { Self.decode(type, from: text) }
        let payload: EventPayload?
        switch kind {
        case .registerCreated, .registerUpgraded: payload = decode(RegisterOpened.self).map(Self.opened)
        case .settled: payload = decode(SettledPayload.self).map(Self.settled)
        case .reviewed, .approved: payload = decode(SignOffPayload.self).map(Self.signedOff)
        case .rejected: payload = decode(RejectedPayload.self).map(Self.rejected)
        case .issued: payload = decode(RunPayload.self).map(Self.issued)
        case .paid: payload = decode(PaidPayload.self).map(Self.paid)
        case .keyAdded: payload = decode(KeyAddedPayload.self).map(Self.keyAdded)
        case .corrected: payload = decode(CorrectedPayload.self).map(Self.corrected)
        case .organisationAdded: payload = decode(OrganisationAddedPayload.self).map(Self.organisationAdded)
        case .memberAdded: payload = decode(MemberAddedPayload.self).map(Self.memberAdded)
        case .bindingAdded: payload = decode(BindingAddedPayload.self).map(Self.bindingAdded)
        case .keyRevoked, .memberRevoked, .organisationRevoked, .bindingRevoked:
            payload = decode(RevokedPayload.self).map(Self.revoked)
        case .signedIn, .signedOut, .signInRefused: payload = decode(AccessPayload.self).map(Self.access)
        }
        guard let payload else { return nil }
        self = payload
    }

    /// A payload's JSON as `type`; nil when it is not one.
    static func decode<T: Decodable>(_ type: T.Type, from text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// Who acted for an organisation, when a member did.
    var actor: ActorPayload? {
        switch self {
        case .settled(let p): return p.actor
        case .signedOff(let p): return p.actor
        case .rejected(let p): return p.actor
        case .issued(let p): return p.actor
        case .paid(let p): return p.actor
        case .corrected(let p): return p.actor
        case .opened, .keyAdded, .organisationAdded, .memberAdded, .bindingAdded, .revoked, .access: return nil
        }
    }
}

/// The member who acted and the organisation they acted for, inside what the signature covers.
struct ActorPayload: Codable, Hashable {
    let member: String
    let organisation: String
}

/// A register made (`register-created`) or given an authority (`register-upgraded`).
struct RegisterOpened: Codable, Hashable {
    var format: String? = nil
    var engine: String?
    /// The authority's public key (PEM) and fingerprint; absent in a register of the old model.
    var authority: String?
    var authorityFingerprint: String?
    var migrations: [MigrationRecord]?
    /// The last event of the old model (an upgrade).
    var oldModelThrough: Int? = nil
}

/// A schema migration applied, as its row records it.
struct MigrationRecord: Codable, Hashable {
    let version: Int
    let description: String
    let appliedAt: String
    let engine: String
}

/// A year settled: the run, its statements, what is due, and for an adjustment what it corrects.
struct SettledPayload: Codable, Hashable {
    /// A contract version the run recorded first.
    struct NewVersion: Codable, Hashable {
        let id: Int
        let sha256: String
    }

    /// A statement of the run.
    struct Statement: Codable, Hashable {
        let id: Int
        let path: String
        let sha256: String
    }

    /// What a payer owes a payee.
    struct Owed: Codable, Hashable {
        let payer: String
        let payee: String
        let amount: String
    }

    /// A line due under a clause (`amount`), or an adjustment's line (`issued`, `restated`
    /// and their `difference`).
    struct Line: Codable, Hashable {
        let payer: String
        let payee: String
        let clause: String
        var kind: String? = nil
        var amount: String? = nil
        var issued: String? = nil
        var restated: String? = nil
        var difference: String? = nil
    }

    var newContractVersion: NewVersion?
    let run: Int
    var paymentYear: Int?
    var contractVersion: Int?
    var sha256: String?
    var digest: String?
    var engine: String?
    var rules: String?
    var settlementSHA256: String?
    var settlementDigest: String?
    var statements: [Statement]?
    var dues: [Owed]?
    var paidToDate: String?
    var remaining: String?
    /// The year's lines (an adjustment's: the differences).
    var lines: [Line]?
    /// Credits of earlier corrections deducted from what this run owes.
    var netted: [Line]?
    /// An adjustment: its number, the run it corrects, why, the digest before, the
    /// contract's correction policy and the credits it leaves for later payments.
    var adjustment: Int?
    var corrects: Int?
    var reason: String?
    var digestBefore: String?
    var policy: String?
    var credits: [Line]?
    var actor: ActorPayload?
}

/// A review or an approval: the run and the signature of each statement.
struct SignOffPayload: Codable, Hashable {
    struct Signature: Codable, Hashable {
        let statement: Int
        let sha256: String
        let signature: String
    }

    let run: Int
    let signatures: [Signature]
    var actor: ActorPayload?
}

/// A year sent back, and where (`review`, `approval`).
struct RejectedPayload: Codable, Hashable {
    let run: Int
    let at: String
    var actor: ActorPayload?
}

/// An event about a run and nothing more (`issued`).
struct RunPayload: Codable, Hashable {
    let run: Int
    var actor: ActorPayload?
}

/// A payment made.
struct PaidPayload: Codable, Hashable {
    let payment: Int
    let payer: String
    let payee: String
    let amount: String
    let date: String
    let reference: String
    let run: Int
    var actor: ActorPayload?
}

/// A public key recorded: a member's with its certificate, or (old model) a party's.
struct KeyAddedPayload: Codable, Hashable {
    let keyId: String
    var member: String?
    var organisation: String?
    var party: String?
    var publicKey: String?
    var publicKeySHA256: String?
    var certificate: String?
    var certificateSignature: String?
}

/// A contract's values of an issued year changed.
struct CorrectedPayload: Codable, Hashable {
    struct Value: Codable, Hashable {
        let kpi: String
        let year: Int
        let series: String
        let before: String
        let after: String
    }

    let fromSHA256: String
    let toSHA256: String
    let values: [Value]
    var actor: ActorPayload?
}

struct OrganisationAddedPayload: Codable, Hashable {
    let organisation: String
    let kind: String
    let nameJa: String
    let nameEn: String
}

struct MemberAddedPayload: Codable, Hashable {
    let member: String
    let organisation: String
    let nameJa: String
    let nameEn: String
}

struct BindingAddedPayload: Codable, Hashable {
    let binding: Int
    let contract: String
    let party: String
    let role: String
    let organisation: String
    let certificate: String
    let certificateSignature: String
}

/// What a revocation names: a key, a member, an organisation, or a contract's party.
struct RevokedPayload: Codable, Hashable {
    var keyId: String? = nil
    var member: String? = nil
    var organisation: String? = nil
    var contract: String? = nil
    var party: String? = nil
}

/// A sign-in, a sign-out or a refused sign-in to the portal.
struct AccessPayload: Codable, Hashable {
    let account: String
    var member: String? = nil
}

extension SettledPayload.Line {
    /// A line due, as a run records it.
    init(_ line: DueLine) {
        self.init(payer: line.payer, payee: line.payee, clause: line.clause, kind: line.kind, amount: line.amount.description)
    }

    /// The line due it records (an adjustment's line: its amount is its difference's).
    var due: DueLine {
        DueLine(
            payer: payer, payee: payee, clause: clause, kind: kind ?? "",
            amount: amount.flatMap(ExactDecimal.init(plain:)) ?? .zero)
    }

    /// What the line adds to what is due: an adjustment line its difference, else its amount.
    var booked: ExactDecimal { difference.flatMap(ExactDecimal.init(plain:)) ?? due.amount }
}
