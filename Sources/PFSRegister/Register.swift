import Crypto
import Foundation
import PFS
import PFSModel
import SQLKit

/// The settlement register: what was settled, reviewed, approved, issued and paid on each
/// contract and year, signed by who did it, in SQLite or PostgreSQL. Every method is one
/// transaction: it records everything or nothing.
public final class Register: @unchecked Sendable {
    /// The open connection.
    public let store: RegisterStore
    /// The engine version recorded with every run.
    public let engine: String

    init(store: RegisterStore, engine: String) {
        self.store = store
        self.engine = engine
    }

    /// Makes a new, empty register (the tables and the first event).
    public static func create(
        _ location: RegisterLocation, engine: String = PFS.version
    ) async throws(RegisterError)
        -> Register
    {
        if case .sqlite(let path) = location, FileManager.default.fileExists(atPath: path) {
            throw .exists(location.description)
        }
        let store = try await RegisterStore.open(location, creating: true)
        let register = Register(store: store, engine: engine)
        do throws(RegisterError) {
            if try await register.schemaVersion() != nil { throw RegisterError.exists(location.description) }
            try await register.attempt {
                try await store.writingUnlocked { db in
                    for migration in Schema.migrations {
                        try await migration.apply(db, store.backend)
                        try await register.recordMigration(migration, in: db)
                    }
                    _ = try await Event.append(
                        .registerCreated, payload: ["format": .string("pfs-register"), "engine": .string(engine)],
                        in: db)
                }
            }
        } catch {
            await store.close()
            throw error
        }
        return register
    }

    /// Opens an existing register, refusing one written by a newer pfs.
    public static func open(
        _ location: RegisterLocation, engine: String = PFS.version
    ) async throws(RegisterError)
        -> Register
    {
        let store = try await RegisterStore.open(location)
        let register = Register(store: store, engine: engine)
        do throws(RegisterError) {
            guard let version = try await register.schemaVersion() else {
                throw RegisterError.notFound(location.description)
            }
            if version > Schema.version { throw RegisterError.newerSchema(found: version, known: Schema.version) }
        } catch {
            await store.close()
            throw error
        }
        return register
    }

    /// Closes the connection.
    public func close() async { await store.close() }

    /// The newest migration applied, or nil when the database holds no register.
    func schemaVersion() async throws(RegisterError) -> Int? {
        try await attempt {
            let exists: Bool
            switch store.backend {
            case .sqlite:
                exists =
                    try await store.sql.raw(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'register_migrations'"
                    ).first() != nil
            case .postgres:
                exists =
                    try await store.sql.raw(
                        """
                        SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = \
                        'register_migrations'
                        """
                    ).first() != nil
            }
            guard exists else { return nil }
            return try await store.sql.raw("SELECT MAX(version) AS version FROM register_migrations")
                .first(decodingColumn: "version", as: Int?.self) ?? nil
        }
    }

