/// A line chart of several series over a numeric x axis (e.g. train and validation loss per
/// epoch), with shaded x ranges for phases ("frozen base", "fine-tuning") and horizontal
/// reference lines (a baseline, the original study's accuracy).
///
/// A point whose y is not finite breaks its line: a diverged epoch shows as a gap, not as a spike
/// to the axis. Each point carries a hover tooltip.
public struct LineChart: Sendable {
    /// One data point.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// One line.
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        /// `stroke-dasharray`, e.g. `"6 4"` for validation curves; `nil` is solid.
        public var dash: String?
        public var points: [Point]
        public var showsMarkers: Bool

        public init(name: String, colour: String, dash: String? = nil, points: [Point], showsMarkers: Bool = true) {
            self.name = name
            self.colour = colour
            self.dash = dash
            self.points = points
            self.showsMarkers = showsMarkers
        }
    }

    /// A shaded x range with a label at its top, e.g. epochs 0.5…20.5 "frozen base".
    public struct Region: Sendable, Equatable {
        public var label: String
        public var range: ClosedRange<Double>
        public init(label: String, range: ClosedRange<Double>) {
            self.label = label
            self.range = range
        }
    }

    /// A horizontal line at `value`, labelled at its right end.
    public struct ReferenceLine: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var colour: String
        public init(label: String, value: Double, colour: String = "#777777") {
            self.label = label
            self.value = value
            self.colour = colour
        }
    }

    public var title: String
    public var description: String?
    public var series: [Series]
    public var regions: [Region]
    public var referenceLines: [ReferenceLine]
    public var xAxisTitle: String?
    public var yAxisTitle: String?
    /// Fixed y range (e.g. `0...1` for accuracy); otherwise a nice range covering data and references.
    public var yRange: ClosedRange<Double>?
    /// Ticks on the x axis are whole numbers (epochs).
    public var integerX: Bool
    public var width: Double
    public var height: Double

    public init(
        title: String, description: String? = nil, series: [Series], regions: [Region] = [],
        referenceLines: [ReferenceLine] = [], xAxisTitle: String? = nil, yAxisTitle: String? = nil,
        yRange: ClosedRange<Double>? = nil, integerX: Bool = false, width: Double = 760, height: Double = 360
    ) {
        self.title = title
        self.description = description
        self.series = series
        self.regions = regions
        self.referenceLines = referenceLines
        self.xAxisTitle = xAxisTitle
        self.yAxisTitle = yAxisTitle
        self.yRange = yRange
        self.integerX = integerX
        self.width = width
        self.height = height
    }

    private var finitePoints: [Point] {
        series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        var top = ChartDrawing.drawTitle(title, on: &canvas)
        let legend = series.map { LegendItem(label: $0.name, colour: $0.colour, mark: .line(dash: $0.dash)) }
        top += ChartDrawing.drawLegend(legend, on: &canvas, x: 12, y: top, maxWidth: width - 24)
        let labelRoom =
            referenceLines.isEmpty
            ? 16.0
            : min(200, (referenceLines.map { SVGCanvas.estimatedTextWidth($0.label, fontSize: 10) }.max() ?? 0) + 14)
        let plot = PlotArea(left: 58, top: top + 8, width: width - 58 - labelRoom, height: height - top - 8 - 44)

        let points = finitePoints
        let xs = points.map(\.x) + regions.flatMap { [$0.range.lowerBound, $0.range.upperBound] }
        // The x domain is the data's own range (epochs 0.5…30.5, not a padded 0…35); ticks fall inside it.
        var xDomain = (xs.min() ?? 0)...(xs.max() ?? 1)
        if xDomain.lowerBound == xDomain.upperBound { xDomain = xDomain.lowerBound - 0.5...xDomain.upperBound + 0.5 }
        let xAxis = NiceAxis(
            covering: xDomain.lowerBound, xDomain.upperBound, targetTickCount: max(2, Int(plot.width / 70)),
            integerSteps: integerX)
        let yValues = points.map(\.y) + referenceLines.map(\.value).filter(\.isFinite)
        let yAxis =
            yRange.map { NiceAxis(covering: $0.lowerBound, $0.upperBound) }
            ?? NiceAxis(covering: yValues.min() ?? 0, yValues.max() ?? 1)
        let xScale = LinearScale(domain: xDomain, start: plot.left, end: plot.right)
        let yScale = LinearScale(axis: yAxis, start: plot.bottom, end: plot.top)

        drawRegions(on: &canvas, plot: plot, xScale: xScale, xDomain: xDomain)
        ChartDrawing.drawVerticalValueAxis(yAxis, scale: yScale, plot: plot, title: yAxisTitle, on: &canvas)
        ChartDrawing.drawHorizontalValueAxis(
            xAxis, scale: xScale, plot: plot, title: xAxisTitle, on: &canvas, gridLines: false,
            visibleRange: xDomain)
        drawReferenceLines(on: &canvas, plot: plot, yScale: yScale, yAxis: yAxis)

        for item in series {
            canvas.beginGroup([("class", "series")])
            for segment in Self.segments(of: item.points) {
                canvas.polyline(
                    segment.map { (xScale($0.x), yScale($0.y)) }, stroke: item.colour, strokeWidth: 2.2, dash: item.dash)
            }
            if item.showsMarkers && item.points.count <= 80 {
                for point in item.points where point.x.isFinite && point.y.isFinite {
                    canvas.circle(
                        cx: xScale(point.x), cy: yScale(point.y), radius: 2.8, fill: item.colour,
                        stroke: "#ffffff", strokeWidth: 0.8,
                        tooltip: "\(item.name) at \(Markup.number(point.x)): \(Markup.fixed(point.y, 4))")
                }
            }
            canvas.endGroup()
        }
        return canvas.document(title: title, description: description ?? summary)
    }

    /// Dotted lines across the plot, labelled in the right margin; labels closer than 12 units are
    /// pushed apart so they stay legible.
    private func drawReferenceLines(on canvas: inout SVGCanvas, plot: PlotArea, yScale: LinearScale, yAxis: NiceAxis) {
        let visible = referenceLines.filter(\.value.isFinite)
            .map { ($0, yScale(min(max($0.value, yAxis.lowerBound), yAxis.upperBound))) }
            .sorted { $0.1 < $1.1 }
        var lastLabelY = -Double.infinity
        for (reference, y) in visible {
            canvas.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: reference.colour, strokeWidth: 1.2, dash: "2 3")
            let labelY = max(y, lastLabelY + 12)
            lastLabelY = labelY
            canvas.text(
                reference.label, x: plot.right + 6, y: labelY, fontSize: 10, fill: reference.colour, centredVertically: true)
        }
    }

    private func drawRegions(on canvas: inout SVGCanvas, plot: PlotArea, xScale: LinearScale, xDomain: ClosedRange<Double>) {
        for (index, region) in regions.enumerated() {
            let low = max(region.range.lowerBound, xDomain.lowerBound)
            let high = min(region.range.upperBound, xDomain.upperBound)
            guard high > low else { continue }
            let x0 = xScale(low), x1 = xScale(high)
            canvas.rect(
                x: x0, y: plot.top, width: x1 - x0, height: plot.height,
                fill: Palette.regionFills[index % Palette.regionFills.count], tooltip: region.label)
            let label = ChartDrawing.truncated(region.label, maxCharacters: max(3, Int((x1 - x0) / 6.2)))
            canvas.text(label, x: (x0 + x1) / 2, y: plot.top + 13, anchor: .middle, fontSize: 10.5, fill: Palette.mutedInk)
        }
    }

    /// Splits a series into runs of consecutive finite points.
    static func segments(of points: [Point]) -> [[Point]] {
        var result: [[Point]] = []
        var current: [Point] = []
        for point in points {
            if point.x.isFinite && point.y.isFinite {
                current.append(point)
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private var summary: String {
        let lines = series.map { item in
            let finite = item.points.filter { $0.y.isFinite }
            guard let last = finite.last else { return "\(item.name): no data" }
            let best = finite.map(\.y).max() ?? last.y
            return "\(item.name): \(finite.count) points, last \(Markup.fixed(last.y, 3)), max \(Markup.fixed(best, 3))"
        }
        return "Line chart. " + lines.joined(separator: "; ")
    }
}
