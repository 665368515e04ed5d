import Foundation
import PFS
import Testing

/// One fixture per error a user can hit: `Fixtures/invalid/NAME.xml` and the exact
/// diagnostics it must produce in `NAME.expected`. A name ending in `@YEAR` is settled
/// for that year, to reach the settlement checks. `PFS_RECORD=1` re-records the expected
/// files and fails the run, so a new baseline never passes unseen.
@Suite struct DiagnosticCatalogue {
    static let directory = Repository.fixtures + "/invalid"

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".xml") }.sorted()
    }

    static func diagnostics(for fixture: String) -> [Diagnostic] {
        let path = directory + "/" + fixture
        let stem = fixture.dropLast(4)
        let checked = PFS.check(path: path, displayName: fixture)
        guard let at = stem.lastIndex(of: "@"), let year = Int(stem[stem.index(after: at)...]) else { return checked.diagnostics }
        guard !checked.hasErrors else { return checked.diagnostics }
        switch PFS.settle(checked, fileName: fixture, year: year) {
        case .success: return []
        case .failure(let failure): return failure.diagnostics
        }
    }

    @Test(arguments: fixtures)
    func fixtureProducesExactlyItsExpectedDiagnostics(_ fixture: String) throws {
        let rendered = Self.diagnostics(for: fixture).map(\.rendered).joined(separator: "\n") + "\n"
        let expectedPath = Self.directory + "/" + fixture.dropLast(4) + ".expected"
        if Repository.recording {
            try rendered.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            Issue.record("recorded \(expectedPath); run again without PFS_RECORD to check it")
            return
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(rendered == expected)
        #expect(rendered.contains(": error: ["), "a fixture in invalid/ must produce an error")
    }

    /// Every check id a user can meet has a fixture, so no message goes untested.
    @Test func everyCheckHasAFixture() throws {
        let produced = Set(Self.fixtures.flatMap { Self.diagnostics(for: $0).map(\.check) })
        let required = Set(ContractChecks.all.map(\.id)).union([
            "xml-syntax", "xml-doctype", "format-namespace", "format-version", "schema", "decimal-syntax",
            "settle-year-in-term", "settle-year-data", "arithmetic-overflow",
        ])
        #expect(required.subtracting(produced).isEmpty, "checks without a fixture: \(required.subtracting(produced).sorted())")
    }
}
