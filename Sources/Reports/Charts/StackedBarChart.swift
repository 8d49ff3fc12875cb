/// Vertical stacked bars: one bar per category (a year), one segment per series (a genre), e.g.
/// albums per genre per chart year.
///
/// With `normalised`, each bar shows shares of its total (100 % stacks), which shows the genre mix
/// regardless of how many albums a year has.
public struct StackedBarChart: Sendable {
    public var title: String
    public var description: String?
    public var categories: [String]
    /// Series in stacking order, bottom first; `values` in category order.
    public var series: [BarChart.Series]
    public var normalised: Bool
    public var valueAxisTitle: String?
    public var width: Double
    public var height: Double

    public init(
        title: String, description: String? = nil, categories: [String], series: [BarChart.Series],
        normalised: Bool = false, valueAxisTitle: String? = nil, width: Double = 860, height: Double = 380
    ) {
        self.title = title
        self.description = description
        self.categories = categories
        self.series = series
        self.normalised = normalised
        self.valueAxisTitle = valueAxisTitle
        self.width = width
        self.height = height
    }

    private func value(_ s: Int, _ c: Int) -> Double {
        let values = series[s].values
        return c < values.count && values[c].isFinite ? max(0, values[c]) : 0
    }

    /// Total of each category (sum over series of the non-negative, finite values).
    public var totals: [Double] {
        categories.indices.map { c in series.indices.reduce(0) { $0 + value($1, c) } }
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        var top = ChartDrawing.drawTitle(title, on: &canvas)
        top += ChartDrawing.drawLegend(
            series.map { LegendItem(label: $0.name, colour: $0.colour) }, on: &canvas, x: 12, y: top, maxWidth: width - 24)
        let slot = (width - 70) / Double(max(1, categories.count))
        let longest = categories.map { SVGCanvas.estimatedTextWidth($0, fontSize: ChartDrawing.labelFontSize) }.max() ?? 0
        let rotate = longest > slot - 2
        // Thin labels when even rotated labels would collide: show every k-th.
        let every = rotate ? max(1, Int((14 / max(slot, 1)).rounded(.up))) : 1
        let labelHeight = rotate ? min(longest * 0.72, 80) + 12 : 20
        let plot = PlotArea(left: 58, top: top + 8, width: width - 70, height: height - top - 8 - labelHeight - 8)
        let totals = totals
        let axis =
            normalised
            ? NiceAxis(covering: 0, 1) : NiceAxis(covering: 0, totals.max() ?? 1, includeZero: true)
        let scale = LinearScale(axis: axis, start: plot.bottom, end: plot.top)
        ChartDrawing.drawVerticalValueAxis(
            axis, scale: scale, plot: plot, title: valueAxisTitle, on: &canvas,
            formatter: normalised ? { Markup.percent($0, 0) } : nil)

        let barWidth = slot * 0.8
        for (c, category) in categories.enumerated() {
            let x = plot.left + Double(c) * slot + slot * 0.1
            var running = 0.0
            for s in series.indices {
                let raw = value(s, c)
                let v = normalised ? (totals[c] > 0 ? raw / totals[c] : 0) : raw
                guard v > 0 else { continue }
                let y0 = scale(running), y1 = scale(running + v)
                canvas.rect(
                    x: x, y: y1, width: barWidth, height: y0 - y1, fill: series[s].colour,
                    tooltip: "\(category) · \(series[s].name): \(Markup.number(raw))"
                        + (normalised ? " (\(Markup.percent(v)))" : ""))
                running += v
            }
            guard c % every == 0 else { continue }
            let labelX = x + barWidth / 2
            if rotate {
                canvas.text(category, x: labelX + 3, y: plot.bottom + 12, anchor: .end, fontSize: 10.5, rotation: -50)
            } else {
                canvas.text(category, x: labelX, y: plot.bottom + 16, anchor: .middle, fontSize: 10.5)
            }
        }
        canvas.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: Palette.axis)
        let description =
            description ?? "Stacked bar chart of " + series.map(\.name).joined(separator: ", ")
            + " per category. Totals: "
            + zip(categories, totals).map { "\($0): \(Markup.number($1))" }.joined(separator: ", ")
        return canvas.document(title: title, description: description)
    }
}
