import Foundation
import PFS
import PFSModel
import PFSOutput
import PFSTestSupport
import Testing

/// PDF statements (issue 17, item 2), made by WeasyPrint: every shipped statement renders,
/// with only the intended fonts, all embedded, and no blank page; the same statement gives
/// the same bytes; without the renderer pfs says how to install it and writes nothing.
@Suite(.serialized) struct PDFStatements {
    /// Where WeasyPrint is, or nil. CI installs it: there its absence is a failure.
    static var available: Bool {
        let found = PDFRenderer.unavailable() == nil
        if !found, ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI must install weasyprint and poppler-utils (.ci/run)")
        }
        return found
    }

    /// The fonts a statement may embed: IPAex Gothic for Japanese and Latin text, DejaVu
    /// Sans for the symbols it lacks.
    static let intendedFonts: Set<String> = ["IPAexGothic", "IPAexGothic-Bold", "DejaVu-Sans", "DejaVu-Sans-Bold"]

    /// The value layer makes no PDF itself: a caller that asks for PDF statements without
    /// giving the renderer is told so, and nothing is handed on.
    @Test func theValueLayerNeedsARendererForPDF() throws {
        let path = Repository.path("Contracts/maebashi-profit-share.xml")
        let history = try PFS.settleTerm(PFS.check(path: path), fileName: "maebashi-profit-share.xml").get()
        var handed: [String] = []
        let problem = ReportSet.files(
            history: history, selection: StatementSelection(formats: [.pdf], languages: [.ja])
        ) { file in
            handed.append(file.path)
            return nil
        }
        #expect(handed.isEmpty)
        #expect(
            problem?.rendered == """
                maebashi-profit-share/settlement-FY2024.ja.pdf: error: [pdf-renderer] PDF statements need the PDF \
                renderer, and none was given here
                  hint: make PDF statements with `pfs settle … --format pdf`; nothing was written
                """)
        let pending = ReportSet.pending(history: history, selection: StatementSelection(formats: [.pdf], languages: [.en]))
        #expect(pending.count == 3)
        #expect(throws: ReportSet.RenderFailure.self) { try pending[0].render(nil) }
    }

    @Test func withoutTheRendererPfsSaysHowToInstallItAndWritesNothing() throws {
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            [
                "settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf",
                "--output", "out",
            ], in: folder.path, environment: ["PATH": "/nonexistent"])
        #expect(run.status == 70)
        #expect(
            run.standardError == """
                weasyprint: error: [pdf-renderer] PDF statements are made by WeasyPrint, which is not installed \
                (no `weasyprint` on PATH)
                  hint: install it: apt-get install -y weasyprint (Debian, Ubuntu); nothing was written

                """)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        let printing = try CommandRun.pfs(
            ["settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf"])
        #expect(printing.status == 64)
        #expect(printing.standardError.contains("PDF statements are written to files: add --output DIR"))
    }

    /// A `weasyprint` that is not WeasyPrint's script, or one that fails: exit 70, the
    /// reason, nothing written.
    @Test func aBrokenRendererIsSaidAndNothingIsWritten() throws {
        let folder = try TemporaryFolder.make()
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("weasyprint").path
        let settle = [
            "settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf",
            "--output", "out",
        ]
        for (script, message) in [
            (
                "echo not python\n",
                "is not the WeasyPrint script pfs knows (no Python on its first line)"
            ),
            ("#!/bin/sh\nexit 3\n", "[pdf-renderer] cannot make the PDF statement: WeasyPrint stopped: "),
        ] {
            try script.write(toFile: fake, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
            let run = try CommandRun.pfs(settle, in: folder.path, environment: ["PATH": bin.path + ":/usr/bin:/bin"])
            #expect(run.status == 70)
            #expect(run.standardError.contains(message), "\(run.standardError)")
            #expect(
                !FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent("out/maebashi-profit-share/settlement-FY2024.ja.pdf").path))
        }
    }

    /// The value-for-money document as PDF, in both languages: its fonts embedded, the
    /// intended ones.
    @Test func theValueDocumentIsAPDFWithItsFontsEmbedded() throws {
        guard Self.available else { return }
        let output = try TemporaryFolder.make().path
        let run = try CommandRun.pfs([
            "value", "Contracts/example-investor-classes.xml", "--format", "pdf", "--lang", "ja", "--lang", "en",
            "--output", output,
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let pdfs = try FileManager.default.subpathsOfDirectory(atPath: output).filter { $0.hasSuffix(".pdf") }.sorted()
        #expect(
            pdfs == ["example-investor-classes/value-FY2017.en.pdf", "example-investor-classes/value-FY2017.ja.pdf"])
        for pdf in pdfs {
            let fonts = try Self.fonts(output + "/" + pdf)
            #expect(!fonts.isEmpty, "\(pdf)")
            for font in fonts {
                #expect(font.embedded, "\(pdf): \(font.name) is not embedded")
                #expect(Self.intendedFonts.contains(font.name), "\(pdf): \(font.name) is not an intended font")
            }
        }
    }

    /// Every statement of every shipped contract, every year, both languages, as PDF: the
    /// fonts are the intended ones, each embedded; the first two pages of each annual
    /// settlement are not blank; a statement made twice is the same bytes.
    @Test func everyShippedStatementIsAPDFWithItsFontsEmbedded() throws {
        guard Self.available else { return }
        let output = try TemporaryFolder.make().path
        let run = try CommandRun.pfs([
            "portfolio", "Contracts", "--output", output, "--statements", "--format", "pdf", "--document",
            "settlement", "--document", "payout", "--document", "audit", "--lang", "ja", "--lang", "en",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        // The value documents are `pfs value`'s (their PDFs: the test below).
        let html = try FileManager.default.subpathsOfDirectory(atPath: Repository.reports).filter {
            $0.hasSuffix(".html") && !($0 as NSString).lastPathComponent.hasPrefix("value-")
        }
        let pdfs = try FileManager.default.subpathsOfDirectory(atPath: output).filter { $0.hasSuffix(".pdf") }
        #expect(Set(pdfs.map { $0.replacingOccurrences(of: ".pdf", with: ".html") }) == Set(html))
        for pdf in pdfs {
            let fonts = try Self.fonts(output + "/" + pdf)
            #expect(!fonts.isEmpty, "\(pdf)")
            for font in fonts {
                #expect(font.embedded, "\(pdf): \(font.name) is not embedded")
                #expect(Self.intendedFonts.contains(font.name), "\(pdf): \(font.name) is not an intended font")
            }
        }
        for pdf in pdfs where pdf.contains("/settlement-") {
            for page in 1...2 {
                guard let ink = try Self.ink(output + "/" + pdf, page: page) else { continue }
                #expect(ink > 0.001, "\(pdf) page \(page) is blank (\(ink))")
            }
        }
        // The blank-page check sees a blank page as blank.
        let blank = try PDFRenderer.render([("blank.pdf", "<!DOCTYPE html><html><body></body></html>")]).get()
        let blankPath = output + "/blank.pdf"
        try Data(try #require(blank.first)).write(to: URL(fileURLWithPath: blankPath))
        #expect(try Self.ink(blankPath, page: 1) == 0)
        let again = try TemporaryFolder.make().path
        let maebashi = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf", "--output", again,
        ])
        #expect(maebashi.status == 0, "\(maebashi.standardError)")
        for name in ["settlement-FY2024.ja.pdf", "audit-FY2024.ja.pdf"] {
            let first = FileManager.default.contents(atPath: output + "/maebashi-profit-share/" + name)
            let second = FileManager.default.contents(atPath: again + "/maebashi-profit-share/" + name)
            #expect(first != nil && first == second, "\(name) is made the same twice")
        }
    }

    /// `pdffonts`: each font's name (without its subset tag) and whether it is embedded.
    static func fonts(_ path: String) throws -> [(name: String, embedded: Bool)] {
        let lines = try Self.run("/usr/bin/pdffonts", [path]).split(separator: "\n").dropFirst(2)
        return lines.map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let name = String(fields.first ?? "")
            let bare = name.split(separator: "+", maxSplits: 1).last.map(String.init) ?? name
            // Columns from the right: emb, sub, uni, object number, generation.
            let embedded = fields.count >= 5 && fields[fields.count - 5] == "yes"
            return (bare, embedded)
        }
    }

    /// The share of dark pixels on `page` above its footer (nil when the document has fewer
    /// pages), from a greyscale rendering by `pdftoppm`: a page with nothing but its footer
    /// (page number, digest) counts as blank.
    static func ink(_ path: String, page: Int) throws -> Double? {
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-page-\(UUID().uuidString)").path
        _ = try Self.run("/usr/bin/pdftoppm", ["-gray", "-r", "30", "-f", "\(page)", "-l", "\(page)", path, stem])
        let folder = (stem as NSString).deletingLastPathComponent
        let prefix = (stem as NSString).lastPathComponent
        guard
            let file = try FileManager.default.contentsOfDirectory(atPath: folder).first(where: { $0.hasPrefix(prefix) }
            )
        else { return nil }
        defer { try? FileManager.default.removeItem(atPath: folder + "/" + file) }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
        // PGM: "P5\n<width> <height>\n<max>\n" then one byte per pixel.
        var newlines = 0, start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            newlines += 1
            if newlines == 3 {
                start = index + 1
                break
            }
        }
        let header = String(decoding: bytes[..<start], as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard header.count >= 3, let width = Int(header[1]), let height = Int(header[2]) else { return 0 }
        // The footer sits in the bottom 18 mm of 297.
        let body = bytes[start..<min(bytes.count, start + width * (height * 279 / 297))]
        guard !body.isEmpty else { return 0 }
        return Double(body.filter { $0 < 128 }.count) / Double(body.count)
    }

    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
