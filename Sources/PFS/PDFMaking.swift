import PFSModel

/// What turns HTML statements into PDF documents. The value layer only asks; the renderer
/// that runs a program and writes files answers (PFSOutput's `PDFRenderer`, WeasyPrint),
/// given by the caller that may do I/O.
public protocol PDFMaking: Sendable {
    /// A PDF document per page, in order, or why none was made.
    func pdfs(_ pages: [(path: String, html: String)]) -> Result<[[UInt8]], PDFFailure>
}

/// Why no PDF was made.
public struct PDFFailure: Error, Sendable {
    /// A `pdf-renderer` diagnostic naming the statement (or the program).
    public let diagnostic: Diagnostic

    /// A failure said by `diagnostic`.
    public init(diagnostic: Diagnostic) { self.diagnostic = diagnostic }

    /// PDF statements asked of a caller that gave no renderer.
    static func noRenderer(writing path: String) -> PDFFailure {
        PDFFailure(
            diagnostic: Diagnostic(
                check: .pdfRenderer, message: "PDF statements need the PDF renderer, and none was given here",
                hint: "make PDF statements with `pfs settle … --format pdf`; nothing was written", at: .file(path)))
    }
}
