import Foundation
import PFS
import PFSModel

/// Turns HTML statements into A4 PDF with WeasyPrint (Debian's `weasyprint`), run as a
/// subprocess. WeasyPrint lays out CSS paged media (the `@page` rules of the statement
/// template give page numbers, the contract digest in every footer and table headers
/// repeated on each page), embeds the fonts it uses, runs no script and — with the fetcher
/// pfs gives it — loads nothing: a statement is self-contained, and a template that links
/// to anything gets nothing.
public struct PDFRenderer: PDFMaking {
    /// Why no PDF was made.
    public typealias Failure = PDFFailure

    /// The renderer.
    public init() {}

    /// PDF documents of the pages, made by one WeasyPrint process.
    public func pdfs(_ pages: [(path: String, html: String)]) -> Result<[[UInt8]], PDFFailure> {
        Self.render(pages)
    }

    /// The program looked for on `PATH`.
    public static let program = "weasyprint"

    /// The fonts the bundled template names first, and the Debian packages that hold them.
    /// Without them WeasyPrint falls back to whatever fontconfig finds (Noto CJK, seen to take
    /// minutes and gigabytes per statement), and the PDF is not the one pfs is tested with.
    public static let fonts: [(family: String, package: String)] = [
        ("IPAexGothic", "fonts-ipaexfont-gothic"), ("DejaVu Sans", "fonts-dejavu-core"),
    ]

    /// Every Debian package a PDF statement needs, as the install hint names them.
    public static let packages = ["weasyprint", "fontconfig"] + fonts.map(\.package)

    /// Why PDF cannot be made here (nil when it can): the renderer is not installed, or the
    /// template's fonts are not (fontconfig's `fc-list` says which it has).
    public static func unavailable() -> Diagnostic? {
        switch interpreter() {
        case .success: return missingFonts()
        case .failure(let failure): return failure.diagnostic
        }
    }

    /// The template's fonts fontconfig does not have, as a diagnostic with the install
    /// command; nil when all are there.
    static func missingFonts() -> Diagnostic? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard
            let fcList = path.split(separator: ":").map({ "\($0)/fc-list" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            return Diagnostic(
                check: .pdfRenderer,
                message: "PDF statements need fontconfig to find their fonts, and `fc-list` is not on PATH",
                hint: "install them: apt-get install -y \(packages.joined(separator: " ")); nothing was written",
                at: .file("fc-list"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fcList)
        process.arguments = [":", "family"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let families = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let known = Set(families.split(whereSeparator: { $0 == "\n" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = fonts.filter { !known.contains($0.family) }
        guard !missing.isEmpty else { return nil }
        return Diagnostic(
            check: .pdfRenderer,
            message: """
                PDF statements are set in \(fonts.map(\.family).joined(separator: " and ")), and fontconfig does not \
                find \(missing.map(\.family).joined(separator: " or ")); WeasyPrint would fall back to another font, \
                slowly and not as tested
                """,
            hint: "install them: apt-get install -y \(missing.map(\.package).joined(separator: " ")); nothing was written",
            at: .file("fc-list"))
    }

    /// The PDF of each HTML text, in order, made by one WeasyPrint process; a diagnostic
    /// naming the statement's path when it fails.
    public static func render(_ statements: [(path: String, html: String)]) -> Result<[[UInt8]], Failure> {
        guard !statements.isEmpty else { return .success([]) }
        let python: String
        switch interpreter() {
        case .success(let found): python = found
        case .failure(let failure): return .failure(failure)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            for (index, statement) in statements.enumerated() {
                try Data(statement.html.utf8).write(to: folder.appendingPathComponent("\(index).html"))
            }
        } catch {
            return .failure(failed(statements[0].path, "cannot write its HTML for the renderer: \(error)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, folder.path, String(statements.count)]
        // The same statement gives the same bytes: the fonts' subsets otherwise carry the
        // time they were made.
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "946684800"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(failed(statements[0].path, "cannot start \(python): \(error)"))
        }
        // WeasyPrint's own messages are kept for a failure; the script's progress lines
        // (`pfs-progress N`) are shown on a terminal, a PDF taking seconds each.
        let terminal = isatty(STDERR_FILENO) == 1
        var said = ""
        var pending = Data()
        while true {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                if line.hasPrefix("pfs-progress "), let done = Int(line.dropFirst("pfs-progress ".count)) {
                    if terminal, statements.indices.contains(done - 1) {
                        FileHandle.standardError.write(
                            Data("PDF \(done)/\(statements.count): \(statements[done - 1].path)\n".utf8))
                    }
                } else {
                    said += line + "\n"
                }
            }
        }
        said += String(decoding: pending, as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = said.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            return .failure(failed(statements[0].path, "WeasyPrint stopped: \(last)"))
        }
        var pdfs: [[UInt8]] = []
        for (index, statement) in statements.enumerated() {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("\(index).pdf").path),
                data.starts(with: Array("%PDF".utf8))
            else { return .failure(failed(statement.path, "WeasyPrint wrote no PDF")) }
            pdfs.append(Array(data))
        }
        return .success(pdfs)
    }

    /// Renders `<folder>/<i>.html` to `<folder>/<i>.pdf`; every URL is refused (nothing is
    /// fetched, not even a local file).
    static let script = """
        import sys
        import weasyprint

        def refuse(url, *args, **kwargs):
            raise ValueError("a pfs statement fetches nothing: " + url)

        folder, count = sys.argv[1], int(sys.argv[2])
        for index in range(count):
            with open(f"{folder}/{index}.html", encoding="utf-8") as html:
                text = html.read()
            weasyprint.HTML(string=text, url_fetcher=refuse).write_pdf(f"{folder}/{index}.pdf")
            print(f"pfs-progress {index + 1}", file=sys.stderr, flush=True)
        """

    /// The Python that runs `weasyprint` (its script's `#!` line): pfs drives WeasyPrint's
    /// Python interface through it, to give it the fetcher that refuses every URL and to
    /// render many statements in one process.
    static func interpreter() -> Result<String, Failure> {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { "\($0)/\(program)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let found else {
            return .failure(
                Failure(
                    diagnostic: Diagnostic(
                        check: .pdfRenderer,
                        message:
                            "PDF statements are made by WeasyPrint, which is not installed (no `\(program)` on PATH)",
                        hint: "install it: apt-get install -y weasyprint (Debian, Ubuntu); nothing was written",
                        at: .file(program))))
        }
        guard let head = FileManager.default.contents(atPath: found)?.prefix(256),
            let line = String(decoding: head, as: UTF8.self).split(separator: "\n").first, line.hasPrefix("#!"),
            let python = line.dropFirst(2).split(separator: " ").first.map(String.init),
            FileManager.default.isExecutableFile(atPath: python)
        else {
            return .failure(
                Failure(
                    diagnostic: Diagnostic(
                        check: .pdfRenderer,
                        message: "\(found) is not the WeasyPrint script pfs knows (no Python on its first line)",
                        hint: "install Debian's package: apt-get install -y weasyprint; nothing was written",
                        at: .file(found))))
        }
        return .success(python)
    }

    static func failed(_ path: String, _ why: String) -> Failure {
        Failure(
            diagnostic: Diagnostic(
                check: .pdfRenderer, message: "cannot make the PDF statement: \(why)",
                hint: "check that `\(program) --info` runs; the HTML statement can be written with --format html",
                at: .file(path)))
    }
}
