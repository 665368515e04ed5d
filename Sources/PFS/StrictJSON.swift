/// A strict reading of JSON: the first syntax error with its line and column (Foundation's
/// parser gives neither), any object holding one key twice refused — Foundation keeps one
/// of the two silently, so a forged `"amount": "1800"` beside the real `"amount": "18"`
/// would otherwise verify —, and numbers kept as written, so that no amount passes through
/// floating point (an INDIGO project's amounts are JSON numbers).
public enum StrictJSON {
    /// What is wrong, and where (1-based line and column, in characters of the line).
    public struct Problem: Error, Equatable, Sendable {
        public let message: String
        public let line: Int
        public let column: Int
        /// An object repeats a key (the JSON is otherwise readable).
        public var duplicateKey = false
    }

    /// A JSON value as read: objects keep their members in order, numbers their text.
    public enum Node: Sendable, Equatable {
        case object([(key: String, value: Node)])
        case array([Node])
        case string(String)
        /// The number exactly as written (`1.50`, `-3e2`).
        case number(String)
        case bool(Bool)
        case null

        public static func == (a: Node, b: Node) -> Bool {
            switch (a, b) {
            case (.object(let x), .object(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            case (.array(let x), .array(let y)): return x == y
            case (.string(let x), .string(let y)), (.number(let x), .number(let y)): return x == y
            case (.bool(let x), .bool(let y)): return x == y
            case (.null, .null): return true
            default: return false
            }
        }

        /// The member `key` of an object (nil for another value or an absent key).
        public subscript(key: String) -> Node? {
            guard case .object(let members) = self else { return nil }
            return members.first { $0.key == key }?.value
        }
    }

    /// Deepest nesting accepted (a statement nests a handful of levels, an INDIGO project five).
    public static let maximumDepth = 64

    /// nil when `bytes` are one well-formed JSON value with no duplicate key.
    public static func problem(in bytes: [UInt8]) -> Problem? {
        do throws(Problem) {
            _ = try parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The one JSON value of `bytes`, or the first problem.
    public static func parse(_ bytes: [UInt8]) throws(Problem) -> Node {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let node = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.index < bytes.count { throw reader.problem("unexpected text after the JSON value") }
        return node
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        func problem(_ message: String) -> Problem {
            var line = 1, lineStart = 0
            for position in 0..<min(index, bytes.count) where bytes[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            let column = String(decoding: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self).count + 1
            return Problem(message: message, line: line, column: column)
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(Problem) {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw problem("expected \(what)") }
            index += 1
        }

        mutating func value(depth: Int) throws(Problem) -> Node {
            guard depth < StrictJSON.maximumDepth else {
                throw problem("nested more than \(StrictJSON.maximumDepth) levels deep")
            }
            skipSpace()
            guard index < bytes.count else { throw problem("the JSON ends where a value was expected") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw problem("expected a value")
            }
        }

        mutating func object(depth: Int) throws(Problem) -> Node {
            index += 1
            var keys = Set<String>()
            var members: [(key: String, value: Node)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                let keyStart = index
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw problem("expected a key in quotes")
                }
                let key = try string()
                if !keys.insert(key).inserted {
                    index = keyStart
                    var repeated = problem("the key \"\(key.prefix(40))\" appears twice in one object")
                    repeated.duplicateKey = true
                    throw repeated
                }
                try expect(UInt8(ascii: ":"), "':' after a key")
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw problem("the JSON ends inside an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                throw problem("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(Problem) -> Node {
            index += 1
            var elements: [Node] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw problem("the JSON ends inside an array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                }
                throw problem("expected ',' or ']'")
            }
        }

        /// A string's text, its escapes read (keys are compared as read: `"\u0061"` is `"a"`,
        /// as any JSON reader takes it).
        mutating func string() throws(Problem) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var start = index
            func flush() { scalars.append(contentsOf: String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars) }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    flush()
                    index += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard index + 1 < bytes.count else { throw problem("a string is not closed") }
                    let escape = bytes[index + 1]
                    index += 2
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        {
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw problem("a \\u escape pairs a high surrogate with no low one") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else {
                            throw problem("a \\u escape names a lone surrogate, which is no character")
                        }
                        scalars.append(scalar)
                    default:
                        index -= 2
                        throw problem("'\\\(Character(Unicode.Scalar(escape)))' is not a JSON escape")
                    }
                    start = index
                case 0x00..<0x20:
                    throw problem("a control character inside a string must be escaped")
                default:
                    index += 1
                }
            }
            throw problem("a string is not closed")
        }

        mutating func hex4() throws(Problem) -> UInt32 {
            guard index + 4 <= bytes.count,
                let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
            else { throw problem("a \\u escape needs four hexadecimal digits") }
            index += 4
            return code
        }

        mutating func literal(_ word: String) throws(Problem) {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected
            else {
                throw problem("expected a value")
            }
            index += expected.count
        }

        /// A number as written, checked against JSON's grammar.
        mutating func number() throws(Problem) -> String {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil else {
                index = start
                throw problem("'\(text.prefix(40))' is not a number")
            }
            return text
        }
    }
}

/// The strict reading as text, for tests: `LINE:COLUMN message`, or nil.
enum StrictJSONProbe {
    /// The first problem of `text` read as a JSON statement.
    static func problem(_ text: String) -> String? {
        StrictJSON.problem(in: Array(text.utf8)).map { "\($0.line):\($0.column) \($0.message)" }
    }
}
