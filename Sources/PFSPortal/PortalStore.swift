import Foundation
import PFSRegister
import SQLKit

/// A portal account: a member of an organisation who signs in, or an administrator.
struct Account: Sendable, Hashable, Codable {
    /// The name typed at sign-in (a member's id, or `administrator`).
    var name: String
    /// The member it acts as; nil for an administrator.
    var member: String?
    var administrator: Bool
    /// `ja` or `en`: the language of its pages.
    var language: String
    var passwordHash: String?
    var totpSecret: String?
    var failedAttempts: Int
    /// Unix seconds until which sign-in is refused.
    var lockedUntil: Int?
    var createdAt: Int

    /// Whether the invitation was taken up (a password and a second factor set).
    var isActive: Bool { passwordHash != nil && totpSecret != nil }
}

/// A signed-in session, found by the SHA-256 of its cookie's token.
struct Session: Sendable, Hashable, Codable {
    var tokenSha256: String
    var account: String
    /// The token every form and every changing API call of the session carries.
    var csrf: String
    var createdAt: Int
    var seenAt: Int
}

/// A one-time link to set an account's password and second factor.
struct Invitation: Sendable, Hashable, Codable {
    var tokenSha256: String
    var account: String
    var totpSecret: String
    var expiresAt: Int
    var usedAt: Int?
}

