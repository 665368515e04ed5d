import CLibXML2
import Foundation
import PFSModel
import ZIPFoundation

/// The first worksheet of an .xlsx workbook as a grid of texts: shared and inline strings
/// as written, numbers as the text of their `<v>` (never through a Double), parsed with the
/// same safe libxml2 options as contracts.
enum XLSXReader {
    /// The largest part read from a workbook once unpacked (a zip bomb is refused).
    static let maxPartBytes = 64 << 20
    /// A worksheet's bounds, Excel's own: 1,048,576 rows, 16,384 columns (A–XFD).
    static let maxRow = 1 << 20
    static let maxColumn = 1 << 14
    /// The most cells a sheet's grid may span (rows times their widths), checked before
    /// the grid is made: a few bytes naming cell XFD1048576 never become gigabytes.
    static let maxGridCells = 1 << 22

    /// Why a part could not be used.
    enum PartProblem: Error {
        case missing
        case tooLarge
        case refusedXML(String)
        case cells(String)
    }

    static func firstSheet(_ bytes: [UInt8], file: String) -> Result<(String, [[String]]), TableProblem> {
        func fail(_ message: String, hint: String = "save the table from the spreadsheet program as .xlsx or CSV")
            -> Result<(String, [[String]]), TableProblem>
        {
            .failure(ActualsTable.problem("\(file) \(message)", file: file, hint: hint))
        }
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else {
            return fail("is not an .xlsx workbook (not a zip archive)")
        }
        func part(_ path: String) -> Result<[UInt8], PartProblem> {
            guard let entry = archive[path] else { return .failure(.missing) }
            guard entry.uncompressedSize <= maxPartBytes else { return .failure(.tooLarge) }
            var data = Data()
            // The size an entry declares can lie: stop reading once past the limit.
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if data.count > maxPartBytes { throw PartProblem.tooLarge }
                }
            } catch PartProblem.tooLarge {
                return .failure(.tooLarge)
            } catch {
                return .failure(.missing)
            }
            return .success(Array(data))
        }
        func explain(_ problem: PartProblem, _ path: String) -> Result<(String, [[String]]), TableProblem> {
            switch problem {
            case .missing: return fail("lacks its part \(path)")
            case .tooLarge:
                return fail(
                    "has a part (\(path)) larger than \(maxPartBytes >> 20) MiB once unpacked",
                    hint: "a table of values is small: check that this is the right file, or save it as CSV")
            case .refusedXML(let why): return fail("holds XML pfs refuses in \(path): \(why)")
            case .cells(let why):
                return fail("has \(why) in \(path)", hint: "keep the table within the first columns and rows of the sheet")
            }
        }
        let workbook: [UInt8]
        let relations: [UInt8]
        switch (part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")) {
        case (.success(let book), .success(let links)): (workbook, relations) = (book, links)
        case (.failure(let problem), _): return explain(problem, "xl/workbook.xml")
        case (_, .failure(let problem)): return explain(problem, "xl/_rels/workbook.xml.rels")
        }
        let sheets: [[String: String]]
        let links: [[String: String]]
        switch (elements(in: workbook, named: "sheet"), elements(in: relations, named: "Relationship")) {
        case (.success(let found), .success(let related)): (sheets, links) = (found, related)
        case (.failure(let problem), _): return explain(problem, "xl/workbook.xml")
        case (_, .failure(let problem)): return explain(problem, "xl/_rels/workbook.xml.rels")
        }
        guard let first = sheets.first, let name = first["name"], let relation = first["id"] else {
            return fail("has no worksheet")
        }
        guard let target = links.first(where: { $0["Id"] == relation })?["Target"] else {
            return fail("does not say where its first sheet is")
        }
        let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        var shared: [String] = []
        switch part("xl/sharedStrings.xml").flatMap(sharedStrings) {
        case .success(let strings): shared = strings
        case .failure(.missing): break  // a workbook without text cells has none
        case .failure(let problem): return explain(problem, "xl/sharedStrings.xml")
        }
        switch part(path).flatMap({ grid($0, shared: shared) }) {
        case .success(let rows): return .success((name, rows))
        case .failure(let problem): return explain(problem, path)
        }
    }

    /// A part parsed safely, or why not.
    private static func parsed(_ bytes: [UInt8], url: String) -> Result<ParsedDocument, PartProblem> {
        switch SafeParser.parse(bytes, url: url) {
        case .document(let document): return .success(document)
        case .documentType(let line): return .failure(.refusedXML("a document type declaration (DOCTYPE) on line \(line)"))
        case .malformed(let errors):
            return .failure(.refusedXML(errors.first.map { "\($0.message) (line \($0.line))" } ?? "not well-formed"))
        }
    }

    /// Every element named `name` (any namespace) with its attributes by local name.
    static func elements(in bytes: [UInt8], named name: String) -> Result<[[String: String]], PartProblem> {
        parsed(bytes, url: "part.xml").map { document in
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
    }

    static func sharedStrings(_ bytes: [UInt8]) -> Result<[String], PartProblem> {
        parsed(bytes, url: "sharedStrings.xml").map { document in
            var strings: [String] = []
            walk(document.root) { node in
                // Each <si> is one string: its <t> texts (rich text has several runs).
                if localName(node) == "si" { strings.append(texts(node)) }
            }
            return strings
        }
    }

    static func grid(_ bytes: [UInt8], shared: [String]) -> Result<[[String]], PartProblem> {
        let document: ParsedDocument
        switch parsed(bytes, url: "sheet.xml") {
        case .success(let parsed): document = parsed
        case .failure(let problem): return .failure(problem)
        }
        var rows: [Int: [Int: String]] = [:]
        var problem: PartProblem?
        walk(document.root) { node in
            guard problem == nil, localName(node) == "c", let reference = property(node, "r") else { return }
            guard let (row, column) = cellPosition(reference), row <= maxRow, column <= maxColumn else {
                problem = .cells("cell '\(reference.printable(limit: 20))', beyond a sheet's \(maxRow) rows and \(maxColumn) columns")
                return
            }
            let type = property(node, "t")
            // TRUE in a value's cell is not the number 1, nor an error the number 0.
            if type == "b" || type == "e" {
                problem = .cells("a \(type == "b" ? "TRUE/FALSE" : "error") value in cell \(reference)")
                return
            }
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
        if let problem { return .failure(problem) }
        guard let last = rows.keys.max() else { return .success([]) }
        let spanned = rows.values.reduce(last) { $0 + ($1.keys.max() ?? 0) }
        guard spanned <= maxGridCells else {
            return .failure(.cells("cells spread over \(spanned) places (at most \(maxGridCells) are read)"))
        }
        return .success(
            (1...last).map { row in
                let cells = rows[row] ?? [:]
                guard let width = cells.keys.max() else { return [] }
                return (1...width).map { cells[$0] ?? "" }
            })
    }

    /// "C12" → (12, 3).
    static func cellPosition(_ reference: String) -> (Int, Int)? {
        let letters = reference.prefix { $0.isLetter }
        // More than three letters is past column XFD; stop before the number overflows.
        guard let row = Int(reference.dropFirst(letters.count)), !letters.isEmpty, letters.count <= 3, row >= 1
        else { return nil }
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
