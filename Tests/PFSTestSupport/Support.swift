import Foundation
import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSStatements
import Testing

/// Paths of the repository, found from this file so tests run from any directory.
public enum Repository {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    public static let fixtures = path("Tests/PFSTests/Fixtures")
    public static let contracts = path("Contracts")
    public static let reports = path("Reports")

    /// Whether golden files are being re-recorded on purpose (the run then fails).
    public static var recording: Bool { ProcessInfo.processInfo.environment["PFS_RECORD"] == "1" }
}

/// A small contract as inline XML; each test overrides only what it is about.
public struct ContractXML {
    public var id = "inline"
    public var currency = "JPY"
    public var scale = "1"
    public var rounding = #"<rounding increment="1" mode="down"/>"#
    public var term = (2020, 2024)
    public var parties = ContractXML.defaultParties
    public var kpis: String
    public var projects: String

    /// A city paying and one provider.
    public static let defaultParties = """
        <party id="city" role="public-sector"><name ja="市" en="City"/></party>
        <party id="provider" role="provider"><name ja="事業者" en="Provider"/></party>
        """

    /// A contract of these KPIs and projects; the rest as the defaults say.
    public init(
        id: String = "inline", currency: String = "JPY", scale: String = "1",
        rounding: String = #"<rounding increment="1" mode="down"/>"#, term: (Int, Int) = (2020, 2024),
        parties: String = ContractXML.defaultParties, kpis: String, projects: String
    ) {
        self.id = id
        self.currency = currency
        self.scale = scale
        self.rounding = rounding
        self.term = term
        self.parties = parties
        self.kpis = kpis
        self.projects = projects
    }

    public var text: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <contract xmlns="urn:pfs:contract:1" format-version="1" id="\(id)">
          <title ja="テスト" en="Test"/>
          <amounts currency="\(currency)" scale="\(scale)"/>
          \(rounding)
          <fiscal-year start-month="4"/>
          <term first="\(term.0)" last="\(term.1)"/>
          <parties>
        \(parties)
          </parties>
          <kpis>
        \(kpis)
          </kpis>
          <projects>
        \(projects)
          </projects>
        </contract>
        """
    }

    /// A money KPI with one year of data.
    public static func moneyKPI(
        _ id: String, direction: String = "lower-is-better", baseline: String = "0",
        year: Int = 2024, expected: String, actual: String
    ) -> String {
        """
        <kpi id="\(id)" direction="\(direction)" unit="yen">
          <name en="\(id)"/>
          <money/>
          <baseline year="2019" value="\(baseline)"/>
          <expected year="\(year)" value="\(expected)"/>
          <actual year="\(year)" value="\(actual)"/>
        </kpi>
        """
    }

    public static func project(
        _ id: String, payer: String = "city", credits: [(String, String)], shares: [(String, String)]
    ) -> String {
        var text = #"<project id="\#(id)" payer="\#(payer)"><name en="\#(id)"/>"#
        for (kpi, share) in credits { text += #"<credit kpi="\#(kpi)" share="\#(share)"/>"# }
        for (party, share) in shares { text += #"<provider-share party="\#(party)" share="\#(share)"/>"# }
        return text + "</project>"
    }

    /// Checks and settles `year`, or records an issue with the diagnostics.
    public func settle(year: Int = 2024, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Settlement? {
        let checked = PFS.check(bytes: Array(text.utf8), file: "inline.xml")
        switch PFS.settle(checked, fileName: "inline.xml", year: year) {
        case .success(let settlement): return settlement
        case .failure(let failure):
            Issue.record(
                "settlement failed:\n\(failure.diagnostics.map(\.rendered).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The diagnostics of checking (and settling `year`, if given).
    public func diagnostics(settling year: Int? = nil) -> [Diagnostic] {
        let checked = PFS.check(bytes: Array(text.utf8), file: "inline.xml")
        guard let year, !checked.hasErrors else { return checked.diagnostics }
        if case .failure(let failure) = PFS.settle(checked, fileName: "inline.xml", year: year) {
            return failure.diagnostics
        }
        return []
    }
}

/// Decimal literal for tests; a test fails loudly on a typo.
public func d(_ text: String) -> ExactDecimal {
    switch ExactDecimal.parse(text) {
    case .success(let value): return value
    case .failure(let error):
        Issue.record("bad decimal literal '\(text)': \(error)")
        return .zero
    }
}

/// Runs the built `pfs` binary.
public struct CommandRun {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String

    public static var binary: URL {
        // The test bundle sits in the products directory next to `pfs`.
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        let candidate = directory.appendingPathComponent("pfs")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pfs")
    }

    /// Runs `pfs` with `arguments` in `directory`; `environment` adds to (or replaces) the
    /// test's own variables.
    public static func pfs(
        _ arguments: [String], in directory: String = Repository.root.path, environment extra: [String: String] = [:]
    ) throws -> CommandRun {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}

/// Temporary folders for tests, removed when the test process ends (a test may hand the
/// path to a `pfs` it runs, so the folder must outlive any one value).
public enum TemporaryFolder {
    nonisolated(unsafe) private static var made: [URL] = []
    private static let lock = NSLock()
    private static let removeAtExit: Void = { atexit { TemporaryFolder.removeAll() } }()

    /// A new empty folder under the system's temporary directory.
    public static func make() throws -> URL {
        _ = removeAtExit
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        lock.lock()
        made.append(url)
        lock.unlock()
        return url
    }

    static func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for url in made { try? FileManager.default.removeItem(at: url) }
        made = []
    }
}
