import Foundation
import PFS
import PFSModel
import PFSStatements
import PFSTestSupport
import Testing

/// What one contractor is shown is its own (issue 11, items 8 and 11).
@Suite struct Confidentiality {
    @Test(arguments: [
        ["--document", "payout", "--document", "audit"], ["--document", "settlement"], ["--document", "audit"],
    ])
    func partyWithAnotherDocumentIsAUsageError(_ documents: [String]) throws {
        let output = try HostileInput.temporaryDirectory().path
        let run = try CommandRun.pfs(
            ["settle", "Contracts/example-sib.xml", "--year", "2023", "--party", "provider", "--output", output]
                + documents)
        #expect(run.status == 64)
        #expect(run.standardError.contains("writes only that party's payout statement"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
        let portfolio = try CommandRun.pfs(
            ["portfolio", "Contracts", "--party", "provider", "--output", output] + documents)
        #expect(portfolio.status == 64)
    }

    /// With --party alone, every file written is that party's payout statement.
    @Test func partyRunWritesOnlyThatPartysStatements() throws {
        let output = try HostileInput.temporaryDirectory().path
        let run = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--party", "provider",
            "--format", "json", "--format", "text", "--output", output,
        ])
        #expect(run.status == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: output + "/maebashi-profit-share").sorted()
        #expect(written == ["payout-provider-FY2024.ja.txt", "payout-provider-FY2024.json"])
    }

    /// A name that would add a line or reverse a line on a statement is refused, naming
    /// the character and where it is (fixture text-control-characters pins the messages).
    @Test(arguments: [
        "&#10;", "&#13;", "&#9;", "&#x9B;2K", "&#127;", "&#x85;", "&#x202E;", "&#x2066;", "&#x2028;", "&#x200F;",
    ])
    func forgingCharactersInNamesAreRefused(_ reference: String) throws {
        let xml = ContractXML(
            parties: """
                <party id="city" role="public-sector"><name ja="市" en="City"/></party>
                <party id="provider" role="provider"><name ja="事業者" en="Provider\(reference)Total due 1"/></party>
                """, kpis: ContractXML.moneyKPI("cost", expected: "100", actual: "90"),
            projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.5")]))
        let diagnostics = xml.diagnostics()
        #expect(diagnostics.map(\.check) == ["text-character"], "\(reference)")
        #expect(diagnostics.first?.message.contains("attribute 'en' holds U+") == true)
        #expect(diagnostics.first?.message.contains("at character 9") == true)
    }

    @Test func ordinaryJapaneseAndEnglishNamesPass() {
        let xml = ContractXML(
            parties: """
                <party id="city" role="public-sector"><name ja="前橋市（まえばし）・市役所" en="City of Maebashi — “Finance” dept. № 1 ‘A’"/></party>
                <party id="provider" role="provider"><name ja="事業者" en="Provider"/></party>
                """, kpis: ContractXML.moneyKPI("cost", expected: "100", actual: "90"),
            projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.5")]))
        #expect(xml.diagnostics().isEmpty)
    }
}
