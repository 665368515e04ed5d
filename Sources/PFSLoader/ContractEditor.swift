import CLibXML2
import Foundation
import PFSModel

/// A value to set in a contract: a KPI's expected or actual value for a year, with its source.
public struct ValueEdit: Sendable, Hashable {
    /// Which of a KPI's series.
    public enum Series: String, Sendable, Hashable {
        case expected, actual
    }

    public let kpi: String
    public let year: Int
    public let series: Series
    /// The value as it is to be written (a plain decimal).
    public let value: String
    public let source: String

    public init(kpi: String, year: Int, series: Series, value: String, source: String) {
        self.kpi = kpi
        self.year = year
        self.series = series
        self.value = value
        self.source = source
    }
}

/// Writes values into a contract's XML without disturbing anything else: libxml2 finds the
/// element (or the one a new element goes after) and its line; the edit is made in the
/// file's own bytes there, so comments, attribute order, quoting, line breaks and
/// indentation stay exactly as they were.
public enum ContractEditor {
    /// The bytes with every edit made, in order; nil when an element cannot be found (the
    /// contract must have passed its checks).
    public static func apply(_ edits: [ValueEdit], to bytes: [UInt8]) -> [UInt8]? {
        var current = bytes
        for edit in edits {
            guard let next = apply(edit, to: current) else { return nil }
            current = next
        }
        return current
    }

    static func apply(_ edit: ValueEdit, to bytes: [UInt8]) -> [UInt8]? {
        guard case .document(let document) = SafeParser.parse(bytes, url: "contract.xml"),
            let kpi = kpiElement(document.root, id: edit.kpi)
        else { return nil }
        let children = elementChildren(kpi)
        let lines = lineStarts(bytes)
        if let existing = children.first(where: { name($0) == edit.series.rawValue && year($0) == edit.year }),
            let tag = findTag(in: bytes, lines: lines, node: existing, year: edit.year)
        {
            return setAttributes(in: bytes, tag: tag, ["value": edit.value, "source": edit.source])
        }
        // A new element goes after the latest-year value not after its year, else after
        // the projection or the baseline: the KPI's values stay in year order.
        let series = children.filter { ["expected", "actual", "not-measured"].contains(name($0)) }
        let before = series.filter { (year($0) ?? .max) <= edit.year }
        let reference =
            before.max { (year($0) ?? 0) < (year($1) ?? 0) }.map { best in
                before.last { year($0) == year(best) } ?? best
            } ?? children.last { ["baseline", "projection"].contains(name($0)) }
        guard let reference, let tag = findTag(in: bytes, lines: lines, node: reference, year: year(reference)) else {
            return nil
        }
        let end = elementEnd(in: bytes, tag: tag, name: name(reference))
        let lineStart = lines[max(0, Int(xmlGetLineNo(reference)) - 1)]
        let indent = Array(bytes[lineStart..<tag.start].prefix { $0 == 0x20 || $0 == 0x09 })
        let element =
            """
            <\(edit.series.rawValue) year=\"\(edit.year)\" value=\"\(escape(edit.value))\" \
            source=\"\(escape(edit.source))\"/>
            """
        return Array(bytes[..<end]) + [0x0A] + indent + Array(element.utf8) + Array(bytes[end...])
    }

    // MARK: The tree

    static func kpiElement(_ root: xmlNodePtr?, id: String) -> xmlNodePtr? {
        guard let root else { return nil }
        for section in elementChildren(root) where name(section) == "kpis" {
            for kpi in elementChildren(section) where name(kpi) == "kpi" && takeXMLString(xmlGetProp(kpi, "id")) == id {
                return kpi
            }
        }
        return nil
    }

