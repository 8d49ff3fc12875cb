import Foundation
import Testing

@testable import Reports

/// Every chart must be well-formed XML with an accessible root, whatever its labels contain.
struct ChartTests {
    static let hostile = #"<script>alert('x')</script> & "quoted" ]]> &amp; \#u{0}"#

    /// One chart of each kind, with the hostile string as title, category, series and class name.
    static func allCharts(label: String) -> [(String, String)] {
        let series = [
            BarChart.Series(name: label, colour: "#0072B2", values: [0.2, 0.9, .nan]),
            BarChart.Series(name: "recall", colour: "#D55E00", values: [0.5, 0.1, 0.3]),
        ]
        let categories = ["rock", label, "a very long category name that needs rotation"]
        return [
            ("vertical bars", BarChart(title: label, categories: categories, series: series, valueLabelDecimals: 2).svg()),
            (
                "horizontal bars",
                BarChart(
                    title: label, categories: categories, series: series, orientation: .horizontal,
                    valueRange: 0...1, valueLabelDecimals: 2
                ).svg()
            ),
            (
                "line",
                LineChart(
                    title: label,
                    series: [.init(name: label, colour: "#0072B2", points: [.init(x: 1, y: 0.3), .init(x: 2, y: .nan), .init(x: 3, y: 0.6)])],
                    regions: [.init(label: label, range: 0.5...2.5)], referenceLines: [.init(label: label, value: 0.5)],
                    xAxisTitle: label, yAxisTitle: label, integerX: true
                ).svg()
            ),
            ("heat map", ConfusionMatrixChart(title: label, classNames: [label, "rap"], counts: [[3, 1], [0, 4]]).svg()),
            (
                "histogram",
                HistogramChart(
                    title: label, lowerBound: 0, upperBound: 360, counts: [1, 5, 2, 0],
                    binColours: ["#ff0000", "#00ff00", "#0000ff", "#ffffff"], xAxisTitle: label
                ).svg()
            ),
            ("stacked", StackedBarChart(title: label, categories: ["2006", label], series: series, normalised: true).svg()),
            (
                "scatter",
                ScatterChart(
                    title: label,
                    series: [
                        .init(
                            name: label, colour: "#009E73",
                            points: [.init(x: 300, y: 300), .init(x: 640, y: 640)])
                    ]
                ).svg()
            ),
        ]
    }

    @Test func chartsAreWellFormedWithHostileLabels() throws {
        for (kind, svg) in Self.allCharts(label: Self.hostile) {
            #expect(XMLCollector.wellFormednessError(svg) == nil, "\(kind): \(XMLCollector.wellFormednessError(svg) ?? "")")
            #expect(!svg.contains("<script"), "\(kind) contains a live script tag")
            let parsed = try #require(XMLCollector.parse(svg))
            let root = try #require(parsed.elements.first)
            #expect(root.name == "svg")
            #expect(root.attributes["role"] == "img")
            #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            // The accessible name survives escaping intact (NUL becomes U+FFFD).
            let expectedTitle = Self.hostile.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            #expect(root.attributes["aria-label"] == expectedTitle, "\(kind)")
            #expect(parsed.elements.contains { $0.name == "title" && $0.ancestors == ["svg"] && $0.text == expectedTitle })
        }
    }

    @Test func chartsWithEmptyDataStillRender() {
        let empty: [String] = [
            BarChart(title: "", categories: [], series: []).svg(),
            BarChart(title: "", categories: [], series: [], orientation: .horizontal).svg(),
            LineChart(title: "", series: []).svg(),
            ConfusionMatrixChart(title: "", classNames: [], counts: []).svg(),
            HistogramChart(title: "", lowerBound: 0, upperBound: 0, counts: []).svg(),
            StackedBarChart(title: "", categories: [], series: []).svg(),
            ScatterChart(title: "", series: []).svg(),
        ]
        for svg in empty {
            #expect(XMLCollector.wellFormednessError(svg) == nil)
            #expect(!svg.contains("NaN") && !svg.contains("inf"))
        }
    }

