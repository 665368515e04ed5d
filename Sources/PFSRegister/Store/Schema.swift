import SQLKit

/// The register's tables, created by numbered migrations written once through SQLKit (so
/// one definition serves SQLite and PostgreSQL); only the append-only triggers are written
/// per database, in the dialect each has.
///
/// Every table is append-only: a state is never a row that changes but the latest event
/// of a year, and each row is written by an event whose hash covers the row's SHA-256.
enum Schema {
    /// The newest migration this pfs knows.
    static var version: Int { migrations.map(\.version).max() ?? 0 }

    /// The tables, in the order they are created (and exported).
    static var tables: [String] { definitions.map(\.name) }

    /// The tables and columns a register at migration `version` has.
    static func definitions(at version: Int) -> [Table] {
        definitions.filter { $0.since <= version }.map { table in
            var table = table
            table.columns = table.columns.filter { $0.since <= version }
            return table
        }
    }

    /// A column: its name, its type, and what it must hold.
    struct Column: Sendable {
        enum Kind: Sendable { case integer, text, blob }
        let name: String
        let kind: Kind
        var nullable = false
        var primaryKey = false
        var unique = false
        var references: (table: String, column: String)? = nil
        /// The migration that added it.
        var since = 1

        var type: SQLDataType {
            switch kind {
            case .integer: return .bigint
            case .text: return .text
            case .blob: return .blob
            }
        }
    }

    /// A table as migration 1 made it; export and import read the same list.
    struct Table: Sendable {
        let name: String
        var columns: [Column]
        var unique: [String] = []
        /// The migration that made it.
        var since = 1
        var key: String { columns.first { $0.primaryKey }?.name ?? columns[0].name }
    }

    static func int(_ name: String, null: Bool = false) -> Column { Column(name: name, kind: .integer, nullable: null) }
    static func text(_ name: String, null: Bool = false) -> Column { Column(name: name, kind: .text, nullable: null) }
    static func blob(_ name: String) -> Column { Column(name: name, kind: .blob) }
    static func key(_ name: String, _ kind: Column.Kind = .integer) -> Column {
        Column(name: name, kind: kind, primaryKey: true)
    }
    static func ref(_ name: String, _ table: String, _ column: String = "id") -> Column {
        Column(name: name, kind: .integer, references: (table, column))
    }

    static let definitions: [Table] = [
        Table(
            name: "register_migrations",
            columns: [key("version"), text("description"), text("applied_at"), text("engine")]),
        Table(
            name: "events",
            columns: [
                key("seq"), text("at"), text("kind"), text("contract_id", null: true), int("fiscal_year", null: true),
                text("party", null: true), text("role", null: true), text("key_id", null: true),
                text("comment", null: true), text("payload"), text("signature", null: true), text("prev_hash"),
                Column(name: "hash", kind: .text, unique: true),
            ]),
        Table(
            name: "organisations",
            columns: [
                key("id", .text), ref("event_seq", "events", "seq"), text("kind"), text("name_ja"), text("name_en"),
            ], since: 2),
        Table(
            name: "members",
            columns: [
                key("id", .text), ref("event_seq", "events", "seq"),
                Column(name: "organisation", kind: .text, references: ("organisations", "id")), text("name_ja"),
                text("name_en"),
            ], since: 2),
        Table(
            name: "bindings",
            columns: [
                key("id"), ref("event_seq", "events", "seq"), text("contract_id"), text("party"), text("role"),
                Column(name: "organisation", kind: .text, references: ("organisations", "id")),
            ], since: 2),
        Table(
            name: "contract_versions",
            columns: [
                key("id"), ref("event_seq", "events", "seq"), text("contract_id"), text("digest"), text("sha256"),
                text("file_name"), blob("bytes"),
            ], unique: ["contract_id", "sha256"]),
        Table(
            name: "settlement_runs",
            columns: [
                key("id"), ref("event_seq", "events", "seq"), ref("contract_version_id", "contract_versions"),
                text("contract_id"), int("fiscal_year"), text("engine_version"), text("rules"),
                blob("settlement_json"), text("settlement_sha256"),
            ]),
        Table(
            name: "statements",
            columns: [
                key("id"), ref("event_seq", "events", "seq"), ref("run_id", "settlement_runs"), text("document"),
                text("party", null: true), text("language"), text("format"), text("path"), blob("bytes"),
                text("sha256"),
            ]),
        Table(
            name: "signing_keys",
            columns: [
                key("key_id", .text), ref("event_seq", "events", "seq"), text("party"), text("public_key"),
                // Since migration 2 a key is a member's, and `party` holds the member's organisation.
                Column(name: "member", kind: .text, nullable: true, references: ("members", "id"), since: 2),
            ]),
        Table(
            name: "signatures",
            columns: [
                key("id"), ref("event_seq", "events", "seq"), ref("statement_id", "statements"),
                Column(name: "key_id", kind: .text, references: ("signing_keys", "key_id")), text("party"),
                text("role"), text("signature"),
            ]),
        Table(
            name: "payments",
            columns: [
                key("id"), ref("event_seq", "events", "seq"), text("contract_id"), int("fiscal_year"), text("payer"),
                text("payee"), text("amount"), text("paid_on"), text("reference"),
            ]),
    ]

