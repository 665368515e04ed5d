/// Where something was written: a file, a 1-based line and column, and the element.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    public let line: Int
    /// 1-based column; 0 when unknown.
    public let column: Int
    /// A readable path to the element, e.g. `/contract/kpis/kpi[@id='item-c']`.
    public let element: String?

    /// Creates a location.
    public init(file: String, line: Int, column: Int, element: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.element = element
    }

    /// A location for a problem with the file as a whole.
    public static func file(_ file: String) -> SourceLocation {
        SourceLocation(file: file, line: 0, column: 0)
    }

    /// `FILE:LINE:COL`, leaving out what is unknown.
    public var description: String {
        guard line > 0 else { return file }
        return column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }
}

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable {
    /// The contract cannot be settled until it is fixed.
    case error
    /// Worth a look; settlement proceeds.
    case warning
}

/// One problem found in a contract: what, where, and how to fix it.
public struct Diagnostic: Sendable, Hashable, Codable {
    /// How serious it is.
    public let severity: Severity
    /// A stable identifier of the check that found it, e.g. `attribution-total`.
    public let check: String
    /// What is wrong, naming the values involved.
    public let message: String
    /// How to fix it.
    public let hint: String?
    /// Where it is.
    public let location: SourceLocation

    /// The check as a value (nil only for a diagnostic decoded from elsewhere).
    public var checkID: CheckID? { CheckID(rawValue: check) }

    /// Creates a diagnostic.
    public init(
        _ severity: Severity = .error, check: CheckID, message: String, hint: String? = nil, at location: SourceLocation
    ) {
        self.severity = severity
        self.check = check.rawValue
        self.message = message
        self.hint = hint
        self.location = location
    }

    /// `FILE:LINE:COL: error: [check] message`, and the hint on the next line.
    public var rendered: String {
        var text = "\(location): \(severity.rawValue): [\(check)] \(message)"
        if let element = location.element { text += "\n  element: \(element)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
