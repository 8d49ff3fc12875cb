/// A histogram of pre-binned counts over equal-width bins on [lowerBound, upperBound].
///
/// Sized for small multiples (one panel per genre in a wrapping grid): pass the same `valueRange`
/// to every panel so their heights compare. With `normalised`, bars show each bin's share of the
/// total, which compares genres of different sizes. `binColours` tints each bin (a hue histogram
/// drawn in the hues it counts).
public struct HistogramChart: Sendable {
    public var title: String
    public var description: String?
    public var lowerBound: Double
    public var upperBound: Double
    public var counts: [Double]
    public var colour: String
    public var binColours: [String]?
    public var normalised: Bool
    public var xAxisTitle: String?
    /// Shared y range for small multiples; otherwise the panel's own maximum.
    public var valueRange: ClosedRange<Double>?
    public var width: Double
    public var height: Double

    public init(
        title: String, description: String? = nil, lowerBound: Double, upperBound: Double, counts: [Double],
        colour: String = Palette.seriesColours[0], binColours: [String]? = nil, normalised: Bool = true,
        xAxisTitle: String? = nil, valueRange: ClosedRange<Double>? = nil, width: Double = 300, height: Double = 190
    ) {
        self.title = title
        self.description = description
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.counts = counts
        self.colour = colour
        self.binColours = binColours
        self.normalised = normalised
        self.xAxisTitle = xAxisTitle
        self.valueRange = valueRange
        self.width = width
        self.height = height
    }

    /// Bar heights: counts, or shares of the total when `normalised` (all zero for an empty histogram).
    public var heights: [Double] {
        let finite = counts.map { $0.isFinite ? max(0, $0) : 0 }
        guard normalised else { return finite }
        let total = finite.reduce(0, +)
        return total > 0 ? finite.map { $0 / total } : finite
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let top = title.isEmpty ? 8.0 : (canvas.width < 360 ? 26.0 : 30.0)
        if !title.isEmpty {
            canvas.text(title, x: 10, y: 18, fontSize: 13, weight: "600")
        }
        let plot = PlotArea(left: 44, top: top + 4, width: width - 54, height: height - top - 4 - (xAxisTitle == nil ? 26 : 40))
        let values = heights
        let yAxis =
            valueRange.map { NiceAxis(covering: $0.lowerBound, $0.upperBound, targetTickCount: 3, includeZero: true) }
            ?? NiceAxis(covering: 0, values.max() ?? 1, targetTickCount: 3, includeZero: true)
        let low = lowerBound.isFinite ? lowerBound : 0
        let high = upperBound.isFinite && upperBound > low ? upperBound : low + 1
        let xAxis = NiceAxis(covering: low, high, targetTickCount: 4)
        let yScale = LinearScale(axis: yAxis, start: plot.bottom, end: plot.top)
        let xScale = LinearScale(domain: low...high, start: plot.left, end: plot.right)
        ChartDrawing.drawVerticalValueAxis(
            yAxis, scale: yScale, plot: plot, title: nil, on: &canvas,
            formatter: normalised ? { Markup.percent($0, 0) } : nil)

        let binWidth = (high - low) / Double(max(1, values.count))
        canvas.beginGroup([("class", "bins")])
        for (index, value) in values.enumerated() {
            let binLow = low + Double(index) * binWidth
            let x0 = xScale(binLow), x1 = xScale(binLow + binWidth)
            let y = yScale(min(value, yAxis.upperBound))
            let fill = binColours.flatMap { index < $0.count ? $0[index] : nil } ?? colour
            let shown = normalised ? Markup.percent(value) : Markup.number(value)
            canvas.rect(
                x: x0 + 0.25, y: y, width: max(0.5, x1 - x0 - 0.5), height: plot.bottom - y, fill: fill,
                tooltip: "\(Markup.number(binLow))–\(Markup.number(binLow + binWidth)): \(shown)")
        }
        canvas.endGroup()
        canvas.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: Palette.axis)
        for tick in xAxis.ticks where tick >= low - 1e-9 && tick <= high + 1e-9 {
            let x = xScale(tick)
            canvas.line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 4, stroke: Palette.axis)
            canvas.text(xAxis.label(tick), x: x, y: plot.bottom + 16, anchor: .middle, fontSize: 10, fill: Palette.mutedInk)
        }
        if let xAxisTitle {
            canvas.text(
                xAxisTitle, x: plot.left + plot.width / 2, y: plot.bottom + 31, anchor: .middle,
                fontSize: 10.5, fill: Palette.mutedInk)
        }
        let description =
            description
            ?? "Histogram, \(values.count) bins from \(Markup.number(low)) to \(Markup.number(high)): "
            + values.map { normalised ? Markup.fixed($0, 3) : Markup.number($0) }.joined(separator: ", ")
        return canvas.document(title: title, description: description)
    }
}