    static func create(_ table: Table, in db: any SQLDatabase) async throws {
        var builder = db.create(table: table.name)
        for column in table.columns {
            var constraints: [SQLColumnConstraintAlgorithm] = []
            if column.primaryKey { constraints.append(.primaryKey(autoIncrement: false)) }
            if !column.nullable && !column.primaryKey { constraints.append(.notNull) }
            if column.unique { constraints.append(.unique) }
            if let target = column.references { constraints.append(.references(target.table, target.column)) }
            builder = builder.column(column.name, type: column.type, constraints)
        }
        if !table.unique.isEmpty { builder = builder.unique(table.unique) }
        try await builder.run()
    }

    struct Migration: Sendable {
        let version: Int
        let description: String
        let apply: @Sendable (any SQLDatabase, RegisterStore.Backend) async throws -> Void
    }

    static let migrations: [Migration] = [
        Migration(version: 1, description: "events, contract versions, runs, statements, keys, signatures, payments") {
            db, backend in
            let made = definitions(at: 1)
            for table in made { try await create(table, in: db) }
            try await appendOnly(made.map(\.name), in: db, backend: backend)
        },
        Migration(version: 2, description: "organisations, members, member keys, party bindings, the authority") {
            db, backend in
            let made = definitions.filter { $0.since == 2 }
            // Made before the column that refers to them.
            for table in made { try await create(table, in: db) }
            for table in definitions where table.since < 2 {
                for column in table.columns where column.since == 2 {
                    // SQLite adds a column only with ALTER TABLE … ADD COLUMN, and a
                    // reference only without NOT NULL: added columns are nullable.
                    var constraints: [SQLColumnConstraintAlgorithm] = []
                    if let target = column.references { constraints.append(.references(target.table, target.column)) }
                    try await db.alter(table: table.name).column(column.name, type: column.type, constraints).run()
                }
            }
            try await appendOnly(made.map(\.name), in: db, backend: backend)
        },
    ]

    /// Refuses UPDATE and DELETE (and TRUNCATE) on `tables`, in the database itself, so
    /// another client cannot rewrite history either; `pfs register verify` finds what a
    /// client that drops the triggers first does.
    static func appendOnly(_ tables: [String], in db: any SQLDatabase, backend: RegisterStore.Backend) async throws {
        switch backend {
        case .sqlite:
            for table in tables {
                for operation in ["UPDATE", "DELETE"] {
                    try await db.raw(
                        """
                        CREATE TRIGGER \(unsafeRaw: "\(table)_no_\(operation.lowercased())") BEFORE
                        \(unsafeRaw: operation) ON \(unsafeRaw: table)
                        BEGIN SELECT RAISE(ABORT,
                        \(unsafeRaw: "'pfs register: \(table) is append-only (\(operation) refused)'")); END
                        """
                    ).run()
                }
            }
        case .postgres:
            try await db.raw(
                """
                CREATE OR REPLACE FUNCTION pfs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'pfs register: % is append-only (% refused)', TG_TABLE_NAME, TG_OP; END $$
                """
            ).run()
            for table in tables {
                try await db.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: "\(table)_append_only") BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION pfs_append_only()
                    """
                ).run()
                try await db.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: "\(table)_no_truncate") BEFORE TRUNCATE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION pfs_append_only()
                    """
                ).run()
            }
        }
    }
}
