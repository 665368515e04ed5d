import Foundation

/// Where a PostgreSQL password comes from when the URL gives none, as libpq users expect:
/// `PGPASSWORD`, then the password file (`PGPASSFILE`, else `~/.pgpass`), whose lines are
/// `host:port:database:user:password` with `*` for any value and `\:` / `\\` escaped. As
/// libpq does, a password file that others may read (mode beyond 0600) is ignored.
/// (`pfs --password-file F` puts the file's first line in `PGPASSWORD` for the command.)
enum PostgresPassword {
    /// The password for `user` on `database` at `host:port`, or nil.
    static func lookup(
        host: String, port: Int, database: String, user: String, environment: [String: String]
    ) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.pgpass"
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_mode & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            guard !line.hasPrefix("#") else { continue }
            let fields = fieldsOf(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A line's fields split at unescaped colons, escapes removed.
    static func fieldsOf(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var escaped = false
        for character in line {
            if escaped {
                field.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
