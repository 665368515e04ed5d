import CLibXML2
import Foundation
import PFSModel
import ZIPFoundation

/// The first worksheet of an .xlsx workbook as a grid of texts: shared and inline strings
/// as written, numbers as the text of their `<v>` (never through a Double), parsed with the
/// same safe libxml2 options as contracts.
enum XLSXReader {
    static func firstSheet(_ bytes: [UInt8], file: String) -> Result<(String, [[String]]), TableProblem> {
        func fail(_ message: String) -> Result<(String, [[String]]), TableProblem> {
            .failure(
                ActualsTable.problem(
                    "\(file) \(message)", file: file,
                    hint: "save the table from the spreadsheet program as .xlsx or CSV"))
        }
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read) else {
            return fail("is not an .xlsx workbook (not a zip archive)")
        }
        func part(_ path: String) -> [UInt8]? {
            guard let entry = archive[path], entry.uncompressedSize <= 256 << 20 else { return nil }
            var data = Data()
            guard (try? archive.extract(entry, consumer: { data.append($0) })) != nil else { return nil }
            return Array(data)
        }
        guard let workbook = part("xl/workbook.xml"), let relations = part("xl/_rels/workbook.xml.rels") else {
            return fail("has no workbook part (xl/workbook.xml)")
        }
        let sheets = elements(in: workbook, named: "sheet")
        guard let first = sheets.first, let name = first["name"], let relation = first["id"] else {
            return fail("has no worksheet")
        }
        let target = elements(in: relations, named: "Relationship").first { $0["Id"] == relation }?["Target"]
        guard let target else { return fail("does not say where its first sheet is") }
        let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheet = part(path) else { return fail("lacks its first sheet (\(path))") }
        let shared = part("xl/sharedStrings.xml").map(sharedStrings) ?? []
        return .success((name, grid(sheet, shared: shared)))
    }

    /// Every element named `name` (any namespace) with its attributes by local name.
    static func elements(in bytes: [UInt8], named name: String) -> [[String: String]] {
        guard case .document(let document) = SafeParser.parse(bytes, url: "part.xml") else { return [] }
        var found: [[String: String]] = []
        walk(document.root) { node in
            guard localName(node) == name else { return }
            var attributes: [String: String] = [:]
            var attribute = node.pointee.properties
            while let current = attribute {
                let key = String(cString: current.pointee.name)
                attributes[key] = takeXMLString(xmlNodeGetContent(current.pointee.children)) ?? ""
                attribute = current.pointee.next
            }
            found.append(attributes)
        }
        return found
    }

    static func sharedStrings(_ bytes: [UInt8]) -> [String] {
        guard case .document(let document) = SafeParser.parse(bytes, url: "sharedStrings.xml") else { return [] }
        var strings: [String] = []
        walk(document.root) { node in
            // Each <si> is one string: its <t> texts (rich text has several runs).
            if localName(node) == "si" { strings.append(texts(node)) }
        }
        return strings
    }

    static func grid(_ bytes: [UInt8], shared: [String]) -> [[String]] {
        guard case .document(let document) = SafeParser.parse(bytes, url: "sheet.xml") else { return [] }
        var rows: [Int: [Int: String]] = [:]
        walk(document.root) { node in
            guard localName(node) == "c", let reference = property(node, "r"),
                let (row, column) = cellPosition(reference)
            else { return }
            let type = property(node, "t")
            var text = ""
            var child = node.pointee.children
            while let current = child {
                switch localName(current) {
                case "v":
                    let value = takeXMLString(xmlNodeGetContent(current)) ?? ""
                    text =
                        type == "s"
                        ? (Int(value).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? "") : value
                case "is": text = texts(current)
                default: break
                }
                child = current.pointee.next
            }
            rows[row, default: [:]][column] = text
        }
        guard let last = rows.keys.max() else { return [] }
        return (1...last).map { row in
            let cells = rows[row] ?? [:]
            guard let width = cells.keys.max() else { return [] }
            return (1...width).map { cells[$0] ?? "" }
        }
    }

    /// "C12" → (12, 3).
    static func cellPosition(_ reference: String) -> (Int, Int)? {
        let letters = reference.prefix { $0.isLetter }
        guard let row = Int(reference.dropFirst(letters.count)), !letters.isEmpty else { return nil }
        var column = 0
        for scalar in letters.uppercased().unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { return nil }
            column = column * 26 + Int(scalar.value) - 64
        }
        return (row, column)
    }

    static func texts(_ node: xmlNodePtr) -> String {
        var result = ""
        walk(node) { current in
            if localName(current) == "t" { result += takeXMLString(xmlNodeGetContent(current)) ?? "" }
        }
        return result
    }

    /// Visits `node` and every element under it, in document order.
    static func walk(_ node: xmlNodePtr?, _ visit: (xmlNodePtr) -> Void) {
        guard let node, node.pointee.type == XML_ELEMENT_NODE else { return }
        visit(node)
        var child = node.pointee.children
        while let current = child {
            walk(current, visit)
            child = current.pointee.next
        }
    }

    static func localName(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    static func property(_ node: xmlNodePtr, _ name: String) -> String? {
        takeXMLString(xmlGetProp(node, name))
    }
}
