import Foundation
import RunArtifacts

/// One of the model's most confident mistakes: a cover, its true and predicted genre, and
/// optionally a Grad-CAM overlay showing where the model looked.
public struct Mistake: Codable, Sendable, Equatable {
    public var imagePath: String
    public var trueLabel: String
    public var predictedLabel: String
    /// Softmax probability of the predicted class, in [0, 1].
    public var confidence: Double
    public var gradCAMPath: String?
    /// Album title or other caption line, if known.
    public var title: String?

    public init(
        imagePath: String, trueLabel: String, predictedLabel: String, confidence: Double,
        gradCAMPath: String? = nil, title: String? = nil
    ) {
        self.imagePath = imagePath
        self.trueLabel = trueLabel
        self.predictedLabel = predictedLabel
        self.confidence = confidence
        self.gradCAMPath = gradCAMPath
        self.title = title
    }
}

/// Everything a training report shows: run configuration, per-epoch metrics (as read from the run's
/// `metrics.jsonl`), final evaluations, the most confident mistakes, and the comparison with the
/// original study. Plain data: it knows nothing about the training code.
public struct TrainingReport: Codable, Sendable {
    public var runName: String
    /// Ordered configuration summary, e.g. ("model", "efficientnet-lite0"), ("learning rate", "1e-4").
    public var configuration: [ConfigurationEntry]
    public var epochs: [EpochRecord]
    /// The unparsable partial last line of the metrics log, if the run was cut off mid-write.
    public var metricsTruncatedTail: String?
    public var evaluations: [EvaluationResult]
    public var mistakes: [Mistake]
    /// A short model description for the comparison table ("MobileNetV2 frozen 20 ep + fine-tune 10 ep").
    public var modelDescription: String?
    /// Number of training images, for the comparison table.
    public var trainingExampleCount: Int?
    public var notes: [String]
    /// Set for an ensemble of trained runs (their names): it has no epochs of its own, so the page
    /// leaves out the learning curves and the per-epoch table.
    public var ensembleMembers: [String]?

    /// A key–value line of the configuration summary.
    public struct ConfigurationEntry: Codable, Sendable, Equatable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(
        runName: String, configuration: [ConfigurationEntry] = [], epochs: [EpochRecord],
        metricsTruncatedTail: String? = nil, evaluations: [EvaluationResult] = [], mistakes: [Mistake] = [],
        modelDescription: String? = nil, trainingExampleCount: Int? = nil, notes: [String] = []
    ) {
        self.runName = runName
        self.configuration = configuration
        self.epochs = epochs
        self.metricsTruncatedTail = metricsTruncatedTail
        self.evaluations = evaluations
        self.mistakes = mistakes
        self.modelDescription = modelDescription
        self.trainingExampleCount = trainingExampleCount
        self.notes = notes
    }

    /// A report whose epochs are exactly those of `metricsLog`.
    public init(
        runName: String, configuration: [ConfigurationEntry] = [], metricsLog: MetricsLog,
        evaluations: [EvaluationResult] = [], mistakes: [Mistake] = [], modelDescription: String? = nil,
        trainingExampleCount: Int? = nil, notes: [String] = []
    ) {
        self.init(
            runName: runName, configuration: configuration, epochs: metricsLog.epochs,
            metricsTruncatedTail: metricsLog.truncatedTail, evaluations: evaluations, mistakes: mistakes,
            modelDescription: modelDescription, trainingExampleCount: trainingExampleCount, notes: notes)
    }

    /// Class names of the first evaluation (empty without evaluations).
    public var classNames: [String] { evaluations.first?.classNames ?? [] }

    /// The evaluation to headline: test if present, else the last one.
    public var headlineEvaluation: EvaluationResult? {
        evaluations.first { $0.split.lowercased() == "test" } ?? evaluations.last
    }

    /// Consecutive runs of epochs with the same phase, as x ranges for the learning-curve charts
    /// (epoch e covers [e − 0.5, e + 0.5]).
    public var phaseRegions: [LineChart.Region] {
        var regions: [LineChart.Region] = []
        var start: (phase: TrainingPhase, first: Int, last: Int)?
        for epoch in epochs {
            if let current = start, current.phase == epoch.phase {
                start = (current.phase, current.first, epoch.epoch)
            } else {
                if let current = start {
                    regions.append(.init(label: current.phase.displayName, range: Double(current.first) - 0.5...Double(current.last) + 0.5))
                }
                start = (epoch.phase, epoch.epoch, epoch.epoch)
            }
        }
        if let current = start {
            regions.append(.init(label: current.phase.displayName, range: Double(current.first) - 0.5...Double(current.last) + 0.5))
        }
        // Only shade when there is something to distinguish, and never with reversed ranges.
        let valid = regions.filter { $0.range.lowerBound <= $0.range.upperBound }
        return valid.count > 1 || (valid.first.map { $0.label != TrainingPhase.scratch.displayName } ?? false) ? valid : []
    }

    /// This run as a row of the comparison with the original study.
    public var comparisonRow: ComparisonReport.RunResult? {
        guard !classNames.isEmpty else { return nil }
        let validation = evaluations.first { $0.split.lowercased().hasPrefix("val") }
        let test = evaluations.first { $0.split.lowercased() == "test" }
        return ComparisonReport.RunResult(
            task: StudyTask(genres: classNames), model: modelDescription ?? runName, runName: runName,
            trainCount: trainingExampleCount, validationCount: validation?.exampleCount, testCount: test?.exampleCount,
            majorityBaseline: (validation ?? test)?.majorityBaseline, trainAccuracy: epochs.last?.trainAccuracy,
            validationAccuracy: validation?.accuracy ?? epochs.last?.validationAccuracy,
            validationMacroF1: validation?.macroF1 ?? epochs.last?.validationMacroF1,
            testAccuracy: test?.accuracy, testMacroF1: test?.macroF1,
            note: test.map { "test n = \($0.exampleCount)" })
    }

    /// Checks every evaluation's shapes.
    public func validate() throws {
        for evaluation in evaluations { try evaluation.validate() }
    }

    /// The report page. `generatedAt` is shown in the header when given (pass `nil` for
    /// byte-reproducible output).
    public func document(generatedAt: Date? = nil) throws -> ReportDocument {
        try validate()
        let palette = Palette(classNames: classNames)
        var metadata: [(label: String, value: String)] = [("run", runName)]
        if let modelDescription { metadata.append(("model", modelDescription)) }
        if !classNames.isEmpty { metadata.append(("classes", classNames.joined(separator: ", "))) }
        metadata.append(("epochs", String(epochs.count)))
        if let generatedAt { metadata.append(("generated", ISO8601DateFormatter().string(from: generatedAt))) }

        var sections = ensembleMembers == nil ? [summarySection(), learningCurvesSection(), epochTableSection()] : [summarySection()]
        sections += evaluations.enumerated().map { evaluationSection($1, index: $0, palette: palette) }
        if !mistakes.isEmpty { sections.append(mistakesSection(palette: palette)) }
        sections.append(comparisonSection())
        if !configuration.isEmpty { sections.append(configurationSection()) }
        return ReportDocument(
            title: "Training report: \(runName)", subtitle: "AlbumGenre: genre from album cover art",
            metadata: metadata, sections: sections, footer: OriginalStudy.citation)
    }
}
