/// A confusion-matrix heat map: rows are true classes, columns predicted classes.
///
/// Each cell shows its count and its row-normalised share (the fraction of that true class
/// predicted as the column's class, so the diagonal reads as per-class recall). Cell colour
/// encodes the row-normalised share on a sequential scale, which keeps a rare class such as
/// holiday (5.8 % of the data) as readable as rock; a small key maps colours to shares.
public struct ConfusionMatrixChart: Sendable {
    public var title: String
    public var description: String?
    public var classNames: [String]
    /// `counts[trueClass][predictedClass]`, a square matrix of `classNames.count` rows.
    public var counts: [[Int]]
    /// Side of one cell in user units.
    public var cellSize: Double

    public init(title: String, description: String? = nil, classNames: [String], counts: [[Int]], cellSize: Double = 64) {
        self.title = title
        self.description = description
        self.classNames = classNames
        self.counts = counts
        self.cellSize = cellSize
    }

    private func count(_ row: Int, _ column: Int) -> Int {
        row < counts.count && column < counts[row].count ? counts[row][column] : 0
    }

    /// Row totals (the support of each true class).
    public var rowTotals: [Int] {
        classNames.indices.map { row in classNames.indices.reduce(0) { $0 + count(row, $1) } }
    }

    /// `counts[row][column] / rowTotal[row]`, 0 for an empty row.
    public func rowShare(_ row: Int, _ column: Int) -> Double {
        let total = rowTotals[row]
        return total > 0 ? Double(count(row, column)) / Double(total) : 0
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        let n = classNames.count
        let labels = classNames.map { ChartDrawing.truncated($0, maxCharacters: 16) }
        let labelWidth = (labels.map { SVGCanvas.estimatedTextWidth($0, fontSize: 12) }.max() ?? 0) + 10
        let left = 28 + labelWidth
        let titleHeight = title.isEmpty ? 8.0 : 30.0
        let columnLabelHeight = min(labelWidth * 0.75, 110) + 26
        let top = titleHeight + columnLabelHeight
        let gridSize = cellSize * Double(n)
        let totalsWidth = 64.0
        let keyHeight = 54.0
        let width = max(left + gridSize + totalsWidth + 8, 300)
        let height = top + gridSize + keyHeight
        var canvas = SVGCanvas(width: width, height: height)
        _ = ChartDrawing.drawTitle(title, on: &canvas)

        // Axis titles.
        canvas.text(
            "predicted", x: left + gridSize / 2, y: titleHeight + 12, anchor: .middle,
            fontSize: 11, weight: "600", fill: Palette.mutedInk)
        canvas.text(
            "true", x: 14, y: top + gridSize / 2, anchor: .middle, fontSize: 11, weight: "600",
            fill: Palette.mutedInk, rotation: -90)
        canvas.text("n", x: left + gridSize + 10, y: top - 8, fontSize: 11, weight: "600", fill: Palette.mutedInk)

        let totals = rowTotals
        for row in 0..<n {
            let y = top + Double(row) * cellSize
            canvas.text(labels[row], x: left - 8, y: y + cellSize / 2, anchor: .end, centredVertically: true)
            canvas.text(
                Markup.grouped(totals[row]), x: left + gridSize + 10, y: y + cellSize / 2,
                fontSize: 11, fill: Palette.mutedInk, centredVertically: true)
            for column in 0..<n {
                let x = left + Double(column) * cellSize
                let share = rowShare(row, column)
                let value = count(row, column)
                canvas.rect(
                    x: x, y: y, width: cellSize, height: cellSize, fill: Palette.sequential(share),
                    stroke: row == column ? Palette.ink : "#ffffff", strokeWidth: row == column ? 1.5 : 1,
                    tooltip:
                        "true \(classNames[row]), predicted \(classNames[column]): \(Markup.grouped(value)) (\(Markup.percent(share)) of \(classNames[row]))",
                    attributes: [("data-count", String(value)), ("data-row", String(row)), ("data-column", String(column))])
                let ink = Palette.textColour(onSequential: share)
                canvas.text(
                    Markup.grouped(value), x: x + cellSize / 2, y: y + cellSize / 2 - 3, anchor: .middle,
                    fontSize: cellSize >= 48 ? 14 : 11, weight: "600", fill: ink)
                if cellSize >= 40 {
                    canvas.text(
                        Markup.percent(share, 0), x: x + cellSize / 2, y: y + cellSize / 2 + 13, anchor: .middle,
                        fontSize: 10, fill: ink)
                }
            }
        }
        for column in 0..<n {
            let x = left + (Double(column) + 0.5) * cellSize
            canvas.text(labels[column], x: x + 4, y: top - 6, anchor: .start, fontSize: 12, rotation: -45)
        }

        // Colour key: five steps of the row-normalised share.
        let keyTop = top + gridSize + 18
        canvas.text(
            "row share", x: left, y: keyTop + 11, anchor: .end, fontSize: 10, fill: Palette.mutedInk,
            attributes: [("dx", "-8")])
        for step in 0...4 {
            let fraction = Double(step) / 4
            let x = left + Double(step) * 44
            canvas.rect(x: x, y: keyTop, width: 44, height: 14, fill: Palette.sequential(fraction), stroke: "#cccccc", strokeWidth: 0.5)
            canvas.text(Markup.percent(fraction, 0), x: x + 22, y: keyTop + 28, anchor: .middle, fontSize: 10, fill: Palette.mutedInk)
        }
        return canvas.document(title: title, description: description ?? summary)
    }

    private var summary: String {
        let totals = rowTotals
        let rows = classNames.indices.map { row in
            "\(classNames[row]) (n = \(totals[row])): " + classNames.indices.map { String(count(row, $0)) }.joined(separator: " ")
        }
        return "Confusion matrix, rows true class, columns predicted class in the order "
            + classNames.joined(separator: ", ") + ". " + rows.joined(separator: "; ")
    }
}
