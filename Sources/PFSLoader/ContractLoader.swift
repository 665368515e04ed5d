import CLibXML2
import Foundation
import PFSModel

#if canImport(Glibc)
import Glibc
#endif

/// What loading a contract file produced: the contract if it could be read, and every
/// problem found on the way. A contract is returned only when there are no errors.
public struct LoadResult: Sendable {
    /// The contract, when the file is well-formed, schema-valid and its values parse.
    public let contract: Contract?
    /// The file's bytes as read, for digests (empty if it could not be read).
    public let bytes: [UInt8]
    /// Problems, in file order within each stage.
    public let diagnostics: [Diagnostic]
    /// The contract as read when the file is schema-valid but some values are not (a
    /// malformed decimal, a forbidden character): enough to run the semantic checks on
    /// the rest, never to settle.
    public let partial: Contract?
    /// The contract's canonical form (see ``CanonicalForm``), from the same parse, when it
    /// was asked for and the contract loaded.
    public let canonical: [UInt8]?

    init(
        contract: Contract?, bytes: [UInt8], diagnostics: [Diagnostic], partial: Contract? = nil,
        canonical: [UInt8]? = nil
    ) {
        self.contract = contract
        self.bytes = bytes
        self.diagnostics = diagnostics
        self.partial = partial
        self.canonical = canonical
    }
}

/// Loads contract XML safely: size cap, no network, no DTDs or entities, XSD validation,
/// then the model with a source location for every element.
public enum ContractLoader {
    /// The namespace of contract format version 1.
    public static let namespace = ContractFormat.one.namespace
    /// The newest format version this engine reads (it reads every version up to it).
    public static let formatVersion = ContractFormat.allCases.map(\.rawValue).max() ?? 1
    /// Largest file accepted, in bytes (64 MiB).
    public static let defaultMaxBytes = 64 << 20

    /// The XSD text the binary carries (Contracts/schema/pfs-contract-1.xsd).
    public static var schemaText: [UInt8] { bundledSchemas[.one]?.text ?? [] }

    /// The XSD text of `format` the binary carries (Contracts/schema/pfs-contract-N.xsd).
    public static func schemaText(of format: ContractFormat) -> [UInt8] { bundledSchemas[format]?.text ?? [] }

    /// Reads and loads the file at `path`; diagnostics name it as `displayName` (default:
    /// `path`). With `canonical`, the result also holds the contract's canonical form.
    public static func load(
        path: String, displayName: String? = nil, maxBytes: Int = defaultMaxBytes, canonical: Bool = false
    ) -> LoadResult {
        let name = displayName ?? path
        switch read(path: path, displayName: name, maxBytes: maxBytes) {
        case .success(let bytes):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            return load(bytes: bytes, file: name, canonical: canonical, baseDirectory: folder)
        case .failure(let failure): return LoadResult(contract: nil, bytes: [], diagnostics: [failure.diagnostic])
        }
    }

    /// Why a file could not be read as a contract at all, as a diagnostic.
    public struct ReadFailure: Error, Sendable {
        /// Missing, a directory, unreadable or over the size limit; names the file.
        public let diagnostic: Diagnostic
    }

    /// The bytes of the file at `path`; diagnostics name `displayName`.
    public static func read(
        path: String, displayName: String, maxBytes: Int = defaultMaxBytes
    ) -> Result<[UInt8], ReadFailure> {
        readFile(path, maxBytes: maxBytes).mapError { ReadFailure(diagnostic: $0.located(in: displayName)) }
    }

    /// The id the contract declares on its root element, and the line of that element,
    /// read without loading the rest (nil when the file has no readable root element; the
    /// full check then says why).
    public static func declaredID(bytes: [UInt8]) -> (id: String, line: Int)? {
        guard let root = SafeParser.rootAttributes(bytes), let id = root.attributes["id"] else { return nil }
        return (id, root.line)
    }

