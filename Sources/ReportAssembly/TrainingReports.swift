import Foundation
import Imaging
import Inference
import Models
import Reports
import RunArtifacts
import Training

/// Builds a run's HTML report (`runs/<name>/report/index.html`) from the files the run wrote:
/// `config.json`, `metrics.jsonl` and `evaluation-*.json`. The numbers on the page are read from
/// those files, never recomputed, so the report and the metrics cannot disagree.
public enum RunReporting {
    /// Writes the report and returns the path of its `index.html`.
    @discardableResult
    public static func writeTrainingReport(run: RunDirectory, gradCAM: Bool = true) throws -> String {
        // An ensemble (`albumgenre ensemble`) was never trained as such: no epochs, its members instead.
        let ensemble = (try? ModelArchive.ensembleDescription(in: run.url)) ?? nil
        let log = ensemble != nil ? MetricsLog(epochs: []) : try MetricsLog.read(from: run.metricsURL)
        var configuration: [TrainingReport.ConfigurationEntry] = []
        if let ensemble {
            configuration.append(.init("members", ensemble.sources.joined(separator: ", ")))
            if ensemble.mirrorsViews == true { configuration.append(.init("test-time views", "each member's views and their mirror images")) }
        }
        // Read once: every key for the table, as written, and the typed configuration for the final-fit note.
        let configurationData = try? Data(contentsOf: run.configurationURL)
        if let configurationData, let object = try? JSONSerialization.jsonObject(with: configurationData) as? [String: Any] {
            for key in object.keys.sorted() { configuration.append(.init(key, describe(object[key]!))) }
        }
        let finalFit = configurationData.flatMap { try? JSONDecoder().decode(TrainingConfiguration.self, from: $0) }?.finalFit
        var evaluations: [EvaluationResult] = []
        var mistakes: [Mistake] = []
        // Outside sets (`evaluate --images`) after the catalog's splits, oldest first.
        let external = run.externalEvaluationURLs
            .compactMap { try? run.readJSON(EvaluationRecord.self, from: $0) }
            .sorted { $0.scoredAt < $1.scoredAt }
        let records = ["test", "val"].compactMap { try? run.readJSON(EvaluationRecord.self, from: run.evaluationURL(split: $0)) } + external
        for record in records {
            let split =
                record.externalSet.map { "covers of \(URL(fileURLWithPath: $0.folder).lastPathComponent) (outside the catalog)" }
                ?? (record.split == "val" ? "validation" : record.split)
            evaluations.append(EvaluationResult(split: split, metrics: record.metrics, top2Accuracy: record.metrics.top2Accuracy))
            if mistakes.isEmpty {
                mistakes = record.mistakes.enumerated().map { index, mistake in
                    Mistake(
                        imagePath: mistake.file, trueLabel: mistake.trueGenre, predictedLabel: mistake.predictedGenre,
                        // Grad-CAM explains one network; an ensemble's mistakes are shown without it.
                        confidence: mistake.confidence,
                        gradCAMPath: gradCAM && ensemble == nil
                            ? gradCAMOverlay(run: run, file: mistake.file, genre: mistake.predictedGenre, index: index) : nil)
                }
            }
        }
        let description = try? run.readJSON(ModelDescription.self, from: run.modelDescriptionURL)
        var report = TrainingReport(
            runName: run.url.lastPathComponent, configuration: configuration, metricsLog: log, evaluations: evaluations, mistakes: mistakes,
            modelDescription: ensemble.map {
                "ensemble of \($0.sources.count) runs (the mean of their genre probabilities): \($0.sources.joined(separator: ", "))"
            }
                ?? description.map(modelSummary),
            notes: [
                "Epochs are chosen on the validation split; the test split is scored once, by `albumgenre evaluate --split test`."
            ]
                + (finalFit.map {
                    [
                        "This run is the final fit of \($0.sourceRun): it trained on train + validation and stopped where \($0.sourceRun) chose, "
                            + "so it has no validation figures: its curves are training ones."
                    ]
                } ?? []))
        report.ensembleMembers = ensemble?.sources
        let written = try ReportWriter().write(try report.document(), to: run.reportURL)
        return written.indexFile.path
    }

    private static func modelSummary(_ model: ModelDescription) -> String {
        let figure = String(format: "%.3f", model.validationMacroF1)
        return model.trainedOnValidation == true
            ? "\(model.model.rawValue), final fit on train + validation, last epoch \(model.epoch) (the validated run's macro-F1 \(figure))"
            : "\(model.model.rawValue), selected epoch \(model.epoch) (validation macro-F1 \(figure))"
    }

    /// Grad-CAM of the predicted genre over a misclassified cover, saved beside the run.
    private static func gradCAMOverlay(run: RunDirectory, file: String, genre: String, index: Int) -> String? {
        guard let predictor = predictorCache[run.url.path] ?? (try? GenrePredictor(runFolder: run.url)) else { return nil }
        predictorCache[run.url.path] = predictor
        guard let image = try? predictor.decode(contentsOf: URL(fileURLWithPath: file)) else { return nil }
        let overlay = predictor.gradCAM(image, genre: genre).overlay
        let target = run.gradCAMURL.appendingPathComponent("mistake-\(index).png")
        try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard (try? overlay.write(to: target)) != nil else { return nil }
        return target.path
    }

    nonisolated(unsafe) private static var predictorCache: [String: GenrePredictor] = [:]

    private static func describe(_ value: Any) -> String {
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