    @Test func heatMapCellsCarryTheMatrix() throws {
        let counts = OriginalStudy.frozenTestConfusion
        let svg = ConfusionMatrixChart(title: "test", classNames: OriginalStudy.classNames, counts: counts).svg()
        let parsed = try #require(XMLCollector.parse(svg))
        let cells = parsed.elements.filter { $0.attributes["data-count"] != nil }
        #expect(cells.count == 36)
        for cell in cells {
            let row = try #require(Int(cell.attributes["data-row"] ?? ""))
            let column = try #require(Int(cell.attributes["data-column"] ?? ""))
            #expect(Int(cell.attributes["data-count"] ?? "") == counts[row][column])
        }
        // Row-normalised share of country→country: 37 / 62.
        let chart = ConfusionMatrixChart(title: "", classNames: OriginalStudy.classNames, counts: counts)
        #expect(abs(chart.rowShare(0, 0) - 37.0 / 62.0) < 1e-12)
        #expect(chart.rowTotals == [62, 23, 87, 76, 53, 115])
    }

    @Test func lineChartBreaksAtNonFinitePoints() {
        let points: [LineChart.Point] = [.init(x: 1, y: 1), .init(x: 2, y: 2), .init(x: 3, y: .nan), .init(x: 4, y: 1), .init(x: 5, y: .infinity)]
        let segments = LineChart.segments(of: points)
        #expect(segments.map(\.count) == [2, 1])
        let svg = LineChart(title: "t", series: [.init(name: "s", colour: "#000000", points: points)]).svg()
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
    }

    @Test func missingBarValuesDrawNoBar() throws {
        let svg = BarChart(title: "t", categories: ["a", "b"], series: [.init(name: "s", colour: "#000000", values: [1, .nan])]).svg()
        let parsed = try #require(XMLCollector.parse(svg))
        let bars = parsed.elements.filter { $0.name == "rect" && $0.ancestors.last == "g" && $0.ancestors.contains("g") }
        #expect(bars.count == 1)
    }

    @Test func stackedTotalsIgnoreInvalidValues() {
        let chart = StackedBarChart(
            title: "", categories: ["2006", "2007"],
            series: [
                .init(name: "rock", colour: "#D55E00", values: [3, -2]), .init(name: "rap", colour: "#0072B2", values: [.nan, 5]),
            ])
        #expect(chart.totals == [3, 5])
    }

    @Test func histogramNormalises() {
        let chart = HistogramChart(title: "", lowerBound: 0, upperBound: 1, counts: [1, 3, 0, .nan])
        #expect(chart.heights == [0.25, 0.75, 0, 0])
    }
}

struct PaletteTests {
    @Test func studyGenresHaveDistinctFixedColours() {
        let palette = Palette(classNames: OriginalStudy.classNames)
        let colours = OriginalStudy.classNames.map(palette.colour(for:))
        #expect(Set(colours).count == 6)
        #expect(palette.colour(for: "Rock") == Palette.genreColours["rock"])
    }

    @Test func unknownGenresGetUnusedColours() {
        let names = ["rock", "country", "pop", "electronic", "hiphop", "k-pop", "metal", "ska"]
        let palette = Palette(classNames: names)
        #expect(Set(names.map(palette.colour(for:))).count == names.count)
        // Independent of the order the names are given in.
        let reversed = Palette(classNames: names.reversed())
        #expect(names.map(palette.colour(for:)) == names.map(reversed.colour(for:)))
    }

    @Test func sequentialScaleAndTextContrast() {
        #expect(Palette.sequential(0) == "#f7fbff")
        #expect(Palette.sequential(1) == "#08306b")
        #expect(Palette.sequential(2) == Palette.sequential(1))
        #expect(Palette.sequential(.nan) == Palette.sequential(0))
        #expect(Palette.textColour(onSequential: 1) == "#ffffff")
        #expect(Palette.textColour(onSequential: 0) == Palette.ink)
    }

    @Test func hsvPrimaries() {
        #expect(Palette.hsv(hue: 0, saturation: 1, value: 1) == "#ff0000")
        #expect(Palette.hsv(hue: 120, saturation: 1, value: 1) == "#00ff00")
        #expect(Palette.hsv(hue: 240, saturation: 1, value: 1) == "#0000ff")
        #expect(Palette.hsv(hue: 360, saturation: 1, value: 1) == "#ff0000")
        #expect(Palette.hsv(hue: 0, saturation: 0, value: 0.5) == "#808080")
    }
}
