import CLibXML2
import PFSModel

extension ContractReader {
    /// Refuses, in every attribute of every element, the characters that would let a
    /// name or title change what a statement shows: C0 and C1 controls and DEL (a `&#10;`
    /// in a party name adds a fake "Total due" line to a text statement; ESC rewrites the
    /// terminal), line and paragraph separators, and the bidirectional marks, embeddings,
    /// overrides and isolates (a right-to-left override shows a line's amounts reversed).
    mutating func checkTexts(_ root: xmlNodePtr) {
        var pending: [xmlNodePtr] = [root]
        while let node = pending.popLast() {
            var attribute = node.pointee.properties
            while let current = attribute {
                if let text = current.pointee.children, let content = text.pointee.content,
                    let (scalar, offset) = Self.firstForgingScalar(content)
                {
                    let name = current.pointee.name.map { String(cString: $0) } ?? ""
                    let element = Element(node: node, parentPath: Self.parentPath(of: node))
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                    diagnostics.append(
                        Diagnostic(
                            check: .textCharacter,
                            message:
                                """
                                <\(element.name)> attribute '\(name)' holds \(code) (\(Self.describe(scalar))) at \
                                character \(offset + 1); names and texts may not hold control or text-direction \
                                characters
                                """,
                            hint:
                                """
                                remove it: statements print names as written, and this character could change \
                                what they show
                                """,
                            at: location(of: name, in: element)))
                }
                attribute = current.pointee.next
            }
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { pending.append(current) }
                child = current.pointee.next
            }
        }
        diagnostics.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    /// The first forbidden scalar in a NUL-terminated UTF-8 value, with its index in
    /// characters (scalars); most values are plain and pass on the byte test alone.
    static func firstForgingScalar(_ content: UnsafePointer<xmlChar>) -> (Unicode.Scalar, Int)? {
        var length = 0
        var suspicious = false
        while content[length] != 0 {
            let byte = content[length]
            if byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 { suspicious = true }
            length += 1
        }
        guard suspicious else { return nil }
        let text = String(decoding: UnsafeBufferPointer(start: content, count: length), as: UTF8.self)
        for (offset, scalar) in text.unicodeScalars.enumerated() where scalar.forgesText { return (scalar, offset) }
        return nil
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "a tab"
        case 0x0A: return "a line feed"
        case 0x0D: return "a carriage return"
        case 0x1B: return "an escape"
        case 0x7F: return "a delete"
        case 0x00...0x1F, 0x80...0x9F: return "a control character"
        case 0x2028, 0x2029: return "a line or paragraph separator"
        default: return (scalar.properties.name.map { $0.lowercased() } ?? "a text-direction character")
        }
    }
}
