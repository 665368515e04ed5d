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
