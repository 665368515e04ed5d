import Foundation
import SQLKit

/// Which migrations a register's database has had, and recording one.
extension Register {
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

    /// Records a migration applied, and returns the row as the event that applied it records it.
    func recordMigration(_ migration: Schema.Migration, in db: any SQLDatabase) async throws -> MigrationRecord {
        let at = Event.timestamp(Date())
        try await db.raw(
            """
            INSERT INTO register_migrations (version, description, applied_at, engine)
            VALUES (\(bind: migration.version), \(bind: migration.description), \(bind: at), \(bind: engine))
            """
        ).run()
        return MigrationRecord(version: migration.version, description: migration.description, appliedAt: at, engine: engine)
    }
}
