import Crypto
import Foundation
import PFSModel
import SQLKit

/// What an event of the register records.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    /// The register was made.
    case registerCreated = "register-created"
    /// A year was settled from a contract version: the run and its statements.
    case settled
    /// The evaluator reviewed the calculation and signed the statements.
    case reviewed
    /// The finance manager approved the year and signed the statements.
    case approved
    /// The year was sent back, at review or at approval, with a reason.
    case rejected
    /// The statements were issued to the parties.
    case issued
    /// A payer paid a payee what the issued statement says.
    case paid
    /// A party's public key was recorded.
    case keyAdded = "key-added"
    /// A key was retired: signatures made with it later are refused.
    case keyRevoked = "key-revoked"
    /// A contract's values of an issued year were changed (`pfs actuals --correction`), and why.
    case corrected
    /// A register of the old model was given an authority and organisations (`pfs register upgrade`).
    case registerUpgraded = "register-upgraded"
    /// An organisation was recorded by the authority.
    case organisationAdded = "organisation-added"
    /// An organisation was retired: its members act no more.
    case organisationRevoked = "organisation-revoked"
    /// A person acting for an organisation was recorded by the authority.
    case memberAdded = "member-added"
    /// A member was retired: their keys act no more.
    case memberRevoked = "member-revoked"
    /// A contract's party was bound to an organisation by the authority.
    case bindingAdded = "binding-added"
    /// A binding was ended: the organisation acts for the party no more.
    case bindingRevoked = "binding-revoked"
    /// Someone signed in to the portal (`pfs serve`).
    case signedIn = "signed-in"
    /// Someone signed out of the portal, or their session ended.
    case signedOut = "signed-out"
    /// A portal sign-in was refused (wrong password or code, or a locked account).
    case signInRefused = "sign-in-refused"

    /// The kinds that move a contract-year from one state to the next.
    static let transitions: Set<EventKind> = [.settled, .reviewed, .approved, .rejected, .issued, .paid]

    /// The kinds that record who used the portal: they change nothing and no key signs them
    /// (the server holds none); the hash chain still covers them.
    public static let access: Set<EventKind> = [.signedIn, .signedOut, .signInRefused]
}

/// One row of the append-only history. Each event's hash covers its fields, its payload
/// (which names every row it wrote, with that row's SHA-256) and the previous event's
/// hash, so an edit, a deletion or a reordering breaks the chain.
public struct Event: Sendable, Hashable, Codable {
    /// 1, 2, 3, … with no gap.
    public var seq: Int
    /// When, UTC, ISO 8601 with milliseconds.
    public var at: String
    /// What happened (an ``EventKind`` raw value).
    public var kind: String
    /// The contract concerned, if any.
    public var contractId: String?
    /// The fiscal year concerned, if any.
    public var fiscalYear: Int?
    /// Who did it: a party id of the contract (or the party a key was added for).
    public var party: String?
    /// That party's role in the contract, as declared there.
    public var role: String?
    /// The key that signed the event, if one did.
    public var keyId: String?
    /// What the person said (a reason, for a rejection or a revocation).
    public var comment: String?
    /// The details, canonical JSON (sorted keys).
    public var payload: String
    /// Ed25519 signature of ``signedBytes``, base64, when a key signed.
    public var signature: String?
    /// The previous event's hash (64 zeros for the first).
    public var prevHash: String
    /// SHA-256 of ``hashedBytes``, lowercase hex.
    public var hash: String

    /// The bytes a key signs: every field but the signature and the hash.
    public var signedBytes: [UInt8] {
        canonical([
            "seq": .int(seq), "at": .string(at), "kind": .string(kind), "contractId": .optional(contractId),
            "fiscalYear": fiscalYear.map { .int($0) } ?? .null, "party": .optional(party), "role": .optional(role),
            "keyId": .optional(keyId), "comment": .optional(comment), "payload": .string(payload),
            "prevHash": .string(prevHash),
        ])
    }

    /// The bytes hashed: the signed bytes and the signature.
    public var hashedBytes: [UInt8] {
        signedBytes + Array((signature ?? "").utf8)
    }

    /// The hash these fields give.
    public var computedHash: String { hex(SHA256.hash(data: hashedBytes)) }

