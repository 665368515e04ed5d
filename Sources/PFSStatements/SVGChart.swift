import Foundation
import PFSModel

/// Draws a ``Chart`` as inline SVG. Coordinates are binary floating point: they place ink
/// on a page, never money; every figure printed on the chart is the exact decimal.
enum SVGChart {
    static let width = 680.0
    static let height = 320.0
    static let left = 78.0
    static let right = 24.0
    static let top = 22.0
    static let plotBottom = 236.0

    /// Colours dark enough to print, told apart again by dash and marker.
    static let styles: [(colour: String, dash: String, marker: Marker)] = [
        ("rgb(31,78,121)", "", .circle), ("rgb(197,90,17)", "7 4", .square), ("rgb(58,125,34)", "2 3", .triangle),
        ("rgb(107,44,145)", "9 3 2 3", .diamond),
    ]

    enum Marker {
        case circle, square, triangle, diamond

        func svg(x: Double, y: Double, colour: String) -> String {
            switch self {
            case .circle:
                return
                    #"<circle cx="\#(f(x))" cy="\#(f(y))" r="3.2" fill="rgb(255,255,255)" "#
                    + #"stroke="\#(colour)" stroke-width="1.6"/>"#
            case .square:
                return
                    #"<rect x="\#(f(x - 3))" y="\#(f(y - 3))" width="6" height="6" "#
                    + #"fill="\#(colour)" stroke="\#(colour)"/>"#
            case .triangle:
                let points = "\(f(x)),\(f(y - 3.8)) \(f(x - 3.6)),\(f(y + 2.8)) \(f(x + 3.6)),\(f(y + 2.8))"
                return #"<polygon points="\#(points)" fill="\#(colour)"/>"#
            case .diamond:
                let points = "\(f(x)),\(f(y - 4)) \(f(x + 4)),\(f(y)) \(f(x)),\(f(y + 4)) \(f(x - 4)),\(f(y))"
                return #"<polygon points="\#(points)" fill="rgb(255,255,255)" stroke="\#(colour)" stroke-width="1.4"/>"#
            }
        }
    }

