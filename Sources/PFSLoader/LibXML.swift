import CLibXML2
import PFSModel

/// One error libxml2 reported, copied out of its C structure.
struct LibXMLError {
    let message: String
    let line: Int
    let column: Int
    let node: xmlNodePtr?
}

/// Collects libxml2's errors through the `void *` context of its callbacks: no global
/// state, so loads may run on several threads at once.
final class LibXMLErrorCollector {
    private(set) var errors: [LibXMLError] = []
    /// The line of a DOCTYPE declaration, if the parser met one (and stopped there).
    var doctypeLine: Int?
    /// libxml2 keeps reporting after a fatal error; a hostile file could make millions.
    static let limit = 100

    func append(_ error: xmlError) {
        guard errors.count < Self.limit else { return }
        var message = error.message.map { String(cString: $0) } ?? "unknown XML error"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        let node = error.node?.assumingMemoryBound(to: xmlNode.self)
        let reported = LibXMLError(message: message, line: Int(error.line), column: Int(error.int2), node: node)
        // libxml2 repeats some errors (an entity loop once per reference); once is enough.
        if let last = errors.last, last.message == reported.message, last.line == reported.line,
            last.column == reported.column
        {
            return
        }
        errors.append(reported)
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// The C callback: forwards to the collector passed as context.
func collectLibXMLError(_ context: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<xmlError>?) {
    guard let context, let error else { return }
    Unmanaged<LibXMLErrorCollector>.fromOpaque(context).takeUnretainedValue().append(error.pointee)
}

/// The SAX callback for `<!DOCTYPE`: it runs before any declaration inside the DOCTYPE is
/// read, so stopping here means no entity or DTD is ever parsed, loaded or expanded.
func rejectDocumentType(
    _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?,
    _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?
) {
    guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
    if let collector = parser.pointee._private {
        Unmanaged<LibXMLErrorCollector>.fromOpaque(collector).takeUnretainedValue().doctypeLine = Int(
            xmlSAX2GetLineNumber(context))
    }
    xmlStopParser(parser)
}

/// A parsed document; frees itself.
final class ParsedDocument {
    let pointer: xmlDocPtr

    init(_ pointer: xmlDocPtr) { self.pointer = pointer }
    deinit { xmlFreeDoc(pointer) }

    /// Whether the document has a DOCTYPE: internal subset (entity declarations) or an
    /// external DTD reference. Such documents are rejected before anything is read,
    /// since reading text would expand internal entities.
    var hasDocumentType: Bool { pointer.pointee.intSubset != nil || pointer.pointee.extSubset != nil }

    var root: xmlNodePtr? { xmlDocGetRootElement(pointer) }
}

enum SafeParser {
    /// No network, no DTD loading, no entity substitution (NOENT is never set), no
    /// XInclude; line numbers past 65,535 kept; errors collected rather than printed.
    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue
    )

    /// What parsing produced.
    enum Outcome {
        case document(ParsedDocument)
        /// The file declares a DOCTYPE at this line; parsing stopped there.
        case documentType(line: Int)
        case malformed([LibXMLError])
    }

    /// Parses `bytes`, stopping at a DOCTYPE; `extraOptions` may only add options that do
    /// not load anything (e.g. `XML_PARSE_NOBLANKS`).
    static func parse(_ bytes: [UInt8], url: String, extraOptions: Int32 = 0) -> Outcome {
        let collector = LibXMLErrorCollector()
        guard let context = xmlNewParserCtxt() else {
            return .malformed([
                LibXMLError(message: "libxml2 could not allocate a parser", line: 0, column: 0, node: nil)
            ])
        }
        defer { xmlFreeParserCtxt(context) }
        context.pointee._private = collector.context
        context.pointee.sax.pointee.internalSubset = rejectDocumentType
        // libxml2 keeps this handler per thread; set it for this parse only.
        xmlSetStructuredErrorFunc(collector.context, collectLibXMLError)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                xmlCtxtReadMemory(context, base, Int32(buffer.count), url, nil, options | extraOptions)
            }
        }
        let wellFormed = context.pointee.wellFormed != 0
        let parsed = document.map(ParsedDocument.init)
        if let line = collector.doctypeLine { return .documentType(line: line) }
        if let parsed, parsed.hasDocumentType { return .documentType(line: 1) }
        guard let parsed, wellFormed, collector.errors.isEmpty else {
            let errors = collector.errors
            return .malformed(
                errors.isEmpty
                    ? [LibXMLError(message: "the document is not well-formed", line: 0, column: 0, node: nil)] : errors)
        }
        return .document(parsed)
    }
}

/// The root element's attributes, read by stopping the parser at the root's start tag:
/// what a portfolio needs of every file (the contract id) before it checks any.
final class RootElementProbe {
    var attributes: [String: String] = [:]
    var line = 0
    var found = false

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// The SAX callback for the first start tag: copies its attributes and stops the parser.
/// Attribute values arrive as (localname, prefix, URI, value, end) five-pointer tuples.
private func probeRootElement(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?,
    _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
    _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ attributeCount: Int32, _ defaultedCount: Int32,
    _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self), let own = parser.pointee._private else {
        return
    }
    let probe = Unmanaged<RootElementProbe>.fromOpaque(own).takeUnretainedValue()
    probe.found = true
    probe.line = Int(xmlSAX2GetLineNumber(context))
    if let attributes {
        for index in 0..<Int(max(0, attributeCount)) {
            let base = index * 5
            guard let name = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else {
                continue
            }
            let value = String(decoding: UnsafeBufferPointer(start: start, count: max(0, end - start)), as: UTF8.self)
            probe.attributes[String(cString: name)] = value
        }
    }
    xmlStopParser(parser)
}

