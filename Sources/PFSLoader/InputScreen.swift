import CLibXML2
import PFSModel

/// Checks made on a contract's bytes before libxml2 sees them: what libxml2 would accept
/// silently (a NUL byte hides the rest of the file; a declaration that names the wrong
/// encoding turns names into mojibake), report obscurely (UTF-32 is "Document is empty"),
/// or take minutes over (its attribute handling is quadratic in the attributes of one
/// element).
enum InputScreen {
    /// Most attributes one element may have; the schema's widest element has a dozen.
    static let maximumAttributes = 100

    /// The encoding the bytes are in, as far as matters here.
    enum Encoding: Equatable {
        /// UTF-8 or another encoding whose ASCII characters are single bytes.
        case asciiCompatible
        case utf16(bigEndian: Bool)
        case utf32
    }

    /// Every problem found (at most one of each kind), in file order.
    static func problems(_ bytes: [UInt8], file: String) -> [Diagnostic] {
        let encoding = detectEncoding(bytes)
        if encoding == .utf32 {
            return [
                Diagnostic(
                    check: .xmlEncoding, message: "the file is encoded in UTF-32, which pfs does not read",
                    hint: "save the contract as UTF-8", at: .file(file))
            ]
        }
        var problems: [Diagnostic]
        if case .utf16(let bigEndian) = encoding {
            problems = scan(utf16Units(bytes, bigEndian: bigEndian), file: file)
        } else {
            problems = bytes.withUnsafeBufferPointer { scan($0, file: file) }
        }
        if encoding == .asciiCompatible, let mislabelled = mislabelledUTF8(bytes, file: file) {
            problems.insert(mislabelled, at: 0)
        }
        return problems
    }

    static func detectEncoding(_ bytes: [UInt8]) -> Encoding {
        let head = Array(bytes.prefix(4)) + [UInt8](repeating: 1, count: max(0, 4 - bytes.count))
        switch (head[0], head[1], head[2], head[3]) {
        case (0x00, 0x00, 0xFE, 0xFF), (0xFF, 0xFE, 0x00, 0x00), (0x00, 0x00, 0x00, 0x3C), (0x3C, 0x00, 0x00, 0x00):
            return .utf32
        case (0xFE, 0xFF, _, _), (0x00, 0x3C, 0x00, 0x3F): return .utf16(bigEndian: true)
        case (0xFF, 0xFE, _, _), (0x3C, 0x00, 0x3F, 0x00): return .utf16(bigEndian: false)
        default: return .asciiCompatible
        }
    }

