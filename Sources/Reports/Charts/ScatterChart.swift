/// A scatter plot of one or more point series (e.g. image width against height per genre).
public struct ScatterChart: Sendable {
    /// One group of points drawn in one colour.
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        public var points: [LineChart.Point]
        public init(name: String, colour: String, points: [LineChart.Point]) {
            self.name = name
            self.colour = colour
            self.points = points
        }
    }

    public var title: String
    public var description: String?
    public var series: [Series]
    public var xAxisTitle: String?
    public var yAxisTitle: String?
    public var width: Double
    public var height: Double

    public init(
        title: String, description: String? = nil, series: [Series], xAxisTitle: String? = nil,
        yAxisTitle: String? = nil, width: Double = 480, height: Double = 360
    ) {
        self.title = title
        self.description = description
        self.series = series
        self.xAxisTitle = xAxisTitle
        self.yAxisTitle = yAxisTitle
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document (also valid inline in HTML). Points are
    /// semi-transparent so overplotted clusters show as darker areas.
    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        var top = ChartDrawing.drawTitle(title, on: &canvas)
        top += ChartDrawing.drawLegend(
            series.count > 1 ? series.map { LegendItem(label: $0.name, colour: $0.colour) } : [],
            on: &canvas, x: 12, y: top, maxWidth: width - 24)
        let plot = PlotArea(left: 58, top: top + 8, width: width - 74, height: height - top - 8 - 44)
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xAxis = NiceAxis(covering: points.map(\.x).min() ?? 0, points.map(\.x).max() ?? 1)
        let yAxis = NiceAxis(covering: points.map(\.y).min() ?? 0, points.map(\.y).max() ?? 1)
        let xScale = LinearScale(axis: xAxis, start: plot.left, end: plot.right)
        let yScale = LinearScale(axis: yAxis, start: plot.bottom, end: plot.top)
        ChartDrawing.drawVerticalValueAxis(yAxis, scale: yScale, plot: plot, title: yAxisTitle, on: &canvas)
        ChartDrawing.drawHorizontalValueAxis(xAxis, scale: xScale, plot: plot, title: xAxisTitle, on: &canvas)
        for item in series {
            canvas.beginGroup([("class", "points")])
            for point in item.points where point.x.isFinite && point.y.isFinite {
                canvas.circle(
                    cx: xScale(point.x), cy: yScale(point.y), radius: 3.2, fill: item.colour, opacity: 0.55,
                    tooltip: "\(item.name): (\(Markup.number(point.x)), \(Markup.number(point.y)))")
            }
            canvas.endGroup()
        }
        let description =
            description ?? "Scatter plot. "
            + series.map { "\($0.name): \($0.points.count) points" }.joined(separator: "; ")
        return canvas.document(title: title, description: description)
    }
}
