import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

#if PostgreSQL
    import PostgresKit
#endif

/// Why the register could not be used, or refused a command. Every case says what to do.
public enum RegisterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No register at the location (commands other than `register init` never create one).
    case notFound(String)
    /// `register init` on a register that exists.
    case exists(String)
    /// The database could not be opened, reached or queried.
    case database(String)
    /// A register written by a newer pfs.
    case newerSchema(found: Int, known: Int)
    /// The command is not allowed now: wrong state, wrong role, wrong key, changed contract.
    case refused(String, hint: String)
    /// An input the command was given cannot be used.
    case input(String)
    /// The change needs signatures that were not offered yet (a browser signs them and asks
    /// again): nothing was recorded.
    case signaturesWanted(SignatureRequest)

    public var description: String {
        switch self {
        case .notFound(let location):
            return "no register at \(location); create one with `pfs register init --register \(location)`"
        case .exists(let location): return "a register already exists at \(location); nothing was changed"
        case .database(let message): return "the register's database failed: \(message)"
        case .newerSchema(let found, let known):
            return
                """
                this register was written by a newer pfs (register schema \(found); this pfs knows up to \
                \(known)); use that pfs or a newer one, nothing was changed
                """
        case .refused(let message, let hint): return "\(message); nothing was recorded\n  hint: \(hint)"
        case .input(let message): return message
        case .signaturesWanted(let request):
            return
                "\(request.statements.isEmpty ? "the event" : "\(request.statements.count) statements") must be signed first; nothing was recorded"
        }
    }
}

/// One open connection to a register, SQLite or PostgreSQL, seen through SQLKit: every
/// query of the register is written once, against ``sql``.
public final class RegisterStore: @unchecked Sendable {
    enum Connection {
        case sqlite(SQLiteConnection)
        #if PostgreSQL
            case postgres(PostgresConnection)
        #endif
    }

    /// Whether this build can open PostgreSQL registers (the package's `PostgreSQL` trait).
    public static var postgreSQLBuiltIn: Bool {
        #if PostgreSQL
            return true
        #else
            return false
        #endif
    }

    /// Which database the register is in.
    public enum Backend: String, Sendable { case sqlite, postgres }

    let connection: Connection
    /// The query layer.
    public let sql: any SQLDatabase
    /// Where the register is.
    public let location: RegisterLocation
    /// The database it is in.
    public var backend: Backend {
        if case .sqlite = connection { return .sqlite }
        return .postgres
    }

    private init(connection: Connection, sql: any SQLDatabase, location: RegisterLocation) {
        self.connection = connection
        self.sql = sql
        self.location = location
    }

    static let logger: Logger = {
        var logger = Logger(label: "pfs.register")
        logger.logLevel = .critical
        return logger
    }()

    /// Opens a connection. An SQLite file must exist unless `creating`.
    public static func open(
        _ location: RegisterLocation, creating: Bool = false
    ) async throws(RegisterError)
        -> RegisterStore
    {
        switch location {
        case .sqlite(let path):
            let exists = FileManager.default.fileExists(atPath: path)
            if !exists && !creating { throw .notFound(location.description) }
            do {
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                let sql = connection.sql(queryLogLevel: nil)
                // Another officer's command holds the write lock for a moment: wait for it.
                try await sql.raw("PRAGMA busy_timeout = 30000").run()
                try await sql.raw("PRAGMA foreign_keys = ON").run()
                return RegisterStore(connection: .sqlite(connection), sql: sql, location: location)
            } catch {
                throw .database("cannot open \(path): \(describe(error))")
            }
        case .postgres(let url):
            #if PostgreSQL
                return try await openPostgres(url, location: location)
            #else
                _ = url
                throw .input(
                    """
                    \(location) is a PostgreSQL register, and this pfs was built without PostgreSQL; build it with \
                    `swift build --traits PostgreSQL` (as README.md's Install does), or use an SQLite file
                    """)
            #endif
        }
    }

    #if PostgreSQL
        private static func openPostgres(_ url: String, location: RegisterLocation) async throws(RegisterError)
            -> RegisterStore
        {
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw .input("\(location) is not a PostgreSQL URL pfs can use: \(describe(error))")
            }
            var core = configuration.coreConfiguration
            if core.password == nil, let host = core.host {
                core.password = PostgresPassword.lookup(
                    host: host, port: core.port ?? 5432, database: core.database ?? core.username,
                    user: core.username, environment: ProcessInfo.processInfo.environment)
            }
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: core, id: 1, logger: logger)
                let sql = connection.sql(queryLogLevel: nil)
                return RegisterStore(connection: .postgres(connection), sql: sql, location: location)
            } catch let error as PSQLError
                where error.code == .authMechanismRequiresPassword
                || ["28P01", "28000"].contains(error.serverInfo?[.sqlState] ?? "")
            {
                // A wrong or missing password is the user's to correct, not the machine's failure.
                throw .input(
                    """
                    PostgreSQL at \(location) refused user '\(core.username)': \
                    \(error.code == .authMechanismRequiresPassword ? "it asks for a password and none was given" : describe(error)); give the \
                    password in PGPASSWORD, ~/.pgpass (mode 0600) or --password-file FILE, or in the URL \
                    (percent-encoded)
                    """)
            } catch {
                throw .database("cannot connect to \(location): \(describe(error))")
            }
        }
    #endif

    /// Closes the connection.
    public func close() async {
        switch connection {
        case .sqlite(let connection): try? await connection.close()
        #if PostgreSQL
            case .postgres(let connection): try? await connection.close()
        #endif
        }
    }

    /// Runs `body` as one transaction that holds the register's write lock from its start,
    /// so two commands on the same year see each other's result, never the same state twice.
    /// Anything thrown rolls the whole command back: nothing is half-recorded.
    public func writing<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        // Self-conflicting, and readers are not blocked: writers take turns.
        case .sqlite: try await transaction(["BEGIN IMMEDIATE"], body)
        case .postgres: try await transaction(["BEGIN", "LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE"], body)
        }
    }

    /// Runs `body` on one consistent snapshot.
    public func reading<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite: try await transaction(["BEGIN"], body)
        case .postgres: try await transaction(["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"], body)
        }
    }

    /// A transaction without the events lock (the table may not exist yet: `register init`).
    func writingUnlocked<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction([backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"], body)
    }

    /// The one transaction pfs runs: the `opening` statements, `body`, then COMMIT; ROLLBACK
    /// on anything thrown, which is thrown on.
    private func transaction<T>(_ opening: [String], _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        for statement in opening { try await sql.raw("\(unsafeRaw: statement)").run() }
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// An error's message as the database put it.
    static func describe(_ error: any Error) -> String {
        #if PostgreSQL
            if let error = error as? PSQLError {
                return error.serverInfo?[.message] ?? "\(error.code)"
            }
        #endif
        return String(describing: error)
    }
}
