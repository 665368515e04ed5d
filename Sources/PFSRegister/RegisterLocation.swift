/// Where a register lives: an SQLite file (the default, embedded) or a PostgreSQL
/// database shared by a finance department, named by a `postgres://` URL.
public enum RegisterLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite database file.
    case sqlite(path: String)
    /// A PostgreSQL database, by connection URL.
    case postgres(url: String)

    /// The register's file name when none is given: beside the contracts.
    public static let defaultFileName = "pfs.sqlite"

    /// Reads `--register`, or else `PFS_REGISTER`, or else `pfs.sqlite` in `folder`.
    public static func resolve(_ option: String?, environment: [String: String], folder: String) -> RegisterLocation {
        if let given = option ?? environment["PFS_REGISTER"], !given.isEmpty { return parse(given) }
        return .sqlite(path: (folder.isEmpty ? "." : folder) + "/" + defaultFileName)
    }

    /// A `postgres://` or `postgresql://` URL names PostgreSQL; anything else is a file path.
    public static func parse(_ text: String) -> RegisterLocation {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return .postgres(url: text) }
        return .sqlite(path: text)
    }

    /// The location for messages: a URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            // user:password@host → user:***@host
            guard let scheme = url.range(of: "://"),
                let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex),
                let colon = url.range(of: ":", range: scheme.upperBound..<at.lowerBound)
            else { return url }
            return String(url[..<colon.upperBound]) + "***" + String(url[at.lowerBound...])
        }
    }
}
