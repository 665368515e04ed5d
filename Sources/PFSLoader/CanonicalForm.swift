import CLibXML2

/// The canonical form of a contract, which its digest is computed over: Canonical XML 1.0
/// without comments, after dropping whitespace-only text between elements. Re-indenting the
/// file, reordering attributes, changing quote style or the encoding declaration, or adding
/// comments leaves it unchanged; any change to an element, attribute or value changes it.
public enum CanonicalForm {
    /// The canonical bytes of a well-formed contract, or `nil` when it does not parse (the
    /// loader reports why). Parsed with the loader's safe options: nothing is loaded.
    public static func bytes(of xml: [UInt8], file: String) -> [UInt8]? {
        guard !xml.isEmpty, case .document(let document) = SafeParser.parse(xml, url: file, extraOptions: noBlanks)
        else {
            return nil
        }
        return bytes(of: document)
    }

    /// Whitespace-only text between elements is dropped when parsing (libxml2's
    /// `XML_PARSE_NOBLANKS`): the loader parses so too, and the canonical form of the
    /// loader's own document is the contract's (one parse per contract).
    static let noBlanks = Int32(XML_PARSE_NOBLANKS.rawValue)

    /// The canonical bytes of a document parsed with ``noBlanks``.
    static func bytes(of document: ParsedDocument) -> [UInt8]? {
        var output: UnsafeMutablePointer<xmlChar>?
        let length = xmlC14NDocDumpMemory(document.pointer, nil, Int32(XML_C14N_1_0.rawValue), nil, 0, &output)
        guard length >= 0, let output else { return nil }
        defer { pfs_xmlFree(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }
}
