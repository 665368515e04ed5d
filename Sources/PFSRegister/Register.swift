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

    /// Makes a new, empty register (the tables and the first event), whose authority is
    /// `authority`: the first event carries its public key and is signed by it.
    public static func create(
        _ location: RegisterLocation, authority: Signer, engine: String = PFS.version
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
                    var applied: [MigrationRecord] = []
                    for migration in Schema.migrations {
                        try await migration.apply(db, store.backend)
                        applied.append(try await register.recordMigration(migration, in: db))
                    }
                    _ = try await Event.append(
                        .registerCreated, authority: authority,
                        payload: RegisterOpened(
                            format: "pfs-register", engine: engine, authority: authority.publicKeyPEM,
                            authorityFingerprint: authority.fingerprint, migrations: applied),
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

}


