import PFSModel

/// The bytes of a contract file with an index of its lines, used to give every
/// diagnostic a column: libxml2 records line numbers for nodes but not columns.
struct SourceText {
    let file: String
    let bytes: [UInt8]
    private let lineStarts: [Int]

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// The location of the start tag `<qualifiedName` on `line` (the first one there).
    func elementLocation(line: Int, qualifiedName: String, path: String?) -> SourceLocation {
        guard let offset = elementOffset(line: line, qualifiedName: qualifiedName) else {
            return SourceLocation(file: file, line: line, column: 0, element: path)
        }
        return SourceLocation(file: file, line: line, column: column(of: offset, onLine: line), element: path)
    }

    /// The location of attribute `name` in the start tag of the element at `line`.
    func attributeLocation(line: Int, qualifiedName: String, attribute: String, path: String?) -> SourceLocation {
        guard let start = elementOffset(line: line, qualifiedName: qualifiedName) else {
            return SourceLocation(file: file, line: line, column: 0, element: path)
        }
        let needle = Array(attribute.utf8)
        var offset = start + 1 + qualifiedName.utf8.count
        var quote: UInt8? = nil
        while offset < bytes.count {
            let byte = bytes[offset]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            } else if isSpace(bytes[offset - 1]), matches(needle, at: offset), followedByEquals(offset + needle.count) {
                let attributeLine = self.line(containing: offset)
                return SourceLocation(
                    file: file, line: attributeLine, column: column(of: offset, onLine: attributeLine), element: path)
            }
            offset += 1
        }
        return SourceLocation(file: file, line: line, column: column(of: start, onLine: line), element: path)
    }

    /// 1-based line of a byte offset.
    func line(containing offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// 1-based column, counted in characters, of a byte offset on `line`.
    func column(of offset: Int, onLine line: Int) -> Int {
        let start = lineStarts[line - 1]
        // Indentation is almost always ASCII, where bytes are characters.
        guard bytes[start..<offset].contains(where: { $0 >= 0x80 }) else { return offset - start + 1 }
        let prefix = String(decoding: bytes[start..<offset], as: UTF8.self)
        return prefix.count + 1
    }

    private func elementOffset(line: Int, qualifiedName: String) -> Int? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        let name = qualifiedName.utf8
        var offset = start
        while offset + 1 + name.count <= end {
            // Only a '<' can start the tag: skip to the next one.
            if bytes[offset] == UInt8(ascii: "<"), bytes[(offset + 1)...].starts(with: name) {
                let next = offset + 1 + name.count
                if next >= bytes.count || isSpace(bytes[next]) || bytes[next] == UInt8(ascii: "/")
                    || bytes[next] == UInt8(ascii: ">")
                {
                    return offset
                }
            }
            offset += 1
        }
        return nil
    }

    private func matches(_ needle: [UInt8], at offset: Int) -> Bool {
        guard offset + needle.count <= bytes.count else { return false }
        for (index, byte) in needle.enumerated() where bytes[offset + index] != byte { return false }
        return true
    }

    private func followedByEquals(_ offset: Int) -> Bool {
        var index = offset
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "=")
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