/// The portal's own tables, in the register's database (so that several `pfs serve`
/// processes share sessions). They are not part of the register: not hash-chained, not
/// exported, and sessions and failed attempts change in place. Who signed in and out is
/// recorded in the register's chain (``AccessRecord``).
enum PortalStore {
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)

    /// Makes the tables when they are not there yet.
    static func prepare(_ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            CREATE TABLE IF NOT EXISTS portal_accounts (name TEXT PRIMARY KEY, member TEXT UNIQUE,
            administrator BOOLEAN NOT NULL, language TEXT NOT NULL, password_hash TEXT, totp_secret TEXT,
            failed_attempts BIGINT NOT NULL, locked_until BIGINT, created_at BIGINT NOT NULL)
            """
        ).run()
        try await db.raw(
            """
            CREATE TABLE IF NOT EXISTS portal_sessions (token_sha256 TEXT PRIMARY KEY, account TEXT NOT NULL,
            csrf TEXT NOT NULL, created_at BIGINT NOT NULL, seen_at BIGINT NOT NULL)
            """
        ).run()
        try await db.raw(
            """
            CREATE TABLE IF NOT EXISTS portal_invitations (token_sha256 TEXT PRIMARY KEY, account TEXT NOT NULL,
            totp_secret TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
            """
        ).run()
        try await db.raw(
            """
            CREATE TABLE IF NOT EXISTS portal_auditor_grants (account TEXT NOT NULL, contract TEXT NOT NULL,
            granted_at BIGINT NOT NULL, PRIMARY KEY (account, contract))
            """
        ).run()
        // Failed sign-ins by the address they came from, whatever account they named.
        try await db.raw(
            "CREATE TABLE IF NOT EXISTS portal_address_failures (address TEXT NOT NULL, failed_at BIGINT NOT NULL)"
        ).run()
        try await db.raw(
            "CREATE INDEX IF NOT EXISTS portal_address_failures_by_address ON portal_address_failures (address, failed_at)"
        ).run()
    }

    // MARK: accounts

    static func account(_ name: String, in db: any SQLDatabase) async throws -> Account? {
        try await db.select().column("*").from("portal_accounts").where("name", .equal, name)
            .first(decoding: Account.self, with: decoder)
    }

    static func accounts(in db: any SQLDatabase) async throws -> [Account] {
        try await db.select().column("*").from("portal_accounts").orderBy("name")
            .all(decoding: Account.self, with: decoder)
    }

    static func insert(_ account: Account, in db: any SQLDatabase) async throws {
        try await db.insert(into: "portal_accounts").model(account, with: encoder).run()
    }

    static func hasAdministrator(in db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("name").from("portal_accounts").where("administrator", .equal, true)
            .where("password_hash", .isNot, SQLLiteral.null).first() != nil
    }

    static func recordFailure(_ name: String, lockUntil: Int?, in db: any SQLDatabase) async throws {
        try await db.update("portal_accounts").set(SQLIdentifier("failed_attempts"), to: SQLRaw("failed_attempts + 1"))
            .set("locked_until", to: lockUntil).where("name", .equal, name).run()
    }

    /// How many sign-ins from `address` failed since `since`.
    static func addressFailures(_ address: String, since: Int, in db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "failures")
            .from("portal_address_failures").where("address", .equal, address).where("failed_at", .greaterThan, since)
            .first(decodingColumn: "failures", as: Int.self) ?? 0
    }

    /// Counts a failed sign-in from `address`, and forgets those older than `forgetBefore`.
    static func recordAddressFailure(_ address: String, at now: Int, forgetBefore: Int, in db: any SQLDatabase)
        async throws
    {
        try await db.delete(from: "portal_address_failures").where("failed_at", .lessThanOrEqual, forgetBefore).run()
        try await db.insert(into: "portal_address_failures").columns("address", "failed_at")
            .values(SQLBind(address), SQLBind(now)).run()
    }

    static func clearFailures(_ name: String, in db: any SQLDatabase) async throws {
        try await db.update("portal_accounts").set("failed_attempts", to: 0).set("locked_until", to: Int?.none)
            .where("name", .equal, name).run()
    }

    static func setCredentials(
        _ name: String, passwordHash: String, totpSecret: String, in db: any SQLDatabase
    ) async throws {
        try await db.update("portal_accounts").set("password_hash", to: passwordHash).set("totp_secret", to: totpSecret)
            .set("failed_attempts", to: 0).set("locked_until", to: Int?.none).where("name", .equal, name).run()
    }

    // MARK: sessions

    static func insert(_ session: Session, in db: any SQLDatabase) async throws {
        try await db.insert(into: "portal_sessions").model(session, with: encoder).run()
    }

    static func session(_ tokenSha256: String, in db: any SQLDatabase) async throws -> Session? {
        try await db.select().column("*").from("portal_sessions").where("token_sha256", .equal, tokenSha256)
            .first(decoding: Session.self, with: decoder)
    }

    static func touch(_ tokenSha256: String, at now: Int, in db: any SQLDatabase) async throws {
        try await db.update("portal_sessions").set("seen_at", to: now).where("token_sha256", .equal, tokenSha256).run()
    }

    static func endSession(_ tokenSha256: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "portal_sessions").where("token_sha256", .equal, tokenSha256).run()
    }

    // MARK: invitations

    static func insert(_ invitation: Invitation, in db: any SQLDatabase) async throws {
        // A new link replaces the account's links not yet used.
        try await db.delete(from: "portal_invitations").where("account", .equal, invitation.account)
            .where("used_at", .is, SQLLiteral.null).run()
        try await db.insert(into: "portal_invitations").model(invitation, with: encoder).run()
    }

    static func invitation(_ tokenSha256: String, in db: any SQLDatabase) async throws -> Invitation? {
        try await db.select().column("*").from("portal_invitations").where("token_sha256", .equal, tokenSha256)
            .first(decoding: Invitation.self, with: decoder)
    }

    static func markUsed(_ tokenSha256: String, at now: Int, in db: any SQLDatabase) async throws {
        try await db.update("portal_invitations").set("used_at", to: now).where("token_sha256", .equal, tokenSha256)
            .run()
    }

    // MARK: auditors

    static func grants(of account: String, in db: any SQLDatabase) async throws -> Set<String> {
        Set(
            try await db.select().column("contract").from("portal_auditor_grants").where("account", .equal, account)
                .all().map { try $0.decode(column: "contract", as: String.self) })
    }

    static func grant(_ account: String, contract: String, at now: Int, in db: any SQLDatabase) async throws {
        try await db.insert(into: "portal_auditor_grants").columns("account", "contract", "granted_at")
            .values(SQLBind(account), SQLBind(contract), SQLBind(now)).run()
    }
}
