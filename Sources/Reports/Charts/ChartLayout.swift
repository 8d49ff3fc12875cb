/// The plotting rectangle of a chart, in SVG user units.
struct PlotArea {
    var left: Double
    var top: Double
    var width: Double
    var height: Double
    var right: Double { left + width }
    var bottom: Double { top + height }
}

/// One entry of a chart legend: a colour swatch or a line sample (with dash pattern) and a label.
public struct LegendItem: Sendable, Equatable {
    /// How the legend sample is drawn.
    public enum Mark: Sendable, Equatable {
        case swatch
        case line(dash: String?)
    }

    public var label: String
    public var colour: String
    public var mark: Mark

    public init(label: String, colour: String, mark: Mark = .swatch) {
        self.label = label
        self.colour = colour
        self.mark = mark
    }
}

/// Drawing routines shared by the charts: titles, legends, value axes with grid lines.
enum ChartDrawing {
    static let titleFontSize = 15.0
    static let labelFontSize = 11.0

    /// Draws the chart title at the top left; returns the y below it.
    static func drawTitle(_ title: String, on canvas: inout SVGCanvas, x: Double = 12) -> Double {
        guard !title.isEmpty else { return 8 }
        canvas.text(title, x: x, y: 20, fontSize: titleFontSize, weight: "600")
        return 30
    }

    /// Lays out legend items in rows that wrap at `maxWidth`; draws them if `canvas` is given and
    /// returns the height used (0 for no items).
    @discardableResult
    static func drawLegend(
        _ items: [LegendItem], on canvas: inout SVGCanvas, x: Double, y: Double, maxWidth: Double, draw: Bool = true
    ) -> Double {
        guard !items.isEmpty else { return 0 }
        let rowHeight = 18.0
        var cursorX = x, cursorY = y
        for item in items {
            let itemWidth = 26 + SVGCanvas.estimatedTextWidth(item.label, fontSize: labelFontSize) + 14
            if cursorX > x && cursorX + itemWidth > x + maxWidth {
                cursorX = x
                cursorY += rowHeight
            }
            if draw {
                switch item.mark {
                case .swatch:
                    canvas.rect(x: cursorX, y: cursorY + 3, width: 14, height: 10, fill: item.colour, cornerRadius: 1.5)
                case .line(let dash):
                    canvas.line(
                        x1: cursorX, y1: cursorY + 8, x2: cursorX + 20, y2: cursorY + 8,
                        stroke: item.colour, strokeWidth: 2.5, dash: dash)
                }
                canvas.text(item.label, x: cursorX + 26, y: cursorY + 12, fontSize: labelFontSize)
            }
            cursorX += itemWidth
        }
        return cursorY - y + rowHeight + 4
    }

    /// Draws a vertical value axis at the left of `plot`: horizontal grid lines, tick labels and an
    /// optional rotated axis title.
    static func drawVerticalValueAxis(
        _ axis: NiceAxis, scale: LinearScale, plot: PlotArea, title: String?,
        on canvas: inout SVGCanvas, formatter: ((Double) -> String)? = nil
    ) {
        canvas.beginGroup([("class", "y-axis")])
        for tick in axis.ticks {
            let y = scale(tick)
            canvas.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: Palette.grid)
            canvas.text(
                formatter?(tick) ?? axis.label(tick), x: plot.left - 6, y: y, anchor: .end,
                fontSize: labelFontSize, fill: Palette.mutedInk, centredVertically: true)
        }
        canvas.line(x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: Palette.axis)
        if let title, !title.isEmpty {
            let x = 14.0, y = plot.top + plot.height / 2
            canvas.text(title, x: x, y: y, anchor: .middle, fontSize: labelFontSize, fill: Palette.mutedInk, rotation: -90)
        }
        canvas.endGroup()
    }

    /// Draws a horizontal value axis along the bottom of `plot`: vertical grid lines, tick labels and
    /// an optional title below them.
    static func drawHorizontalValueAxis(
        _ axis: NiceAxis, scale: LinearScale, plot: PlotArea, title: String?,
        on canvas: inout SVGCanvas, gridLines: Bool = true, visibleRange: ClosedRange<Double>? = nil,
        formatter: ((Double) -> String)? = nil
    ) {
        canvas.beginGroup([("class", "x-axis")])
        let range = visibleRange ?? axis.lowerBound...axis.upperBound
        for tick in axis.ticks where tick >= range.lowerBound - 1e-9 && tick <= range.upperBound + 1e-9 {
            let x = scale(tick)
            if gridLines {
                canvas.line(x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: Palette.grid)
            }
            canvas.line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 4, stroke: Palette.axis)
            canvas.text(
                formatter?(tick) ?? axis.label(tick), x: x, y: plot.bottom + 17, anchor: .middle,
                fontSize: labelFontSize, fill: Palette.mutedInk)
        }
        canvas.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: Palette.axis)
        if let title, !title.isEmpty {
            canvas.text(
                title, x: plot.left + plot.width / 2, y: plot.bottom + 34, anchor: .middle,
                fontSize: labelFontSize, fill: Palette.mutedInk)
        }
        canvas.endGroup()
    }

    /// Shortens `text` to at most `maxCharacters`, ending with "…".
    static func truncated(_ text: String, maxCharacters: Int) -> String {
        guard text.count > maxCharacters, maxCharacters > 1 else { return text }
        return String(text.prefix(maxCharacters - 1)) + "…"
    }
}