/// The SAX callback for `<!DOCTYPE` while probing: stop, read nothing of it.
private func stopAtDocumentType(
    _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?,
    _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?
) {
    guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
    xmlStopParser(parser)
}

extension SafeParser {
    /// The root element's attributes and line, parsing no further than its start tag (nil
    /// when the document has no root element before an error or a DOCTYPE).
    static func rootAttributes(_ bytes: [UInt8]) -> (attributes: [String: String], line: Int)? {
        guard !bytes.isEmpty, let context = xmlNewParserCtxt() else { return nil }
        defer { xmlFreeParserCtxt(context) }
        let probe = RootElementProbe()
        context.pointee._private = probe.context
        context.pointee.sax.pointee.internalSubset = stopAtDocumentType
        context.pointee.sax.pointee.startElementNs = probeRootElement
        _ = runSAX(context, bytes, url: "probe")
        return probe.found ? (probe.attributes, probe.line) : nil
    }

    /// Runs a parser whose SAX callbacks were set on `context` over `bytes`, its errors
    /// collected rather than printed, and frees whatever tree the default callbacks left;
    /// the errors libxml2 reported.
    static func runSAX(_ context: xmlParserCtxtPtr, _ bytes: [UInt8], url: String) -> [LibXMLError] {
        let collector = LibXMLErrorCollector()
        xmlSetStructuredErrorFunc(collector.context, collectLibXMLError)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                    xmlCtxtReadMemory(context, pointer, Int32(buffer.count), url, nil, options)
                }
            } ?? nil
        }
        if let document { xmlFreeDoc(document) }
        return collector.errors
    }
}

/// A compiled XSD; read-only once compiled, so one instance serves every thread.
final class CompiledSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr

    /// Compiles the schema text, or returns libxml2's errors.
    static func compile(_ text: [UInt8]) -> Result<CompiledSchema, SchemaCompilationError> {
        let collector = LibXMLErrorCollector()
        let parsed: xmlSchemaPtr? = text.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                guard let parser = xmlSchemaNewMemParserCtxt(base, Int32(buffer.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                xmlSchemaSetParserStructuredErrors(parser, collectLibXMLError, collector.context)
                return xmlSchemaParse(parser)
            }
        }
        guard let parsed else {
            return .failure(SchemaCompilationError(messages: collector.errors.map(\.message)))
        }
        return .success(CompiledSchema(schema: parsed))
    }

    private init(schema: xmlSchemaPtr) { self.schema = schema }
    deinit { xmlSchemaFree(schema) }

    /// Validates a parsed document; returns every error found.
    func validate(_ document: ParsedDocument) -> [LibXMLError] {
        let collector = LibXMLErrorCollector()
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [
                LibXMLError(message: "libxml2 could not allocate a schema validator", line: 0, column: 0, node: nil)
            ]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, collectLibXMLError, collector.context)
        let status = xmlSchemaValidateDoc(context, document.pointer)
        if status != 0 && collector.errors.isEmpty {
            return [
                LibXMLError(
                    message: "schema validation failed (libxml2 status \(status))", line: 0, column: 0, node: nil)
            ]
        }
        return collector.errors
    }
}

/// The bundled schema did not compile: a defect of the build, not of the contract.
struct SchemaCompilationError: Error {
    let messages: [String]
}

/// Reads a libxml2 string and frees it.
func takeXMLString(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    defer { pfs_xmlFree(pointer) }
    return String(cString: pointer)
}

/// A node's name as written, with its namespace prefix if any.
func qualifiedName(_ node: xmlNodePtr) -> String {
    let local = node.pointee.name.map { String(cString: $0) } ?? ""
    if let prefix = node.pointee.ns?.pointee.prefix { return String(cString: prefix) + ":" + local }
    return local
}

/// Counts of elements by local name, gathered by a SAX pass that builds no tree.
final class ElementCounter {
    var size = ContractSize()
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// The SAX callback for every start tag while counting.
private func countElement(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?,
    _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
    _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ attributeCount: Int32, _ defaultedCount: Int32,
    _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self), let own = parser.pointee._private,
        let localName
    else { return }
    let counter = Unmanaged<ElementCounter>.fromOpaque(own).takeUnretainedValue()
    if let thing = ContractSize.Thing.of(element: String(cString: localName)) {
        counter.size.counts[thing, default: 0] += 1
    }
}

extension SafeParser {
    /// How many of each counted thing the document holds, read by SAX without building a
    /// tree (a 34 MB contract of a million credits would take 600 MB as one). Nil when the
    /// document is not well-formed or declares a DOCTYPE: the full parse then says why.
    static func size(_ bytes: [UInt8]) -> ContractSize? {
        guard !bytes.isEmpty, let context = xmlNewParserCtxt() else { return nil }
        defer { xmlFreeParserCtxt(context) }
        let counter = ElementCounter()
        context.pointee._private = counter.context
        let sax = context.pointee.sax!
        sax.pointee.internalSubset = stopAtDocumentType
        sax.pointee.startElementNs = countElement
        // Nothing else is kept: no text, no end tags, no comments.
        sax.pointee.endElementNs = nil
        sax.pointee.characters = nil
        sax.pointee.ignorableWhitespace = nil
        sax.pointee.cdataBlock = nil
        sax.pointee.comment = nil
        sax.pointee.processingInstruction = nil
        sax.pointee.reference = nil
        let errors = runSAX(context, bytes, url: "count")
        return context.pointee.wellFormed != 0 && errors.isEmpty ? counter.size : nil
    }
}
