/// A grouped bar chart: one group per category, one bar per series (e.g. precision, recall and F1
/// per genre), vertical or horizontal.
///
/// Bars start at zero. With a single series, `categoryColours` can colour each bar by its category
/// (albums per genre in genre colours). Every bar carries a hover tooltip "category · series: value".
public struct BarChart: Sendable {
    /// Direction of the bars.
    public enum Orientation: Sendable { case vertical, horizontal }

    /// One series: a value per category, in category order.
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        public var values: [Double]

        public init(name: String, colour: String, values: [Double]) {
            self.name = name
            self.colour = colour
            self.values = values
        }
    }

    public var title: String
    public var description: String?
    public var categories: [String]
    public var series: [Series]
    public var orientation: Orientation
    /// Title of the value axis ("albums", "F1").
    public var valueAxisTitle: String?
    /// Fixed value range (e.g. `0...1` for scores); otherwise a nice range covering the data and 0.
    public var valueRange: ClosedRange<Double>?
    /// Per-category bar colours, used only when there is a single series.
    public var categoryColours: [String]?
    /// Decimals of the value labels printed at the end of each bar; `nil` prints none.
    public var valueLabelDecimals: Int?
    /// Width in user units; the height of horizontal charts grows with the number of bars.
    public var width: Double
    public var height: Double

    public init(
        title: String, description: String? = nil, categories: [String], series: [Series],
        orientation: Orientation = .vertical, valueAxisTitle: String? = nil,
        valueRange: ClosedRange<Double>? = nil, categoryColours: [String]? = nil,
        valueLabelDecimals: Int? = nil, width: Double = 640, height: Double = 340
    ) {
        self.title = title
        self.description = description
        self.categories = categories
        self.series = series
        self.orientation = orientation
        self.valueAxisTitle = valueAxisTitle
        self.valueRange = valueRange
        self.categoryColours = categoryColours
        self.valueLabelDecimals = valueLabelDecimals
        self.width = width
        self.height = height
    }

    /// The value of a bar; `nil` for a missing or non-finite value, which draws no bar (a missing
    /// result must not look like a zero).
    private func value(series index: Int, category: Int) -> Double? {
        let values = series[index].values
        return category < values.count && values[category].isFinite ? values[category] : nil
    }

    private var valueAxis: NiceAxis {
        let values = series.flatMap(\.values).filter(\.isFinite)
        if let valueRange {
            return NiceAxis(covering: valueRange.lowerBound, valueRange.upperBound, includeZero: true)
        }
        return NiceAxis(covering: values.min() ?? 0, values.max() ?? 1, includeZero: true)
    }

    private var legendItems: [LegendItem] {
        series.count > 1 ? series.map { LegendItem(label: $0.name, colour: $0.colour) } : []
    }

    private func colour(series index: Int, category: Int) -> String {
        if series.count == 1, let categoryColours, category < categoryColours.count {
            return categoryColours[category]
        }
        return series[index].colour
    }

    private func valueText(_ value: Double) -> String {
        guard let decimals = valueLabelDecimals else { return "" }
        return decimals == 0 ? Markup.number(value.rounded()) : Markup.fixed(value, decimals)
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        orientation == .vertical ? verticalSVG() : horizontalSVG()
    }

    // MARK: - Vertical

    private func verticalSVG() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        var top = ChartDrawing.drawTitle(title, on: &canvas)
        top += ChartDrawing.drawLegend(legendItems, on: &canvas, x: 12, y: top, maxWidth: width - 24)
        let slot = (width - 70) / Double(max(1, categories.count))
        let longest = categories.map { SVGCanvas.estimatedTextWidth($0, fontSize: ChartDrawing.labelFontSize) }.max() ?? 0
        let rotateLabels = longest > slot - 4
        let labelHeight = rotateLabels ? min(longest * 0.72, 90) + 10 : 20
        let plot = PlotArea(left: 58, top: top + 8, width: width - 70, height: height - top - 8 - labelHeight - 8)
        let axis = valueAxis
        let scale = LinearScale(axis: axis, start: plot.bottom, end: plot.top)
        ChartDrawing.drawVerticalValueAxis(axis, scale: scale, plot: plot, title: valueAxisTitle, on: &canvas)

        let groupWidth = plot.width / Double(max(1, categories.count))
        let barWidth = groupWidth * 0.78 / Double(max(1, series.count))
        let zero = scale(0)
        canvas.beginGroup([("class", "bars")])
        for (c, category) in categories.enumerated() {
            let groupLeft = plot.left + Double(c) * groupWidth + groupWidth * 0.11
            for s in series.indices {
                guard let v = value(series: s, category: c) else { continue }
                let x = groupLeft + Double(s) * barWidth
                let y = scale(v)
                canvas.rect(
                    x: x + 0.5, y: min(y, zero), width: barWidth - 1, height: abs(zero - y),
                    fill: colour(series: s, category: c), tooltip: tooltip(category, s, v))
                let label = valueText(v)
                if !label.isEmpty && SVGCanvas.estimatedTextWidth(label, fontSize: 10) < barWidth + 8 {
                    canvas.text(label, x: x + barWidth / 2, y: min(y, zero) - 3, anchor: .middle, fontSize: 10)
                }
            }
            let labelX = plot.left + (Double(c) + 0.5) * groupWidth
            let shown = ChartDrawing.truncated(category, maxCharacters: 24)
            if rotateLabels {
                canvas.text(
                    shown, x: labelX + 4, y: plot.bottom + 12, anchor: .end,
                    fontSize: ChartDrawing.labelFontSize, rotation: -40)
            } else {
                canvas.text(shown, x: labelX, y: plot.bottom + 16, anchor: .middle, fontSize: ChartDrawing.labelFontSize)
            }
        }
        canvas.endGroup()
        canvas.line(x1: plot.left, y1: zero, x2: plot.right, y2: zero, stroke: Palette.axis)
        return canvas.document(title: title, description: description ?? summary)
    }

    // MARK: - Horizontal

    private func horizontalSVG() -> String {
        let barThickness = series.count > 1 ? 12.0 : 18.0
        let groupHeight = barThickness * Double(max(1, series.count)) + 10
        var probe = SVGCanvas(width: width, height: 0)
        let legendHeight = ChartDrawing.drawLegend(
            legendItems, on: &probe, x: 12, y: 0, maxWidth: width - 24, draw: false)
        let titleHeight = title.isEmpty ? 8.0 : 30.0
        let plotHeight = groupHeight * Double(max(1, categories.count))
        let totalHeight = titleHeight + legendHeight + 8 + plotHeight + 44
        var canvas = SVGCanvas(width: width, height: totalHeight)
        var top = ChartDrawing.drawTitle(title, on: &canvas)
        top += ChartDrawing.drawLegend(legendItems, on: &canvas, x: 12, y: top, maxWidth: width - 24)

        let shownLabels = categories.map { ChartDrawing.truncated($0, maxCharacters: 22) }
        let labelWidth = min(
            width * 0.35,
            (shownLabels.map { SVGCanvas.estimatedTextWidth($0, fontSize: ChartDrawing.labelFontSize) }.max() ?? 0) + 12)
        let valueLabelRoom = valueLabelDecimals == nil ? 12.0 : 48.0
        let plot = PlotArea(
            left: labelWidth + 8, top: top + 8, width: width - labelWidth - 8 - valueLabelRoom, height: plotHeight)
        let axis = valueAxis
        let scale = LinearScale(axis: axis, start: plot.left, end: plot.right)
        ChartDrawing.drawHorizontalValueAxis(axis, scale: scale, plot: plot, title: valueAxisTitle, on: &canvas)

        let zero = scale(0)
        canvas.beginGroup([("class", "bars")])
        for (c, category) in categories.enumerated() {
            let groupTop = plot.top + Double(c) * groupHeight + 5
            for s in series.indices {
                guard let v = value(series: s, category: c) else { continue }
                let y = groupTop + Double(s) * barThickness
                let x = scale(v)
                canvas.rect(
                    x: min(x, zero), y: y + 0.5, width: abs(x - zero), height: barThickness - 1,
                    fill: colour(series: s, category: c), tooltip: tooltip(category, s, v))
                let label = valueText(v)
                if !label.isEmpty {
                    canvas.text(
                        label, x: max(x, zero) + 4, y: y + barThickness / 2, fontSize: 10, centredVertically: true)
                }
            }
            canvas.text(
                shownLabels[c], x: plot.left - 8, y: groupTop + barThickness * Double(max(1, series.count)) / 2,
                anchor: .end, fontSize: ChartDrawing.labelFontSize, centredVertically: true)
        }
        canvas.endGroup()
        canvas.line(x1: zero, y1: plot.top, x2: zero, y2: plot.bottom, stroke: Palette.axis)
        return canvas.document(title: title, description: description ?? summary)
    }

    private func tooltip(_ category: String, _ seriesIndex: Int, _ value: Double) -> String {
        let formatted = Markup.number(value)
        return series.count > 1 ? "\(category) · \(series[seriesIndex].name): \(formatted)" : "\(category): \(formatted)"
    }

    /// A plain-text summary of the data for screen readers.
    private var summary: String {
        let parts = categories.enumerated().map { c, category in
            category + ": "
                + series.indices.map { s in
                    let shown = value(series: s, category: c).map(Markup.number) ?? "no value"
                    return (series.count > 1 ? series[s].name + " " : "") + shown
                }.joined(separator: ", ")
        }
        return "Bar chart. " + parts.joined(separator: "; ")
    }
}