    /// The chart as an `<svg>` element (`idPrefix` keeps ids unique in a document).
    static func render(_ chart: Chart, language: Language, idPrefix: String) -> String {
        let id = idPrefix + chart.key
        let xs = chart.series.flatMap { $0.points.map(\.x) } + chart.marks.filter { $0.axis == .x }.map(\.value)
        let ys = chart.series.flatMap { $0.points.map(\.y) } + chart.marks.filter { $0.axis == .y }.map(\.value)
        var (xLow, xHigh) = range(xs.map(double))
        if chart.xIsYear { (xLow, xHigh) = (xLow - 0.5, xHigh + 0.5) }
        let yTicks = ticks(low: min(0, ys.map(double).min() ?? 0), high: ys.map(double).max() ?? 1)
        let (yLow, yHigh) = (yTicks.first ?? 0, yTicks.last ?? 1)
        func x(_ value: Double) -> Double { left + (value - xLow) / (xHigh - xLow) * (width - left - right) }
        func y(_ value: Double) -> Double { plotBottom - (value - yLow) / (yHigh - yLow) * (plotBottom - top) }

        var svg = [
            #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" "#
                + #"viewBox="0 0 \#(f(width)) \#(f(height))" "#
                + #"aria-labelledby="\#(id)-title \#(id)-desc">"#,
            #"<title id="\#(id)-title">\#(XMLText.escaped(chart.title.text(language)))</title>"#,
            #"<desc id="\#(id)-desc">\#(XMLText.escaped(chart.description.text(language)))</desc>"#,
            #"<rect x="0" y="0" width="\#(f(width))" height="\#(f(height))" fill="rgb(255,255,255)"/>"#,
        ]
        for tick in yTicks {
            svg.append(
                #"<line x1="\#(f(left))" y1="\#(f(y(tick)))" x2="\#(f(width - right))" y2="\#(f(y(tick)))" "#
                    + #"stroke="rgb(208,208,208)" stroke-width="0.6"/>"#)
            svg.append(
                #"<text x="\#(f(left - 6))" y="\#(f(y(tick) + 3.5))" text-anchor="end" font-size="10">"#
                    + "\(label(tick))</text>")
        }
        for tick in xTicks(low: xLow, high: xHigh, years: chart.xIsYear) {
            let text = chart.xIsYear ? "FY\(Int(tick.rounded()))" : label(tick)
            svg.append(
                #"<line x1="\#(f(x(tick)))" y1="\#(f(plotBottom))" x2="\#(f(x(tick)))" y2="\#(f(plotBottom + 4))" "#
                    + #"stroke="rgb(51,51,51)" stroke-width="0.8"/>"#)
            svg.append(
                #"<text x="\#(f(x(tick)))" y="\#(f(plotBottom + 16))" text-anchor="middle" font-size="10">"#
                    + "\(XMLText.escaped(text))</text>")
        }
        svg.append(
            #"<polyline points="\#(f(left)),\#(f(top)) \#(f(left)),\#(f(plotBottom)) "#
                + #"\#(f(width - right)),\#(f(plotBottom))" "#
                + #"fill="none" stroke="rgb(51,51,51)" stroke-width="1"/>"#)
        svg.append(
            #"<text x="\#(f((left + width - right) / 2))" y="\#(f(plotBottom + 32))" text-anchor="middle" "#
                + #"font-size="10">\#(XMLText.escaped(chart.xLabel.text(language)))</text>"#)
        svg.append(
            #"<text x="12" y="\#(f((top + plotBottom) / 2))" text-anchor="middle" font-size="10" "#
                + #"transform="rotate(-90 12 \#(f((top + plotBottom) / 2)))">"#
                + "\(XMLText.escaped(chart.yLabel.text(language)))</text>"
        )
        for mark in chart.marks {
            let value = double(mark.value)
            let text = XMLText.escaped(mark.label.text(language))
            switch mark.axis {
            case .x:
                svg.append(
                    #"<line x1="\#(f(x(value)))" y1="\#(f(top))" x2="\#(f(x(value)))" y2="\#(f(plotBottom))" "#
                        + #"stroke="rgb(0,0,0)" stroke-width="1" stroke-dasharray="3 3"/>"#)
                // Labels near the right edge are set to the left of their line.
                let nearEdge = x(value) > width - right - 120
                let anchor = nearEdge ? #" text-anchor="end""# : ""
                let labelX = nearEdge ? x(value) - 4 : x(value) + 4
                svg.append(
                    #"<text x="\#(f(labelX))" y="\#(f(top + 10))" font-size="10"\#(anchor)>\#(text)</text>"#)
            case .y:
                svg.append(
                    #"<line x1="\#(f(left))" y1="\#(f(y(value)))" x2="\#(f(width - right))" y2="\#(f(y(value)))" "#
                        + #"stroke="rgb(0,0,0)" stroke-width="1.2" stroke-dasharray="10 3"/>"#)
                svg.append(
                    #"<text x="\#(f(width - right - 4))" y="\#(f(y(value) - 4))" text-anchor="end" font-size="10">"#
                        + "\(text)</text>")
            }
        }
        for (index, series) in chart.series.enumerated() {
            let style = styles[index % styles.count]
            let dash = style.dash.isEmpty ? "" : #" stroke-dasharray="\#(style.dash)""#
            let points = series.points.map { "\(f(x(double($0.x)))),\(f(y(double($0.y))))" }.joined(separator: " ")
            svg.append(
                #"<polyline points="\#(points)" fill="none" stroke="\#(style.colour)" stroke-width="2"\#(dash)/>"#)
            if series.markers {
                for point in series.points {
                    svg.append(style.marker.svg(x: x(double(point.x)), y: y(double(point.y)), colour: style.colour))
                }
            }
            // The legend, below the axis label: a sample of the line with its marker, then the name.
            let legendX = left + Double(index % 3) * 200, legendY = plotBottom + 52 + Double(index / 3) * 16
            svg.append(
                #"<line x1="\#(f(legendX))" y1="\#(f(legendY - 3.5))" "#
                    + #"x2="\#(f(legendX + 26))" y2="\#(f(legendY - 3.5))" "#
                    + #"stroke="\#(style.colour)" stroke-width="2"\#(dash)/>"#)
            svg.append(style.marker.svg(x: legendX + 13, y: legendY - 3.5, colour: style.colour))
            svg.append(
                #"<text x="\#(f(legendX + 32))" y="\#(f(legendY))" font-size="10">"#
                    + "\(XMLText.escaped(series.name.text(language)))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    static func double(_ value: ExactDecimal) -> Double { Double(value.description) ?? 0 }

    /// A drawing coordinate, to a tenth of a unit.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func range(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        return high > low ? (low, high) : (low - 1, high + 1)
    }

    /// Round numbers (1, 2 or 5 × a power of ten apart) covering `low`…`high`.
    static func ticks(low: Double, high: Double) -> [Double] {
        let span = high > low ? high - low : max(abs(high), 1)
        let raw = span / 5
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        let first = floor(low / step) * step
        var ticks: [Double] = []
        var tick = first
        while tick < high + step * 0.999 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            if tick >= high { break }
            tick += step
        }
        return ticks.count >= 2 ? ticks : [first, first + step]
    }

    static func xTicks(low: Double, high: Double, years: Bool) -> [Double] {
        guard years else { return ticks(low: low, high: high).filter { $0 >= low && $0 <= high } }
        let first = Int(ceil(low)), last = Int(floor(high))
        guard first <= last else { return [] }
        let every = max(1, (last - first + 1 + 11) / 12)
        return stride(from: first, through: last, by: every).map(Double.init)
    }

    /// A tick's value as printed: grouped thousands, no needless decimals.
    static func label(_ value: Double) -> String {
        let text = String(format: "%.6f", value)
        guard let decimal = ExactDecimal(plain: text)?.normalized() else { return text }
        return decimal.formatted(groupingSeparator: ",")
    }
}