    /// The file's UTF-16 code units (a byte-order mark is kept: it is no markup and no NUL).
    static func utf16Units(_ bytes: [UInt8], bigEndian: Bool) -> [UInt32] {
        return stride(from: 0, to: bytes.count - 1, by: 2).map { index in
            bigEndian
                ? UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
                : UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index])
        }
    }

    /// One pass over the markup: a NUL anywhere, and an element with too many attributes
    /// (counting `=` outside quoted values inside a start tag; comments, CDATA sections,
    /// processing instructions and declarations are skipped). Lines and columns are
    /// counted only for what is reported: the pass itself touches each unit once.
    static func scan<Units: RandomAccessCollection>(_ units: Units, file: String) -> [Diagnostic]
    where Units.Element: FixedWidthInteger, Units.Index == Int {
        let count = units.count
        var firstNUL: Int?
        var crowded: (start: Int, attributes: Int)?
        @inline(__always) func unit(_ index: Int) -> UInt32 { UInt32(truncatingIfNeeded: units[index]) }
        func matches(_ pattern: [UInt32], at position: Int) -> Bool {
            guard position + pattern.count <= count else { return false }
            for offset in pattern.indices where unit(position + offset) != pattern[offset] { return false }
            return true
        }
        var index = 0
        // Skips to just past `terminator`, noting a NUL on the way.
        func skip(to terminator: [UInt32]) {
            while index < count, !matches(terminator, at: index) {
                if firstNUL == nil, unit(index) == 0 { firstNUL = index }
                index += 1
            }
            index = min(count, index + terminator.count)
        }
        while index < count {
            let current = unit(index)
            if current == 0, firstNUL == nil { firstNUL = index }
            guard current == 0x3C else {  // <
                index += 1
                continue
            }
            if matches(Pattern.commentOpen, at: index) { skip(to: Pattern.commentClose); continue }
            if matches(Pattern.cdataOpen, at: index) { skip(to: Pattern.cdataClose); continue }
            if matches(Pattern.instructionOpen, at: index) { skip(to: Pattern.instructionClose); continue }
            if matches(Pattern.declarationOpen, at: index) || matches(Pattern.endTagOpen, at: index) {
                skip(to: Pattern.tagClose); continue
            }
            // A start tag.
            let start = index
            index += 1
            var attributes = 0
            var quote: UInt32 = 0
            while index < count {
                let current = unit(index)
                if current == 0, firstNUL == nil { firstNUL = index }
                if quote != 0 {
                    if current == quote { quote = 0 }
                } else if current == 0x22 || current == 0x27 {
                    quote = current
                } else if current == 0x3D {  // =
                    attributes += 1
                } else if current == 0x3E {  // >
                    break
                }
                index += 1
            }
            if attributes > maximumAttributes, crowded == nil { crowded = (start, attributes) }
            index += 1
        }
        func location(_ offset: Int) -> SourceLocation {
            var line = 1, lineStart = 0
            for position in 0..<offset where unit(position) == 0x0A {
                line += 1
                lineStart = position + 1
            }
            return SourceLocation(file: file, line: line, column: offset - lineStart + 1)
        }
        var problems: [Diagnostic] = []
        if let crowded {
            let name = String(
                String.UnicodeScalarView(
                    (crowded.start + 1..<min(count, crowded.start + 65)).lazy.map(unit)
                        .prefix { $0 > 0x20 && $0 != 0x3E && $0 != 0x2F }.compactMap(Unicode.Scalar.init)))
            problems.append(
                Diagnostic(
                    check: .inputTooLarge,
                    message:
                        """
                        element <\(name)> has \(crowded.attributes) attributes; pfs reads at most \
                        \(maximumAttributes) on one element
                        """,
                    hint: "no contract element has more than a dozen: check that this is the right file",
                    at: location(crowded.start)))
        }
        if let firstNUL {
            problems.append(
                Diagnostic(
                    check: .xmlSyntax,
                    message: "the file contains a NUL byte; XML may not, and nothing after it would be read",
                    hint: "remove it: a contract is text, and this file may be damaged or not a contract",
                    at: location(firstNUL)))
        }
        return problems.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    /// The markup the scan recognises, as code units.
    private enum Pattern {
        static let commentOpen = units("<!--"), commentClose = units("-->")
        static let cdataOpen = units("<![CDATA["), cdataClose = units("]]>")
        static let instructionOpen = units("<?"), instructionClose = units("?>")
        static let declarationOpen = units("<!"), endTagOpen = units("</"), tagClose = units(">")

        static func units(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
    }

    /// The XML declaration names an encoding other than UTF-8 while the bytes are UTF-8 with
    /// characters outside ASCII: libxml2 would decode them in the declared encoding and every
    /// Japanese name would come out as mojibake on the statements.
    static func mislabelledUTF8(_ bytes: [UInt8], file: String) -> Diagnostic? {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard body.starts(with: Array("<?xml".utf8)), let end = body.firstRange(of: Array("?>".utf8))?.lowerBound else {
            return nil
        }
        let declaration = String(decoding: body[..<end], as: UTF8.self)
        guard let declared = declaredEncoding(declaration) else { return nil }
        let normalized = declared.uppercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(
            of: "_", with: "")
        // UTF-16 declared on UTF-8 bytes libxml2 reports itself, by name.
        guard normalized != "UTF8", !normalized.hasPrefix("UTF16"), isKnownEncoding(declared) else { return nil }
        let content = body
        guard content.contains(where: { $0 >= 0x80 }), String(validating: content, as: UTF8.self) != nil else {
            return nil
        }
        let offset = content.firstIndex { $0 >= 0x80 } ?? 0
        let line = content[..<offset].filter { $0 == 0x0A }.count + 1
        let column = offset - (content[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return Diagnostic(
            check: .xmlEncoding,
            message:
                """
                the XML declaration says encoding=\"\(declared)\", but the file is UTF-8 (its first non-ASCII \
                character is at line \(line), column \(column)); read as \(declared), its text would be garbled
                """,
            hint: "declare encoding=\"UTF-8\", or save the file in the encoding it declares",
            at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// Whether libxml2 can decode `name` (one it cannot, it reports itself, by name).
    static func isKnownEncoding(_ name: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// The value of `encoding="…"` in an XML declaration.
    static func declaredEncoding(_ declaration: String) -> String? {
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : String(value)
    }
}
