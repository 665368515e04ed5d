import PFSModel

/// A chart of a statement, drawn by pfs as inline SVG in HTML (and so in PDF) statements:
/// no script, nothing fetched. Each has a title and a description (read out by screen
/// readers), series told apart by dash pattern and marker shape as well as colour (they
/// survive greyscale printing), and its figures in a table beside it.
public struct Chart: Sendable, Hashable {
    /// A point of a series; two points at one x draw a jump.
    public struct Point: Sendable, Hashable {
        public let x: ExactDecimal
        public let y: ExactDecimal

        public init(x: ExactDecimal, y: ExactDecimal) {
            self.x = x
            self.y = y
        }
    }

    /// A named line.
    public struct Series: Sendable, Hashable {
        public let name: Phrase
        public let points: [Point]
        /// Markers at each point (off for dense curves).
        public let markers: Bool

        public init(_ name: Phrase, _ points: [Point], markers: Bool = true) {
            self.name = name
            self.points = points
            self.markers = markers
        }
    }

    /// A line across the chart: vertical at an x (the settled year, this year's outcome) or
    /// horizontal at a y (a cap, the maximum).
    public struct Mark: Sendable, Hashable {
        public enum Axis: Sendable, Hashable {
            case x
            case y
        }
        public let axis: Axis
        public let value: ExactDecimal
        public let label: Phrase

        public init(_ axis: Axis, _ value: ExactDecimal, _ label: Phrase) {
            self.axis = axis
            self.value = value
            self.label = label
        }
    }

    /// Stable key (the element id in HTML).
    public let key: String
    public let title: Phrase
    /// What the chart shows, in words, with its key figures.
    public let description: Phrase
    /// Whether x is a fiscal year (ticks at whole years, labelled FY).
    public let xIsYear: Bool
    public let xLabel: Phrase
    public let yLabel: Phrase
    public let series: [Series]
    public let marks: [Mark]
    /// The same figures, as a table.
    public let table: Table

    /// The chart as inline SVG in `language`, as HTML statements draw it (ids start with `idPrefix`).
    public func svg(_ language: Language, idPrefix: String) -> String {
        SVGChart.render(self, language: language, idPrefix: idPrefix)
    }

    public init(
        key: String, title: Phrase, description: Phrase, xIsYear: Bool, xLabel: Phrase, yLabel: Phrase,
        series: [Series], marks: [Mark], table: Table
    ) {
        self.key = key
        self.title = title
        self.description = description
        self.xIsYear = xIsYear
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.marks = marks
        self.table = table
    }
}
