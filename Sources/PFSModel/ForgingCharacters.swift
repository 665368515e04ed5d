extension Unicode.Scalar {
    /// Whether the character could change what a printed statement shows: C0 and C1
    /// controls and DEL (a line feed adds a line, ESC rewrites a terminal), line and
    /// paragraph separators, and the bidirectional marks, embeddings, overrides and isolates
    /// (a right-to-left override shows a line reversed). The loader refuses them in a
    /// contract (`text-character`); `pfs verify` escapes them when it prints a statement's text.
    public var forgesText: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
            return true
        default: return false
        }
    }
}

extension String {
    /// The text made safe to print inside a message: control characters (an ESC sequence
    /// could rewrite a terminal) and text-direction marks escaped as `\u{…}`, and a long
    /// value cut to its first `limit` characters with its length.
    public func printable(limit: Int = 80) -> String {
        var escaped = ""
        var count = 0
        for scalar in unicodeScalars {
            count += 1
            guard count <= limit else { continue }
            escaped += scalar.forgesText ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
        }
        return count > limit ? escaped + "… (\(count) characters)" : escaped
    }
}

extension StringProtocol {
    /// Whether the text is an identifier as the contract schema writes one
    /// (`[A-Za-z][A-Za-z0-9._-]*`): what pfs puts in a file name as it is (never `..`).
    public var isContractIdentifier: Bool {
        guard let first = unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
        }
    }
}