    static func elementChildren(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var children: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { children.append(current) }
            child = current.pointee.next
        }
        return children
    }

    static func name(_ node: xmlNodePtr) -> String { node.pointee.name.map { String(cString: $0) } ?? "" }
    static func year(_ node: xmlNodePtr) -> Int? { takeXMLString(xmlGetProp(node, "year")).flatMap { Int($0) } }

    // MARK: The bytes

    /// A start tag in the file: where it starts and ends, and its attributes' values.
    struct Tag {
        let start: Int
        /// Just after `>`.
        let end: Int
        let selfClosing: Bool
        /// Attribute name → the byte range of its value (inside the quotes).
        let attributes: [(name: String, value: Range<Int>)]
    }

    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { starts.append(index + 1) }
        return starts
    }

    /// The start tag of `node` (by its name, and its year when it has one), from its line.
    static func findTag(in bytes: [UInt8], lines: [Int], node: xmlNodePtr, year: Int?) -> Tag? {
        let line = Int(xmlGetLineNo(node))
        guard line >= 1, line <= lines.count else { return nil }
        let opening = Array(("<" + name(node)).utf8)
        var index = lines[line - 1]
        while index + opening.count < bytes.count {
            if bytes[index] == 0x3C, Array(bytes[index..<index + opening.count]) == opening,
                [0x20, 0x09, 0x0A, 0x0D, 0x2F, 0x3E].contains(bytes[index + opening.count]),
                let tag = scanTag(bytes, at: index)
            {
                let tagYear = tag.attributes.first { $0.name == "year" }.map {
                    Int(String(decoding: bytes[$0.value], as: UTF8.self))
                }
                if year == nil || tagYear == year { return tag }
                index = tag.end
                continue
            }
            index += 1
        }
        return nil
    }

    /// Reads the start tag at `start` (`<name attr="v" …>` or `/>`), quotes respected.
    static func scanTag(_ bytes: [UInt8], at start: Int) -> Tag? {
        var index = start + 1
        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != 0x2F, bytes[index] != 0x3E { index += 1 }
        var attributes: [(String, Range<Int>)] = []
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { return nil }
            if bytes[index] == 0x3E {
                return Tag(start: start, end: index + 1, selfClosing: false, attributes: attributes)
            }
            if bytes[index] == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x3E {
                return Tag(start: start, end: index + 2, selfClosing: true, attributes: attributes)
            }
            let nameStart = index
            while index < bytes.count, bytes[index] != 0x3D, !isSpace(bytes[index]) { index += 1 }
            let attributeName = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            while index < bytes.count, bytes[index] != 0x22, bytes[index] != 0x27 { index += 1 }
            guard index < bytes.count else { return nil }
            let quote = bytes[index]
            let valueStart = index + 1
            index = valueStart
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else { return nil }
            attributes.append((attributeName, valueStart..<index))
            index += 1
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// Just after the element that starts with `tag`: the tag itself when it closes itself,
    /// else its end tag (value elements hold no element of their own name).
    static func elementEnd(in bytes: [UInt8], tag: Tag, name: String) -> Int {
        guard !tag.selfClosing else { return tag.end }
        let closing = Array("</\(name)>".utf8)
        var index = tag.end
        while index + closing.count <= bytes.count {
            if Array(bytes[index..<index + closing.count]) == closing { return index + closing.count }
            index += 1
        }
        return tag.end
    }

    /// Replaces attribute values in a tag (from the last in the file, so earlier ranges
    /// stay valid), adding those it lacks before `>` or `/>`.
    static func setAttributes(in bytes: [UInt8], tag: Tag, _ values: [String: String]) -> [UInt8] {
        var result = bytes
        var missing: [String] = []
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            if tag.attributes.first(where: { $0.name == key }) == nil { missing.append(" \(key)=\"\(escape(value))\"") }
        }
        let insertAt = tag.end - (tag.selfClosing ? 2 : 1)
        result.insert(contentsOf: Array(missing.joined().utf8), at: insertAt)
        for attribute in tag.attributes.sorted(by: { $0.value.lowerBound > $1.value.lowerBound }) {
            guard let value = values[attribute.name] else { continue }
            result.replaceSubrange(attribute.value, with: Array(escape(value).utf8))
        }
        return result
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
