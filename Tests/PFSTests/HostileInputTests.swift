import Foundation
import PFS
import PFSChecks
import PFSEvaluator
import PFSLoader
import PFSModel
import PFSStatements
import PFSTestSupport
import Testing

/// Contracts come from many hands: nothing in a file may make pfs read another file,
/// touch the network or expand entities, and every rejection says why.
@Suite struct HostileInput {
    static func temporaryDirectory() throws -> URL { try TemporaryFolder.make() }

    static let validContract = Repository.path("Contracts/maebashi-profit-share.xml")

    static func contract(withPrologue prologue: String, titleJA: String) throws -> String {
        let text = try String(contentsOfFile: validContract, encoding: .utf8)
        return
            text
            .replacingOccurrences(of: "<contract xmlns", with: prologue + "\n<contract xmlns")
            .replacingOccurrences(of: "ja=\"前橋市 スマートシティ事業 プロフィットシェア（公表例）\"", with: "ja=\"\(titleJA)\"")
    }

    @Test func externalFileEntityIsNeverRead() throws {
        let directory = try Self.temporaryDirectory()
        let secret = "SECRET-\(UUID().uuidString)"
        let secretFile = directory.appendingPathComponent("secret.txt")
        try secret.write(to: secretFile, atomically: true, encoding: .utf8)
        let xml = try Self.contract(
            withPrologue: "<!DOCTYPE contract [ <!ENTITY s SYSTEM \"file://\(secretFile.path)\"> ]>", titleJA: "&s;")
        let file = directory.appendingPathComponent("xxe.xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)

        for arguments in [
            ["check", file.path], ["check", "--json", file.path], ["settle", file.path, "--year", "2024"],
            ["settle", file.path, "--year", "2024", "--format", "json"],
        ] {
            let run = try CommandRun.pfs(arguments)
            #expect(run.status == 1)
            #expect(!run.standardOutput.contains(secret) && !run.standardError.contains(secret))
            #expect((run.standardOutput + run.standardError).contains("xml-doctype"))
        }
    }

    @Test func parameterEntitiesAndExternalDTDsAreNeverFetched() throws {
        let listener = try LoopbackListener()
        let prologues = [
            "<!DOCTYPE contract SYSTEM \"http://127.0.0.1:\(listener.port)/contract.dtd\">",
            """
            <!DOCTYPE contract [ <!ENTITY % remote SYSTEM \"http://127.0.0.1:\(listener.port)/evil.dtd\"> \
            %remote; ]>
            """,
            "<!DOCTYPE contract [ <!ENTITY net SYSTEM \"http://127.0.0.1:\(listener.port)/x\"> ]>",
        ]
        for prologue in prologues {
            let result = PFS.check(
                bytes: Array(try Self.contract(withPrologue: prologue, titleJA: "t").utf8), file: "remote.xml")
            #expect(result.diagnostics.map(\.check) == ["xml-doctype"])
        }
        #expect(!listener.receivedConnection(), "the parser connected to the network")
    }

    @Test func entityExpansionBombsAreRejectedBeforeExpansion() throws {
        var laughs = "<!ENTITY l0 \"lol\">"
        for level in 1...9 {
            laughs += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let quadratic = "<!ENTITY a \"" + String(repeating: "x", count: 100_000) + "\">"
        let cases = [
            ("<!DOCTYPE contract [\(laughs)]>", "&l9;"),
            ("<!DOCTYPE contract [\(quadratic)]>", String(repeating: "&a;", count: 10_000)),
        ]
        for (prologue, title) in cases {
            let result = PFS.check(
                bytes: Array(try Self.contract(withPrologue: prologue, titleJA: title).utf8), file: "bomb.xml")
            #expect(result.contract == nil)
            #expect(result.diagnostics.map(\.check) == ["xml-doctype"])
        }
    }

    @Test func xincludeIsNotProcessed() throws {
        let text = try String(contentsOfFile: Self.validContract, encoding: .utf8).replacingOccurrences(
            of: "  <parties>",
            with:
                "  <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/>\n  <parties>"
        )
        let result = PFS.check(bytes: Array(text.utf8), file: "xinclude.xml")
        #expect(result.diagnostics.map(\.check) == ["schema"])
        #expect(!result.diagnostics.map(\.rendered).joined().contains("root:"))
    }

    @Test func veryLongAttributeValuesAreRejectedBySize() throws {
        let text = try String(contentsOfFile: Self.validContract, encoding: .utf8)
            .replacingOccurrences(
                of: "source=\"前橋市公表資料 (R1)\"", with: "source=\"" + String(repeating: "x", count: 5_000_000) + "\"")
        let result = PFS.check(bytes: Array(text.utf8), file: "long.xml")
        #expect(result.contract == nil)
        #expect(result.diagnostics.map(\.check) == Array(repeating: "schema", count: 4))
        // libxml2 itself cuts the message off inside the value; pfs closes the quote.
        #expect(
            result.diagnostics[0].message == "Element 'baseline', attribute 'source': [facet 'maxLength'] The value '"
                + String(repeating: "x", count: 58) + "…' (the rest of the message was cut off by libxml2)")
    }

    /// Attribute values are read in place when they are one text node; references and
    /// whitespace that the schema allows must read the same as the plain text.
    @Test func attributeValuesWithReferencesAndPaddingReadAsWritten() throws {
        var xml = ContractXML(
            kpis: ContractXML.moneyKPI("k", expected: "100", actual: "80"),
            projects: ContractXML.project("p", credits: [("k", "1")], shares: [("provider", "0.2")]))
        xml.parties = """
            <party id="city" role="public-sector"><name ja="市" en="City &amp; Ward &#x41;&#66;"/></party>
            <party id="provider" role="provider"><name ja="事業者" en="Provider &lt;1&gt; &quot;Q&quot;"/></party>
            """
        let text = xml.text.replacingOccurrences(
            of: #"<term first="2020" last="2024"/>"#, with: "<term first=\" 2020\" last=\"2024\n\"/>")
        let checked = PFS.check(bytes: Array(text.utf8), file: "inline.xml")
        #expect(checked.diagnostics.isEmpty)
        let contract = try #require(checked.contract)
        #expect(contract.parties.map(\.name.en) == ["City & Ward AB", "Provider <1> \"Q\""])
        #expect(contract.term.first == 2020 && contract.term.last == 2024)
    }

    @Test func utf8ByteOrderMarkIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(try Data(contentsOf: URL(fileURLWithPath: Self.validContract)))
        let result = PFS.check(bytes: bytes, file: "bom.xml")
        #expect(result.diagnostics.isEmpty)
        #expect(result.contract?.id == "maebashi-profit-share")
    }

    @Test func veryDeepNestingIsRejected() {
        let depth = 100_000
        let text =
            "<contract xmlns=\"urn:pfs:contract:1\">" + String(repeating: "<a>", count: depth)
            + String(repeating: "</a>", count: depth) + "</contract>"
        let result = PFS.check(bytes: Array(text.utf8), file: "deep.xml")
        #expect(result.contract == nil)
        #expect(result.diagnostics.first?.check == "xml-syntax")
        #expect(result.diagnostics.first?.message.contains("Excessive depth") == true)
    }

    @Test func oversizedInputIsRefusedUnread() throws {
        let result = ContractLoader.load(
            bytes: Array(repeating: UInt8(ascii: " "), count: 2_000), file: "big.xml", maxBytes: 1_000)
        #expect(
            result.diagnostics.map(\.rendered) == [
                """
                big.xml: error: [input-too-large] the file has 2000 bytes; contracts are limited to 1000 bytes\n  \
                hint: split the contract, or check that this is the right file
                """
            ])
        // The real cap, through the command line, on sparse files one byte over it and of 1 GiB:
        // refused from the file's size, unread.
        let directory = try Self.temporaryDirectory()
        for size in [ContractLoader.defaultMaxBytes + 1, 1 << 30] {
            let file = directory.appendingPathComponent("huge-\(size).xml")
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: UInt64(size))
            try handle.close()
            let run = try CommandRun.pfs(["check", file.path])
            #expect(run.status == 1)
            #expect(
                run.standardOutput.contains(
                    "error: [input-too-large] the file has \(size) bytes; contracts are limited to 67108864 bytes"))
        }
        // A device has no size: it is read one byte past the cap, never further.
        #expect(
            ContractLoader.load(path: "/dev/zero", maxBytes: 100_000).diagnostics.map(\.message)
                == ["the file has 100001 bytes; contracts are limited to 100000 bytes"])
        // A file exactly at the cap is read whole.
        let contract = try Data(contentsOf: URL(fileURLWithPath: Self.validContract))
        let atCap = directory.appendingPathComponent("at-cap.xml")
        try contract.write(to: atCap)
        #expect(ContractLoader.load(path: atCap.path, maxBytes: contract.count).contract?.id == "maebashi-profit-share")
        #expect(
            ContractLoader.load(path: atCap.path, maxBytes: contract.count - 1).diagnostics.map(\.check) == [
                "input-too-large"
            ])
    }
}

/// A TCP listener on 127.0.0.1 that records whether anything connected.
final class LoopbackListener {
    let port: UInt16
    private let socketDescriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketDescriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(socketDescriptor, F_SETFL, O_NONBLOCK)
    }

    deinit { close(socketDescriptor) }

    func receivedConnection() -> Bool {
        let connection = accept(socketDescriptor, nil, nil)
        if connection >= 0 { close(connection); return true }
        return false
    }
}
