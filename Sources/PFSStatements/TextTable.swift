/// Columns aligned by display width: CJK characters take two terminal cells. A table wider
/// than ``maximumWidth`` wraps the cells of its widest text columns onto more lines (words
/// kept whole where they fit); numbers never wrap.
struct TextTable {
    enum Alignment { case left, right }

    /// Widest line a text statement prints, in terminal cells.
    static let maximumWidth = 100
    /// Narrowest a wrapped text column becomes.
    static let minimumWrappedWidth = 12

    let alignments: [Alignment]
    /// Leading rows that are column titles: they wrap in numeric columns too.
    let headerRows: Int
    private var rows: [[String]] = []

    init(_ alignments: [Alignment], headerRows: Int = 0) {
        self.alignments = alignments
        self.headerRows = headerRows
    }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    func render(indent: String = "  ") -> [String] {
        renderRows(indent: indent).flatMap { $0 }
    }

    /// The lines of each row (a wrapped row takes several), in order.
    func renderRows(indent: String = "  ") -> [[String]] {
        let (widths, gap) = fittedWidths(Self.maximumWidth - Self.displayWidth(indent))
        return rows.map { row -> [String] in
            let wrapped = row.enumerated().map { index, cell in
                index < widths.count ? Self.wrap(cell, width: widths[index]) : [cell]
            }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { lineIndex in
                var line = indent
                for (index, lines) in wrapped.enumerated() where index < widths.count {
                    let cell = lineIndex < lines.count ? lines[lineIndex] : ""
                    let padding = String(repeating: " ", count: max(0, widths[index] - Self.displayWidth(cell)))
                    line += alignments[index] == .left ? cell + padding : padding + cell
                    if index < row.count - 1 { line += gap }
                }
                while line.last == " " { line.removeLast() }
                return line
            }
        }
    }

    /// Each column's natural width, then the widest columns narrowed in turn until the
    /// table fits `limit`: first no narrower than the longest word a column holds (up to
    /// 64 cells: a SHA-256 stays whole), then, if that is not enough, breaking words down to
    /// ``minimumWrappedWidth`` in text columns, and last inside the words of numeric
    /// columns' titles. A numeric column is never narrower than its widest number.
    private func fittedWidths(_ limit: Int) -> (widths: [Int], gap: String) {
        var widths = Array(repeating: 0, count: alignments.count)
        var numbers = Array(repeating: 1, count: alignments.count)
        var words = Array(repeating: 1, count: alignments.count)
        for (rowIndex, row) in rows.enumerated() {
            for (index, cell) in row.enumerated() where index < widths.count {
                let width = Self.displayWidth(cell)
                widths[index] = max(widths[index], width)
                if alignments[index] == .right, rowIndex >= headerRows { numbers[index] = max(numbers[index], width) }
                let longestWord = cell.split(separator: " ").map { Self.displayWidth(String($0)) }.max() ?? 0
                words[index] = max(words[index], min(64, longestWord))
            }
        }
        let wordFloors = widths.indices.map { max(numbers[$0], words[$0]) }
        let hardFloors = widths.indices.map {
            alignments[$0] == .left ? min(words[$0], Self.minimumWrappedWidth) : wordFloors[$0]
        }
        // Last, numeric titles too may break inside a word (their numbers never do).
        let numberFloors = widths.indices.map {
            alignments[$0] == .left ? hardFloors[$0] : max(numbers[$0], min(words[$0], 6))
        }
        for floors in [wordFloors, hardFloors, numberFloors] {
            Self.narrow(&widths, to: limit, floors: floors, gap: 2)
        }
        // A table of many columns, still too wide: one space between columns, and text
        // columns down to eight cells.
        guard widths.reduce(0, +) + 2 * max(0, widths.count - 1) > limit else { return (widths, "  ") }
        let lastFloors = widths.indices.map { alignments[$0] == .left ? min(words[$0], 8) : numberFloors[$0] }
        Self.narrow(&widths, to: limit, floors: lastFloors, gap: 1)
        return (widths, " ")
    }

    private static func narrow(_ widths: inout [Int], to limit: Int, floors: [Int], gap: Int) {
        func total() -> Int { widths.reduce(0, +) + gap * max(0, widths.count - 1) }
        while total() > limit {
            let candidates = widths.indices.filter { widths[$0] > floors[$0] }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { return }
            let nextWidest = candidates.filter { $0 != widest }.map { widths[$0] }.max() ?? floors[widest]
            // Narrow the widest as far as needed, but not past the next widest: wide columns
            // share the narrowing (ties narrow one cell at a time, in turn).
            let target = max(floors[widest], nextWidest, widths[widest] - (total() - limit))
            widths[widest] = target < widths[widest] ? target : widths[widest] - 1
        }
    }

    /// `text` in lines of at most `width` cells: broken at spaces where a word fits, inside
    /// a word (or a run of CJK text, which has no spaces) where it does not.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard displayWidth(text) > width, width > 0 else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if displayWidth(candidate) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            for character in word {
                if displayWidth(line + String(character)) > width {
                    lines.append(line)
                    line = ""
                }
                line.append(character)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Cells a string takes in a terminal: East Asian wide and fullwidth characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide =
                (0x1100...0x115F).contains(value) || (0x2E80...0x303E).contains(value)
                || (0x3041...0x33FF).contains(value) || (0x3400...0x4DBF).contains(value)
                || (0x4E00...0x9FFF).contains(value) || (0xA000...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value)
            return width + (wide ? 2 : 1)
        }
    }
}

/// The table's measuring and wrapping, for tests.
public enum TextTableProbe {
    /// Terminal cells `text` takes.
    public static func width(_ text: String) -> Int { TextTable.displayWidth(text) }
    /// `text` wrapped to `width` cells.
    public static func wrap(_ text: String, width: Int) -> [String] { TextTable.wrap(text, width: width) }
}
