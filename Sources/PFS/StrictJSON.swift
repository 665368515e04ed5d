/// A strict reading of a JSON statement before its values are compared: the first syntax
/// error with its line and column (Foundation's parser gives neither), and any object
/// holding one key twice — Foundation keeps one of the two silently, so a forged
/// `"amount": "1800"` beside the real `"amount": "18"` would otherwise verify.
enum StrictJSON {
    /// What is wrong, and where (1-based line and column, in characters of the line).
    struct Problem: Error, Equatable {
        let message: String
        let line: Int
        let column: Int
        /// An object repeats a key (the JSON is otherwise readable).
        var duplicateKey = false
    }

    /// Deepest nesting accepted (a statement nests a handful of levels).
    static let maximumDepth = 64

    /// nil when `bytes` are one well-formed JSON value with no duplicate key.
    static func problem(in bytes: [UInt8]) -> Problem? {
        var reader = Reader(bytes: bytes)
        do {
            reader.skipSpace()
            try reader.value(depth: 0)
            reader.skipSpace()
            if reader.index < bytes.count { throw reader.problem("unexpected text after the JSON value") }
            return nil
        } catch let problem as Problem {
            return problem
        } catch {
            return Problem(message: "\(error)", line: 0, column: 0)
        }
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

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw problem("expected \(what)") }
            index += 1
        }

        mutating func value(depth: Int) throws {
            guard depth < StrictJSON.maximumDepth else {
                throw problem("nested more than \(StrictJSON.maximumDepth) levels deep")
            }
            skipSpace()
            guard index < bytes.count else { throw problem("the JSON ends where a value was expected") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw problem("expected a value")
            }
        }

        mutating func object(depth: Int) throws {
            index += 1
            var keys = Set<String>()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
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
                    var repeated = problem(
                        """
                        the key \"\(key.prefix(40))\" appears twice in one object; a statement written by pfs \
                        never repeats a key
                        """
                    )
                    repeated.duplicateKey = true
                    throw repeated
                }
                try expect(UInt8(ascii: ":"), "':' after a key")
                try value(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw problem("the JSON ends inside an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return }
                throw problem("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw problem("the JSON ends inside an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return }
                throw problem("expected ',' or ']'")
            }
        }

        /// A string's text (escapes kept as written: keys are compared as written, and pfs
        /// writes each key one way).
        mutating func string() throws -> String {
            let start = index + 1
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 2
                case 0x00..<0x20:
                    throw problem("a control character inside a string must be escaped")
                default:
                    index += 1
                }
            }
            throw problem("a string is not closed")
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected
            else {
                throw problem("expected a value")
            }
            index += expected.count
        }

        mutating func number() throws {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard Double(text) != nil else {
                index = start
                throw problem("'\(text.prefix(40))' is not a number")
            }
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
