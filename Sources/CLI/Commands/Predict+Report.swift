import Foundation
import Inference
import ReportAssembly

/// `albumgenre predict … --report DIR`: the page with a progress bar (`PredictionReports`).
extension Predict {
    func writeReport(to path: String, results: [(file: String, prediction: CoverPrediction)], predictor: GenrePredictor) throws -> URL {
        if gradCAM && predictor.ensembleMembers != nil {
            Console.warning("--grad-cam explains one network, not an ensemble: the page shows the covers alone")
        }
        let explains = gradCAM && predictor.ensembleMembers == nil
        var bar: ProgressMeter?
        return try PredictionReports.write(
            to: URL(fileURLWithPath: path, isDirectory: true), results: results, predictor: predictor, coversPerGenre: reportCovers,
            gradCAM: gradCAM
        ) { done, total in
            if bar == nil {
                bar = ProgressMeter("report: thumbnails" + (explains ? " and Grad-CAM" : ""), total: total, quiet: output.quiet || output.json)
            }
            bar?.update(done)
        }
    }
}
