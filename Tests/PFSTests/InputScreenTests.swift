import Foundation
import PFS
import PFSLoader
import PFSModel
import PFSTestSupport
import Testing

/// What is checked on a contract's bytes before libxml2 parses them (issue 11, items 6,
/// 13 and 14); the fixtures nul-byte, encoding-utf32, encoding-declared-latin1-on-utf8 and
/// attributes-too-many pin the messages.
@Suite struct InputScreening {
    static let maebashi = Repository.path("Contracts/maebashi-profit-share.xml")

    static func maebashiText(encoding: String) throws -> String {
        try String(contentsOfFile: maebashi, encoding: .utf8).replacingOccurrences(
            of: #"encoding="UTF-8""#, with: #"encoding="\#(encoding)""#)
    }

    /// A NUL anywhere, even after the root element (where libxml2 stopped reading and a
    /// second contract could hide), is an error at its line and column.
    @Test func aNULByteAnywhereIsRefused() throws {
        var bytes = Array(try String(contentsOfFile: Self.maebashi, encoding: .utf8).utf8)
        bytes += [0x0A, 0x00]
        let diagnostics = ContractLoader.load(bytes: bytes, file: "nul.xml").diagnostics
        #expect(diagnostics.map(\.check) == ["xml-syntax"])
        #expect(
            diagnostics.first?.location.line == bytes.filter { $0 == 0x0A }.count + 1
                && diagnostics.first?.location.column == 1)
        #expect(diagnostics.first?.message.hasPrefix("the file contains a NUL byte") == true)
        // In a UTF-16 file a NUL is a code unit 0, not every other byte.
        var utf16 = Array(try Self.maebashiText(encoding: "UTF-16").data(using: .utf16LittleEndian) ?? Data())
        #expect(ContractLoader.load(bytes: [0xFF, 0xFE] + utf16, file: "u16.xml").diagnostics.isEmpty)
        utf16.insert(contentsOf: [0x00, 0x00], at: 200)
        #expect(
            ContractLoader.load(bytes: [0xFF, 0xFE] + utf16, file: "u16.xml").diagnostics.first?.message.hasPrefix(
                "the file contains a NUL") == true)
    }

    /// Contracts honestly saved in another encoding still load; only a declaration that
    /// names another encoding than the UTF-8 the bytes are in is refused.
    @Test func honestEncodingsLoadAndAFalseOneIsRefused() throws {
        let shiftJIS = try #require(try Self.maebashiText(encoding: "Shift_JIS").data(using: .shiftJIS))
        let loaded = ContractLoader.load(bytes: Array(shiftJIS), file: "sjis.xml")
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.contract?.title.ja == "前橋市 スマートシティ事業 プロフィットシェア（公表例）")
        let lying = Array(try Self.maebashiText(encoding: "ISO-8859-1").utf8)
        #expect(ContractLoader.load(bytes: lying, file: "lying.xml").diagnostics.map(\.check) == ["xml-encoding"])
        #expect(ContractLoader.load(bytes: lying, file: "lying.xml").contract == nil)
        // ASCII-only text declared ISO-8859-1 means the same either way: accepted.
        let ascii = #"<?xml version="1.0" encoding="ISO-8859-1"?><contract xmlns="urn:pfs:contract:1"/>"#
        #expect(
            !ContractLoader.load(bytes: Array(ascii.utf8), file: "ascii.xml").diagnostics.map(\.check).contains(
                "xml-encoding"))
    }

    /// 200,000 attributes on one element (libxml2 would take minutes) are refused after
    /// one pass over the bytes; quotes and comments do not count.
    @Test func elementsWithTooManyAttributesAreRefusedBeforeParsing() throws {
        let text = try String(contentsOfFile: Self.maebashi, encoding: .utf8)
        let many = (0..<200_000).map { "a\($0)=\"1\"" }.joined(separator: " ")
        let diagnostics = ContractLoader.load(
            bytes: Array(text.replacingOccurrences(of: "<rounding ", with: "<rounding \(many) ").utf8), file: "a.xml"
        ).diagnostics
        #expect(
            diagnostics.map(\.message) == [
                "element <rounding> has 200002 attributes; pfs reads at most 100 on one element"
            ])
        let quoted =
            "<!-- " + String(repeating: "a=1 ", count: 200) + " -->\n"
            + text.replacingOccurrences(
                of: "<rounding ", with: "<rounding data-x=\"" + String(repeating: "=", count: 500) + "\" ")
        #expect(
            !ContractLoader.load(bytes: Array(quoted.utf8), file: "q.xml").diagnostics.contains {
                $0.check == "input-too-large"
            })
    }
}
