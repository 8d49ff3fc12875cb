import Foundation

/// The page `albumgenre predict --report DIR` writes: how a folder of covers was classified, with
/// the covers themselves, grouped by predicted genre.
///
/// Sections: the number of covers per predicted genre and the spread of top-1 probabilities; then
/// one section per genre with its most confidently predicted covers (thumbnails supplied by the
/// caller, which decodes images; this target does not).
public struct PredictionReport: Sendable {
    /// One classified cover.
    public struct Cover: Sendable {
        public var file: String
        /// Genres and probabilities, most probable first.
        public var scores: [(genre: String, probability: Double)]
        /// A small encoded image (JPEG or PNG) shown in the grid, or nil (a tile without image is left out).
        public var thumbnail: Data?
        /// The same size, with a Grad-CAM heat map of where the network looked, shown beside it.
        public var heatMap: Data?

        public init(file: String, scores: [(genre: String, probability: Double)], thumbnail: Data? = nil, heatMap: Data? = nil) {
            self.file = file
            self.scores = scores
            self.thumbnail = thumbnail
            self.heatMap = heatMap
        }
    }

    public var model: String
    public var classNames: [String]
    public var covers: [Cover]
    /// The temperature the probabilities were scaled by (`albumgenre calibrate`), if any.
    public var temperature: Double?
    /// Covers shown per genre (the most confident); the rest are counted.
    public var coversPerGenre: Int
    /// File with every prediction, named on the page (e.g. `predictions.csv`), or nil.
    public var allPredictionsFile: String?

    public init(
        model: String, classNames: [String], covers: [Cover], temperature: Double? = nil, coversPerGenre: Int = 24, allPredictionsFile: String? = nil
    ) {
        self.model = model
        self.classNames = classNames
        self.covers = covers
        self.temperature = temperature
        self.coversPerGenre = coversPerGenre
        self.allPredictionsFile = allPredictionsFile
    }

    /// The covers predicted as each genre, most confident first, in class order.
    public var byPredictedGenre: [(genre: String, covers: [Cover])] {
        let grouped = Dictionary(grouping: covers.filter { !$0.scores.isEmpty }, by: { $0.scores[0].genre })
        return classNames.map { genre in
            (
                genre,
                (grouped[genre] ?? []).sorted {
                    $0.scores[0].probability > $1.scores[0].probability || ($0.scores[0].probability == $1.scores[0].probability && $0.file < $1.file)
                }
            )
        }
    }

    /// The covers to show per genre: the `coversPerGenre` most confident; each needs a thumbnail.
    public var shownCovers: [Cover] { byPredictedGenre.flatMap { $0.covers.prefix(coversPerGenre) } }

    public func document() -> ReportDocument {
        let palette = Palette(classNames: classNames)
        let groups = byPredictedGenre
        let total = max(1, covers.count)
        let counts = BarChart(
            title: "Covers per predicted genre", categories: groups.map(\.genre),
            series: [.init(name: "covers", colour: Palette.seriesColours[0], values: groups.map { Double($0.covers.count) })],
            orientation: .horizontal, valueAxisTitle: "covers", categoryColours: groups.map { palette.colour(for: $0.genre) },
            valueLabelDecimals: 0)
        var bins = Array(repeating: 0.0, count: 10)
        for cover in covers where !cover.scores.isEmpty { bins[min(9, max(0, Int(cover.scores[0].probability * 10)))] += 1 }
        let confidence = HistogramChart(
            title: "Top-1 probability", lowerBound: 0, upperBound: 1, counts: bins, normalised: false,
            xAxisTitle: "probability of the predicted genre", width: 420, height: 240)
        let calibration =
            temperature.map { "calibrated on validation (temperature \(Markup.fixed($0, 2))): a cover at 0.6 is right about 60 % of the time" }
            ?? "not calibrated (`albumgenre calibrate`): a fine-tuned network's probabilities overstate how often it is right"
        var overview: [HTMLNode] = [
            HTML.chart(counts.svg(), caption: "How many of the \(Markup.grouped(covers.count)) covers each genre won."),
            HTML.chart(
                confidence.svg(), caption: "The model's probability for the genre it chose, over all covers; probabilities are \(calibration)."),
        ]
        if let allPredictionsFile {
            overview.append(
                HTML.paragraph([
                    .text("Every cover's genres and probabilities: "),
                    HTML.element("a", attributes: [("href", allPredictionsFile)], [.text(allPredictionsFile)]), .text("."),
                ]))
        }
        var sections = [ReportSection(id: "overview", title: "Predicted genres", content: overview)]
        for (index, group) in groups.enumerated() where !group.covers.isEmpty {
            let shown = group.covers.prefix(coversPerGenre)
            let tiles = shown.compactMap { cover -> ImageGrid.Tile? in
                guard let thumbnail = cover.thumbnail else { return nil }
                let name = URL(fileURLWithPath: cover.file).lastPathComponent
                var lines = ["\(cover.scores[0].genre) \(Markup.fixed(cover.scores[0].probability, 2))"]
                if cover.scores.count > 1 { lines.append("then \(cover.scores[1].genre) \(Markup.fixed(cover.scores[1].probability, 2))") }
                lines.append(name)
                return ImageGrid.Tile(
                    image: .data(thumbnail, name: name), alt: "Cover \(name), predicted \(group.genre)", captionLines: lines,
                    accentColour: palette.colour(for: group.genre),
                    companion: cover.heatMap.map {
                        (.data($0, name: "gradcam-\(name)"), "Grad-CAM of \(name): where the network looked for \(group.genre)")
                    },
                    attributes: [("data-file", cover.file), ("data-genre", group.genre)])
            }
            let rest = group.covers.count - shown.count
            sections.append(
                ReportSection(
                    id: "genre-\(index)",
                    title:
                        "\(group.genre): \(Markup.grouped(group.covers.count)) covers (\(Markup.percent(Double(group.covers.count) / Double(total), 0)))",
                    introduction: "The covers predicted as \(group.genre) with the highest probability, highest first"
                        + (rest == 1 ? "; 1 more is not shown." : rest > 1 ? "; \(Markup.grouped(rest)) more are not shown." : "."),
                    content: [ImageGrid(tiles: tiles, thumbnailWidth: 120).node]))
        }
        return ReportDocument(
            title: "Predictions", subtitle: "\(Markup.grouped(covers.count)) covers classified by \(model)",
            metadata: [("model", model), ("genres", classNames.joined(separator: ", ")), ("covers", Markup.grouped(covers.count))],
            sections: sections, footer: "Written by albumgenre predict --report.")
    }
}
