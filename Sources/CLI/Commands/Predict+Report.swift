import AtomicFiles
import Foundation
import Imaging
import Inference
import Reports

/// `albumgenre predict … --report DIR`: the predictions as a page of covers grouped by genre.
extension Predict {
    /// Writes `index.html` (with thumbnails of the covers shown) and `predictions.csv` (every cover)
    /// into `path`; returns the page.
    func writeReport(to path: String, results: [(file: String, prediction: CoverPrediction)], predictor: GenrePredictor) throws -> URL {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        var report = PredictionReport(
            model: predictor.modelName, classNames: predictor.classNames,
            covers: results.map { PredictionReport.Cover(file: $0.file, scores: $0.prediction.scores.map { ($0.genre, $0.probability) }) },
            temperature: predictor.temperature, coversPerGenre: reportCovers, allPredictionsFile: "predictions.csv")
        // Thumbnails only for the covers the page shows: a few dozen per genre, not every file.
        let shown = Set(report.shownCovers.map(\.file))
        let decoder = ImageDecoder()
        // Grad-CAM explains one network: an ensemble's covers are shown without it.
        let explains = gradCAM && predictor.ensembleMembers == nil
        if gradCAM && !explains { Console.warning("--grad-cam explains one network, not an ensemble: the page shows the covers alone") }
        let bar = ProgressMeter("report: thumbnails" + (explains ? " and Grad-CAM" : ""), total: shown.count, quiet: output.quiet || output.json)
        var done = 0
        for index in report.covers.indices where shown.contains(report.covers[index].file) {
            defer {
                done += 1
                bar.update(done)
            }
            let file = URL(fileURLWithPath: report.covers[index].file)
            report.covers[index].thumbnail = try? Self.thumbnail(of: file, decoder: decoder)
            if explains, let image = try? predictor.decode(contentsOf: file) {
                let overlay = predictor.gradCAM(image, genre: report.covers[index].scores.first?.genre).overlay
                report.covers[index].heatMap = try? Self.thumbnail(overlay)
            }
        }
        var lines = [(["file"] + (1...predictor.classNames.count).flatMap { ["genre_\($0)", "probability_\($0)"] }).joined(separator: ",")]
        for (file, prediction) in results {
            lines.append(([csvField(file)] + prediction.scores.flatMap { [$0.genre, String(format: "%.4f", $0.probability)] }).joined(separator: ","))
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent("predictions.csv"))
        return try ReportWriter().write(report.document(), to: folder).indexFile
    }

    /// A JPEG fitted within 160 x 160 pixels, decoded at the smallest scale that allows it.
    static func thumbnail(of file: URL, decoder: ImageDecoder) throws -> Data {
        try thumbnail(decoder.decode(contentsOf: file, minimumSize: ImageSize(width: 160, height: 160)))
    }

    /// `image` fitted within 160 x 160 pixels (`RGBImage.fitted`, as the contact sheets), as a JPEG.
    static func thumbnail(_ image: RGBImage) throws -> Data {
        try image.fitted(within: ImageSize(width: 160, height: 160)).encodeJPEG(quality: 85)
    }
}
