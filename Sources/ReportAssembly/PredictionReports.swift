import AtomicFiles
import DataCollection
import Foundation
import Imaging
import Inference
import Reports

/// `predict … --report DIR`: the predictions as a page of covers grouped by genre.
public enum PredictionReports {
    /// Writes `index.html` (with thumbnails of the covers shown, and with `gradCAM` a heat map
    /// beside each, for one network) and `predictions.csv` (every cover) into `folder`; returns
    /// the page. `progress(done, total)` counts the covers shown.
    public static func write(
        to folder: URL, results: [(file: String, prediction: CoverPrediction)], predictor: GenrePredictor, coversPerGenre: Int,
        gradCAM: Bool, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> URL {
        var report = PredictionReport(
            model: predictor.modelName, classNames: predictor.classNames,
            covers: results.map { PredictionReport.Cover(file: $0.file, scores: $0.prediction.scores.map { ($0.genre, $0.probability) }) },
            temperature: predictor.temperature, coversPerGenre: coversPerGenre, allPredictionsFile: "predictions.csv")
        // Thumbnails only for the covers the page shows: a few dozen per genre, not every file.
        let shown = Set(report.shownCovers.map(\.file))
        let decoder = ImageDecoder()
        // Grad-CAM explains one network: an ensemble's covers are shown without it.
        let explains = gradCAM && predictor.ensembleMembers == nil
        var done = 0
        for index in report.covers.indices where shown.contains(report.covers[index].file) {
            defer {
                done += 1
                progress(done, shown.count)
            }
            let file = URL(fileURLWithPath: report.covers[index].file)
            report.covers[index].thumbnail = try? thumbnail(of: file, decoder: decoder)
            if explains, let image = try? predictor.decode(contentsOf: file) {
                let overlay = predictor.gradCAM(image, genre: report.covers[index].scores.first?.genre).overlay
                report.covers[index].heatMap = try? thumbnail(overlay)
            }
        }
        var lines = [(["file"] + (1...predictor.classNames.count).flatMap { ["genre_\($0)", "probability_\($0)"] }).joined(separator: ",")]
        for (file, prediction) in results {
            lines.append(
                ([CSV.field(file)] + prediction.scores.flatMap { [$0.genre, String(format: "%.4f", $0.probability)] }).joined(separator: ","))
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent("predictions.csv"))
        return try ReportWriter().write(report.document(), to: folder).indexFile
    }

    /// A JPEG fitted within 160 x 160 pixels, decoded at the smallest scale that allows it.
    public static func thumbnail(of file: URL, decoder: ImageDecoder) throws -> Data {
        try thumbnail(decoder.decode(contentsOf: file, minimumSize: ImageSize(width: 160, height: 160)))
    }

    /// `image` fitted within 160 x 160 pixels (`RGBImage.fitted`, as the contact sheets), as a JPEG.
    public static func thumbnail(_ image: RGBImage) throws -> Data {
        try image.fitted(within: ImageSize(width: 160, height: 160)).encodeJPEG(quality: 85)
    }
}