    /// The zero hash before the first event.
    public static let genesis = String(repeating: "0", count: 64)
}

/// A JSON value written canonically: keys sorted, no spaces, strings escaped as JSON
/// requires (the hash input and the payloads; stable across pfs versions and machines).
enum CanonicalValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([CanonicalValue])
    case object([String: CanonicalValue])

    static func optional(_ text: String?) -> CanonicalValue { text.map { .string($0) } ?? .null }

    /// Refuses a control or text-direction character in any text this value holds.
    func requirePlainText(_ name: String) throws(RegisterError) {
        switch self {
        case .string(let text): try Event.requirePlainText(text, "the \(name)")
        case .array(let values): for value in values { try value.requirePlainText(name) }
        case .object(let members): for (key, value) in members { try value.requirePlainText(key) }
        case .int, .bool, .null: break
        }
    }

    func write(to out: inout String) {
        switch self {
        case .string(let text):
            out += "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        case .int(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                CanonicalValue.string(key).write(to: &out)
                out += ":"
                members[key]?.write(to: &out)
            }
            out += "}"
        }
    }

    var text: String {
        var out = ""
        write(to: &out)
        return out
    }
}

func canonical(_ members: [String: CanonicalValue]) -> [UInt8] { Array(CanonicalValue.object(members).text.utf8) }

func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    digest.map { String(format: "%02x", $0) }.joined()
}

/// SHA-256 of bytes, lowercase hex.
public func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

extension Event {
    static let decoding = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    /// The newest event, inside a writing transaction (the lock is held).
    static func head(_ db: any SQLDatabase) async throws -> Event? {
        try await db.select().column("*").from("events").orderBy("seq", .descending).limit(1)
            .first(decoding: Event.self, with: decoding)
    }

    /// Appends an event after the head, signed by the acting member's key or by the
    /// register's authority (every event pfs makes is one or the other).
    /// The payload is the kind's typed value (EventPayloads.swift); who acted is added here.
    static func append<Payload: Encodable>(
        _ kind: EventKind, contract: String? = nil, year: Int? = nil, actor: Participant? = nil,
        authority: (any EventSigner)? = nil, comment: String? = nil, payload typed: Payload, in db: any SQLDatabase,
        now: Date = Date()
    ) async throws -> Event {
        guard case .object(var payload) = try CanonicalEncoder.encode(typed) else {
            throw RegisterError.database("an event's payload must be an object")
        }
        if let actor {
            // Who acted, inside what the signature and the hash cover.
            payload["actor"] = .object(["member": .string(actor.member), "organisation": .string(actor.organisation)])
        }
        let signer: (any EventSigner)? = actor?.signer ?? authority
        // Every text an event keeps is printed later by status, history and key list: a line
        // break or an escape sequence in it would forge lines there.
        try requirePlainText(comment, "the comment")
        try requirePlainText(actor?.party, "the party")
        // PEM blocks and certificates are pfs's own multi-line text, made from checked parts.
        for (name, value) in payload where !["authority", "publicKey", "certificate"].contains(name) {
            try value.requirePlainText(name)
        }
        let head = try await head(db)
        var event = Event(
            seq: (head?.seq ?? 0) + 1, at: timestamp(signer?.timestamp ?? now), kind: kind.rawValue, contractId: contract,
            fiscalYear: year, party: actor?.party, role: actor?.role ?? (authority == nil ? nil : "authority"),
            keyId: signer?.keyID, comment: comment,
            payload: CanonicalValue.object(payload).text, signature: nil, prevHash: head?.hash ?? genesis, hash: "")
        if let signer {
            event.signature = Data(try signer.signature(of: event.signedBytes, for: .event)).base64EncodedString()
        }
        event.hash = event.computedHash
        try await db.insert(into: "events")
            .model(event, with: SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil))
            .run()
        return event
    }

    /// Refuses a text that holds a control or text-direction character.
    static func requirePlainText(_ text: String?, _ what: String) throws(RegisterError) {
        guard let text, let scalar = text.unicodeScalars.first(where: \.forgesText) else { return }
        throw .input(
            """
            \(what) holds a control or text-direction character \
            (U+\(String(format: "%04X", scalar.value))): write it as plain text on one line
            """)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