    private func recordMigration(_ migration: Schema.Migration, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO register_migrations (version, description, applied_at, engine)
            VALUES (\(bind: migration.version), \(bind: migration.description), \(bind: Event.timestamp(Date())),
            \(bind: engine))
            """
        ).run()
    }

    /// Runs database work, turning the driver's errors into ``RegisterError/database(_:)``
    /// and letting refusals through.
    func attempt<T>(_ body: () async throws -> T) async throws(RegisterError) -> T {
        do {
            return try await body()
        } catch let error as RegisterError {
            throw error
        } catch {
            throw .database(RegisterStore.describe(error))
        }
    }

    /// One writing transaction (see ``RegisterStore/writing(_:)``).
    func write<T>(_ body: (any SQLDatabase) async throws -> T) async throws(RegisterError) -> T {
        try await attempt { try await store.writing(body) }
    }

    /// One consistent read.
    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws(RegisterError) -> T {
        try await attempt { try await store.reading(body) }
    }

    // MARK: Keys

    /// Records a party's public key (itself an event in the history).
    public func addKey(
        party: String, publicKeyPEM: String, comment: String? = nil
    ) async throws(RegisterError)
        -> String
    {
        let key: Curve25519.Signing.PublicKey
        do {
            key = try SigningKeys.publicKey(pem: publicKeyPEM)
        } catch {
            throw .input("the public key file \(error)")
        }
        let keyID = SigningKeys.keyID(key)
        let pem = SigningKeys.pem(key)
        return try await write { db in
            if let existing = try await db.select().column("party").from("signing_keys")
                .where("key_id", .equal, keyID).first(decodingColumn: "party", as: String.self)
            {
                throw RegisterError.refused(
                    "key \(keyID.prefix(16)) is already registered for party '\(existing)'",
                    hint: "a key belongs to one party; generate a new key for '\(party)' with `pfs key generate`")
            }
            let event = try await Event.append(
                .keyAdded, actor: Participant(party: party, role: "key-holder", signer: nil), comment: comment,
                payload: [
                    "keyId": .string(keyID), "party": .string(party),
                    "publicKeySHA256": .string(sha256Hex(Array(pem.utf8))),
                ],
                in: db)
            try await db.raw(
                """
                INSERT INTO signing_keys (key_id, event_seq, party, public_key)
                VALUES (\(bind: keyID), \(bind: event.seq), \(bind: party), \(bind: pem))
                """
            ).run()
            return keyID
        }
    }

    /// Retires a key: later signatures with it are refused; earlier ones stay valid.
    public func revokeKey(keyID prefix: String, reason: String) async throws(RegisterError) {
        try await write { db in
            let key = try await self.key(matching: prefix, in: db)
            if try await self.revokedKeys(in: db).contains(key.keyID) {
                throw RegisterError.refused("key \(key.keyID.prefix(16)) is already revoked", hint: "nothing to do")
            }
            _ = try await Event.append(
                .keyRevoked, actor: Participant(party: key.party, role: "key-holder", signer: nil), comment: reason,
                payload: ["keyId": .string(key.keyID)], in: db)
        }
    }

    struct RegisteredKey {
        let keyID: String
        let party: String
        let publicKey: Curve25519.Signing.PublicKey
    }

    func key(matching prefix: String, in db: any SQLDatabase) async throws -> RegisteredKey {
        let rows = try await db.select().columns("key_id", "party", "public_key").from("signing_keys").all()
        let matches = try rows.filter {
            try $0.decode(column: "key_id", as: String.self).hasPrefix(prefix.lowercased())
        }
        guard matches.count == 1, let row = matches.first else {
            throw RegisterError.refused(
                matches.isEmpty ? "no key \(prefix) in the register" : "\(prefix) names several keys",
                hint: "`pfs status --keys` lists the registered keys")
        }
        return try registeredKey(row)
    }

    func registeredKey(_ row: any SQLRow) throws -> RegisteredKey {
        let pem = try row.decode(column: "public_key", as: String.self)
        return RegisteredKey(
            keyID: try row.decode(column: "key_id", as: String.self),
            party: try row.decode(column: "party", as: String.self),
            publicKey: try SigningKeys.publicKey(pem: pem))
    }

    func revokedKeys(in db: any SQLDatabase) async throws -> Set<String> {
        let events = try await db.select().column("*").from("events").where(
            "kind", .equal, EventKind.keyRevoked.rawValue
        )
        .all(decoding: Event.self, with: Event.decoding)
        return Set(events.compactMap { Payload($0.payload)?.string("keyId") })
    }

    /// The registered keys, with their state.
    public func keys() async throws(RegisterError) -> [(keyID: String, party: String, revoked: Bool)] {
        try await read { db in
            let revoked = try await self.revokedKeys(in: db)
            return try await db.select().columns("key_id", "party").from("signing_keys").orderBy("event_seq").all().map
            {
                let id = try $0.decode(column: "key_id", as: String.self)
                return (id, try $0.decode(column: "party", as: String.self), revoked.contains(id))
            }
        }
    }
}

extension RegisterStore {
    /// A transaction without the events lock (the table may not exist yet: `register init`).
    func writingUnlocked<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await sql.raw(backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// A payload read back (JSON object).
struct Payload {
    let members: [String: Any]

    init?(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return nil
        }
        members = object
    }

    func string(_ key: String) -> String? { members[key] as? String }
    func int(_ key: String) -> Int? { (members[key] as? NSNumber)?.intValue }
    func objects(_ key: String) -> [[String: Any]] { members[key] as? [[String: Any]] ?? [] }
}
