import PFSModel

/// Turns libxml2's well-formedness messages into one line and a hint that says how to
/// fix the file, for the mistakes people editing contracts by hand actually make.
enum SyntaxAdvice {
    static let generic = "the file is not well-formed XML; fix the first error, later ones often follow from it"

    /// Known message beginnings and what to do about them.
    private static let advice: [(prefix: String, hint: String)] = [
        (
            "Input is not proper UTF-8",
            "save the file as UTF-8, or declare its real encoding: <?xml version=\"1.0\" encoding=\"Shift_JIS\"?>"
        ),
        (
            "Document labelled UTF-16 but has UTF-8 content",
            "the file is saved as UTF-8: declare encoding=\"UTF-8\" in the XML declaration"
        ),
        ("Unsupported encoding", "save the file as UTF-8 and declare encoding=\"UTF-8\""),
        (
            "Start tag expected, '<' not found",
            """
            the file does not begin with XML: check that this is the contract, saved as UTF-8 (a UTF-8 byte-order \
            mark is fine, others are not)
            """
        ),
        ("EntityRef: expecting ';'", "write a literal & as &amp;"),
        (
            "Entity '",
            """
            only &amp; &lt; &gt; &quot; &apos; and numeric references (&#12354;) are allowed; write the character \
            itself
            """
        ),
        ("Opening and ending tag mismatch", "every start tag needs the matching end tag, in order"),
        ("Attribute ", "an element may carry each attribute once"),
        ("Comment not terminated", "close the comment with -->"),
        ("invalid character in attribute value", "remove the control character from the attribute value"),
        ("Premature end of data", "the file ends early: it may have been cut off while copying"),
        ("Excessive depth", "contracts nest a few levels deep; this file nests too deeply to be a contract"),
    ]

    static func explain(_ message: String) -> (message: String, hint: String) {
        // libxml2 sometimes adds lines quoting the input; the first line says what is wrong,
        // and a "Bytes:" line says which bytes.
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        var text = lines.first?.trimmingWhitespace() ?? message
        if let bytes = lines.dropFirst().first(where: { $0.hasPrefix("Bytes:") }) {
            text += " (bytes " + String(bytes.dropFirst("Bytes:".count)).trimmingWhitespace() + ")"
        }
        let hint = advice.first { text.hasPrefix($0.prefix) }?.hint ?? generic
        return (text, hint)
    }
}
