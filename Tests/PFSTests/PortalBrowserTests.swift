import Foundation
import PFSTestSupport
import Testing

/// The portal in a real browser: Debian's Chromium driven by Playwright for Python
/// (Tests/Browser/portal_year.py). A whole year by four members in four browser contexts,
/// signatures made with WebCrypto in the page, then `pfs register verify`, OpenSSL on the
/// issued files, axe-core on every page, and schemathesis against the API's OpenAPI document
/// as a finance officer, a contractor and nobody signed in. Screenshots go to
/// .build/browser-screenshots.
@Suite(.serialized) struct PortalInTheBrowser {
    /// Whether Chromium and Playwright are installed. CI installs them: there their absence is a failure.
    static var available: Bool {
        let chromium = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        let playwright =
            (try? run(["/usr/bin/env", "python3", "-c", "import playwright, axe_playwright_python, schemathesis"]))?
            .status == 0
        if !(chromium && playwright), ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI must install chromium, playwright, axe-playwright-python and schemathesis (.ci/run)")
        }
        return chromium && playwright
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = Repository.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(
        "a whole year in Chromium by four members, signed with WebCrypto; the register verifies, OpenSSL checks the issued files, axe finds no violation, the API answers as its OpenAPI document says",
        .enabled(if: available))
    func aWholeYear() throws {
        let screenshots = Repository.path(".build/browser-screenshots")
        let result = try Self.run([
            "/usr/bin/env", "python3", Repository.path("Tests/Browser/portal_year.py"), CommandRun.binary.path, screenshots,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("browser tests: all passed"))
    }
}
