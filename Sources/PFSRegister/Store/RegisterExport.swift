import Foundation
import PFS
import SQLKit

extension Register {
    /// The header line of an export.
    static let exportFormat = "pfs-register-export"

    /// Every row of every table as JSON Lines (a header, then one line per row, tables in
    /// the order they depend on each other, rows by key; bytes as base64), for backup and
    /// audit. One consistent snapshot.
    public func export(_ line: (String) -> Void) async throws(RegisterError) {
        try await read { db in
            // An old register is exported as it is: its own tables and columns.
            let version = try await self.schemaVersion(db)
            let header = CanonicalValue.object([
                "format": .string(Self.exportFormat), "schema": .int(version), "engine": .string(engine),
            ])
            line(header.text)
            for table in Schema.definitions(at: version) {
                for row in try await db.select().column("*").from(table.name).orderBy(table.key).all() {
                    var members: [String: CanonicalValue] = [:]
                    for column in table.columns {
                        if try row.decodeNil(column: column.name) {
                            members[column.name] = .null
                            continue
                        }
                        switch column.kind {
                        case .integer: members[column.name] = .int(try row.decode(column: column.name, as: Int.self))
                        case .text: members[column.name] = .string(try row.decode(column: column.name, as: String.self))
                        case .blob:
                            members[column.name] = .string(
                                try row.decode(column: column.name, as: Data.self).base64EncodedString())
                        }
                    }
                    line(CanonicalValue.object(["table": .string(table.name), "row": .object(members)]).text)
                }
            }
        }
    }

    /// Makes a register at `location` from an export: the tables, then every row as
    /// exported, in one transaction, kept only if `verify` finds nothing.
    public static func importing(
        _ lines: [String], into location: RegisterLocation, engine: String = PFS.version
    ) async throws(RegisterError) -> Int {
        guard let first = lines.first, let header = EventPayload.decode(ExportHeader.self, from: first),
            header.format == exportFormat, let schema = header.schema
        else { throw .input("the first line is not a pfs register export header") }
        if schema > Schema.version { throw .newerSchema(found: schema, known: Schema.version) }
        if case .sqlite(let path) = location, FileManager.default.fileExists(atPath: path) {
            throw .exists(location.description)
        }
        do {
            return try await importRows(lines, schema: schema, into: location, engine: engine)
        } catch {
            // The SQLite file this import created goes with it: a failed import leaves
            // nothing that would block the next one (PostgreSQL rolled back).
            if case .sqlite(let path) = location, error != .exists(location.description) {
                for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
            }
            throw error
        }
    }

    private static func importRows(
        _ lines: [String], schema: Int, into location: RegisterLocation, engine: String
    ) async throws(RegisterError) -> Int {
        let store = try await RegisterStore.open(location, creating: true)
        let register = Register(store: store, engine: engine)
        defer { Task { await store.close() } }
        if try await register.schemaVersion() != nil { throw .exists(location.description) }
        let tables = Dictionary(uniqueKeysWithValues: Schema.definitions(at: schema).map { ($0.name, $0) })
        return try await register.attempt {
            try await store.writingUnlocked { db in
                for migration in Schema.migrations where migration.version <= schema {
                    try await migration.apply(db, store.backend)
                }
                var count = 0
                for (index, text) in lines.enumerated().dropFirst() where !text.isEmpty {
                    guard let line = ExportLine(text), let name = line.members["table"] as? String,
                        let table = tables[name], let row = line.members["row"] as? [String: Any]
                    else { throw RegisterError.input("line \(index + 1) is not a row of a register table") }
                    let columns = table.columns
                    var values: [any Encodable & Sendable] = []
                    for column in columns {
                        let value = row[column.name]
                        if value == nil || value is NSNull {
                            guard column.nullable else {
                                throw RegisterError.input("line \(index + 1): \(name).\(column.name) is missing")
                            }
                            // A typed NULL: PostgreSQL refuses a text NULL in an integer column.
                            switch column.kind {
                            case .integer: values.append(Optional<Int>.none)
                            case .text: values.append(Optional<String>.none)
                            case .blob: values.append(Optional<Data>.none)
                            }
                            continue
                        }
                        switch column.kind {
                        case .integer:
                            guard let number = value as? NSNumber else {
                                throw RegisterError.input("line \(index + 1): \(name).\(column.name) is not an integer")
                            }
                            values.append(number.intValue)
                        case .text:
                            guard let text = value as? String else {
                                throw RegisterError.input("line \(index + 1): \(name).\(column.name) is not text")
                            }
                            values.append(text)
                        case .blob:
                            guard let text = value as? String, let data = Data(base64Encoded: text) else {
                                throw RegisterError.input("line \(index + 1): \(name).\(column.name) is not base64")
                            }
                            values.append(data)
                        }
                    }
                    try await db.insert(into: name).columns(columns.map(\.name)).values(values.map { SQLBind($0) })
                        .run()
                    count += 1
                }
                let (_, findings) = try await register.audit(db)
                if let finding = findings.first {
                    throw RegisterError.refused(
                        """
                        the export does not verify (\(findings.count) finding\(findings.count == 1 ? "" : "s"); \
                        first: \(finding))
                        """,
                        hint: "import an export made by `pfs register export` and not edited since")
                }
                return count
            }
        }
    }
}

/// An export's first line.
private struct ExportHeader: Decodable {
    let format: String
    var schema: Int?
}

/// A line of an export: a table's name and one of its rows, whose columns are the table's.
private struct ExportLine {
    let members: [String: Any]

    init?(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return nil
        }
        members = object
    }
}