    /// Loads contract XML held in memory; `file` names it in diagnostics. With `canonical`,
    /// the result also holds the contract's canonical form, from the same parse.
    public static func load(
        bytes: [UInt8], file: String, maxBytes: Int = defaultMaxBytes, canonical: Bool = false,
        baseDirectory: String? = nil
    ) -> LoadResult {
        func failed(_ diagnostics: [Diagnostic]) -> LoadResult {
            LoadResult(contract: nil, bytes: bytes, diagnostics: diagnostics)
        }
        let source = SourceText(file: file, bytes: bytes)
        guard bytes.count <= maxBytes else {
            return failed([FileProblem.tooLarge(size: bytes.count, limit: maxBytes).located(in: file)])
        }
        guard !bytes.isEmpty else {
            return failed([
                Diagnostic(
                    check: .xmlSyntax, message: "the file is empty",
                    hint: "a contract starts with <contract xmlns=\"\(namespace)\" format-version=\"1\" …>",
                    at: .file(file))
            ])
        }
        // A large file is counted first, without a tree: an oversized contract is refused
        // in the time and memory of reading it once.
        if bytes.count > 1 << 20, let size = SafeParser.size(bytes) {
            let line = SafeParser.rootAttributes(bytes)?.line ?? 1
            let oversized = size.excess(at: SourceLocation(file: file, line: line, column: 1))
            guard oversized.isEmpty else { return failed(oversized) }
        }
        let screened = InputScreen.problems(bytes, file: file)
        guard screened.isEmpty else { return failed(screened) }
        let document: ParsedDocument
        // Parsed as for the canonical form (whitespace between elements dropped), which
        // changes nothing the reader or the schema sees and gives the digest from this parse.
        switch SafeParser.parse(bytes, url: file, extraOptions: CanonicalForm.noBlanks) {
        case .document(let parsed):
            document = parsed
        case .documentType(let line):
            return failed([
                Diagnostic(
                    check: .xmlDoctype,
                    message:
                        """
                        the document declares a DOCTYPE; contracts may not declare DTDs or entities, and nothing \
                        after it was read
                        """,
                    hint: "remove the <!DOCTYPE …> declaration; pfs never loads DTDs or expands entities",
                    at: SourceLocation(file: file, line: max(line, 1), column: 1))
            ])
        case .malformed(let errors):
            return failed(
                errors.map { error in
                    let (message, hint) = SyntaxAdvice.explain(error.message)
                    return Diagnostic(
                        check: .xmlSyntax, message: message, hint: hint,
                        at: SourceLocation(file: file, line: error.line, column: error.column))
                })
        }
        let reader = ContractReader(source: source)
        guard let root = document.root else {
            return failed([Diagnostic(check: .xmlSyntax, message: "the document has no root element", at: .file(file))])
        }
        let format: ContractFormat
        switch self.format(root: root, reader: reader) {
        case .success(let found): format = found
        case .failure(let problem): return failed([problem.diagnostic])
        }
        // Counted in the parsed tree before validating or building anything: a contract
        // of a million credits is refused at the cost of parsing it, not of its model.
        let oversized = size(of: root).excess(
            at: reader.location(of: root, line: Int(xmlGetLineNo(root)), column: 0))
        guard oversized.isEmpty else { return failed(oversized) }

        let schema: CompiledSchema
        switch bundledSchemas[format]?.compiled ?? .failure(SchemaCompilationError(messages: ["no schema"])) {
        case .success(let compiled): schema = compiled
        case .failure(let error):
            return failed([
                Diagnostic(
                    check: .internalSchema,
                    message: "the bundled schema does not compile: \(error.messages.joined(separator: "; "))",
                    hint: "this is a defect of the pfs build; please report it", at: .file(file))
            ])
        }
        let schemaErrors = schema.validate(document).map { error in
            let message = readableSchemaMessage(error.message, namespace: format.namespace)
            return Diagnostic(
                check: .schema, message: message + namespaceNote(error.node, namespace: format.namespace),
                hint: SchemaAdvice.hint(for: message, format: format),
                at: reader.location(of: error.node, line: error.line, column: error.column))
        }
        // The values are read even when the schema found errors, so that a malformed
        // decimal or a control character elsewhere is reported in the same run; what the
        // reader says about an element the schema already faulted is left out (one mistake,
        // one diagnostic).
        var contractReader = reader
        // Files a contract names lie beside it (its name is a path when it was read from one).
        contractReader.baseDirectory = baseDirectory ?? URL(fileURLWithPath: file).deletingLastPathComponent().path
        let contract = contractReader.read(root: root, format: format)
        let faulted = Set(schemaErrors.compactMap(\.location.element))
        let valueProblems = contractReader.diagnostics.filter { diagnostic in
            guard let element = diagnostic.location.element else { return true }
            return !faulted.contains { element == $0 || element.hasPrefix($0 + "/") }
        }
        let problems = (schemaErrors + valueProblems).sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }
        guard problems.isEmpty else {
            return LoadResult(
                contract: nil, bytes: bytes, diagnostics: problems, partial: schemaErrors.isEmpty ? contract : nil)
        }
        return LoadResult(
            contract: contract, bytes: bytes, diagnostics: [],
            canonical: canonical ? CanonicalForm.bytes(of: document) : nil)
    }

    /// How many of each counted thing the tree under `root` holds (elements by local name).
    private static func size(of root: xmlNodePtr) -> ContractSize {
        var size = ContractSize()
        var pending: [xmlNodePtr] = [root]
        while let node = pending.popLast() {
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    if let name = current.pointee.name,
                        let thing = ContractSize.Thing.of(element: String(cString: name))
                    {
                        size.counts[thing, default: 0] += 1
                    }
                    pending.append(current)
                }
                child = current.pointee.next
            }
        }
        return size
    }

    /// Why a root element is not one pfs reads.
    private struct FormatProblem: Error { let diagnostic: Diagnostic }

    /// The root must be `<contract>` in the namespace of a version this pfs reads; another
    /// version or a missing namespace gets its own message rather than a generic schema error.
    private static func format(root: xmlNodePtr, reader: ContractReader) -> Result<ContractFormat, FormatProblem> {
        let name = root.pointee.name.map { String(cString: $0) } ?? ""
        let href = root.pointee.ns?.pointee.href.map { String(cString: $0) }
        let location = reader.location(of: root, line: Int(xmlGetLineNo(root)), column: 0)
        if name == "contract", let format = ContractFormat.allCases.first(where: { $0.namespace == href }) {
            return .success(format)
        }
        let prefix = "urn:pfs:contract:"
        let versions = ContractFormat.allCases.map { String($0.rawValue) }.joined(separator: " and ")
        if let href, href.hasPrefix(prefix), name == "contract" {
            let version = String(href.dropFirst(prefix.count))
            return .failure(
                FormatProblem(
                    diagnostic: Diagnostic(
                        check: .formatVersion,
                        message: "the contract is written in format version '\(version)'; this pfs reads \(versions)",
                        hint:
                            """
                            use the pfs release that reads version \(version), or rewrite the contract for \
                            \(ContractFormat.two.namespace)
                            """,
                        at: location)))
        }
        let found = href.map { "<\(name)> in namespace '\($0)'" } ?? "<\(name)> without a namespace"
        return .failure(
            FormatProblem(
                diagnostic: Diagnostic(
                    check: .formatNamespace,
                    message: "the root element is \(found); expected <contract> in namespace '\(namespace)'",
                    hint: "start the contract with <contract xmlns=\"\(namespace)\" format-version=\"1\" id=\"…\">",
                    at: location)))
    }

    /// An element outside the contract namespace reads, in libxml2's words, like the one
    /// expected ("'term' … Expected is ( term )"); say what differs.
    private static func namespaceNote(_ node: xmlNodePtr?, namespace: String) -> String {
        guard let node, node.pointee.type == XML_ELEMENT_NODE else { return "" }
        let href = node.pointee.ns?.pointee.href.map { String(cString: $0) }
        guard href != namespace else { return "" }
        let name = node.pointee.name.map { String(cString: $0) } ?? ""
        let place = href.map { "namespace '\($0)'" } ?? "no namespace"
        return " <\(name)> here is in \(place); contract elements belong to '\(namespace)'."
    }

    /// libxml2 writes names as `{namespace}local`; users write `local`. It also quotes the
    /// offending value whole, which for a hostile file can be megabytes: shorten it.
    static func readableSchemaMessage(_ message: String, namespace: String = ContractLoader.namespace) -> String {
        let parts = message.replacingOccurrences(of: "{\(namespace)}", with: "").split(
            separator: "'", omittingEmptySubsequences: false)
        let limit = 60
        // Odd-numbered parts are the quoted values.
        let text = parts.enumerated().map { index, part in
            guard index % 2 == 1, part.count > limit else { return String(part) }
            return String(part.prefix(limit)) + "… (\(part.count) characters)"
        }.joined(separator: "'")
        // libxml2 cuts long messages off, even inside a quoted value: close the quote.
        return parts.count % 2 == 0 ? text + "…' (the rest of the message was cut off by libxml2)" : text
    }

    private static let bundledSchemas:
        [ContractFormat: (text: [UInt8], compiled: Result<CompiledSchema, SchemaCompilationError>)] = {
            // Carried in the binary (EmbeddedSchema*.swift), not read from a resource bundle
            // that an installed binary would not find.
            let texts: [ContractFormat: String] = [.one: EmbeddedSchema.text, .two: EmbeddedSchema2.text]
            return texts.mapValues { text in (Array(text.utf8), CompiledSchema.compile(Array(text.utf8))) }
        }()

    /// Reads a file of at most `maxBytes` without ever blocking on it; `regularOnly` refuses
    /// a pipe, socket or device (a records file or a table is always a regular file).
    public static func readFile(_ path: String, maxBytes: Int, regularOnly: Bool = false) -> Result<[UInt8], FileProblem> {
        // Opening a FIFO without a writer would block for ever: open without waiting, then
        // read as usual (a pipe with no writer reads as empty at once).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable) }
        guard (status.st_mode & S_IFMT) != S_IFDIR else { return .failure(.isDirectory) }
        if regularOnly, (status.st_mode & S_IFMT) != S_IFREG { return .failure(.notRegular) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        // A regular file's size is known before reading: refuse a huge one without reading it.
        let regular = (status.st_mode & S_IFMT) == S_IFREG
        if regular, status.st_size > maxBytes { return .failure(.tooLarge(size: Int(status.st_size), limit: maxBytes)) }
        // A pipe or device has no size: read one byte past the cap, never more.
        let capacity = maxBytes + 1
        var bytes = [UInt8](repeating: 0, count: regular ? Int(status.st_size) + 1 : min(capacity, 1 << 16))
        var count = 0
        while count < capacity {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(bytes.count, capacity - bytes.count)) }
            let read = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress.map { $0 + count }, buffer.count - count)
            }
            if read < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable)
            }
            if read == 0 { break }
            count += read
        }
        guard count <= maxBytes else { return .failure(.tooLarge(size: count, limit: maxBytes)) }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }
}

/// A file that could not be read as a contract at all.
public enum FileProblem: Error {
    case missing, unreadable, isDirectory, notRegular
    case tooLarge(size: Int, limit: Int)

    func located(in file: String) -> Diagnostic {
        switch self {
        case .missing:
            return Diagnostic(check: .fileUnreadable, message: "no such file", hint: "check the path", at: .file(file))
        case .unreadable:
            return Diagnostic(
                check: .fileUnreadable, message: "the file cannot be read", hint: "check its permissions",
                at: .file(file))
        case .isDirectory:
            return Diagnostic(
                check: .fileUnreadable, message: "this is a directory, not a contract file",
                hint: "name a contract .xml file", at: .file(file))
        case .notRegular:
            return Diagnostic(
                check: .fileUnreadable, message: "this is a pipe, socket or device, not a file",
                hint: "name a regular file", at: .file(file))
        case .tooLarge(let size, let limit):
            return Diagnostic(
                check: .inputTooLarge, message: "the file has \(size) bytes; contracts are limited to \(limit) bytes",
                hint: "split the contract, or check that this is the right file", at: .file(file))
        }
    }
}
