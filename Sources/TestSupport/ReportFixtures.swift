import Foundation
import Reports
import RunArtifacts

/// Synthetic sample reports for tests, demos and screenshots. All numbers are made up by the
/// formulas below (no training happened) except the original study's reference data; images are
/// generated abstract covers, never real ones.
public enum ReportFixtures {
    /// The study's genres, in its class order.
    public static let genres = OriginalStudy.classNames

    /// A synthetic `metrics.jsonl`: 20 frozen-base epochs then 10 fine-tuning epochs, values with
    /// six decimals. With `truncatedTail`, a partial 31st line without newline is appended, as if
    /// the run had been killed while writing.
    public static func sampleMetricsJSONL(truncatedTail: Bool = false) -> String {
        var lines: [String] = []
        for epoch in 1...30 {
            let frozen = epoch <= 20
            let wobble = sin(Double(epoch) * 12.9898) * 0.012
            let trainAccuracy =
                frozen
                ? 0.30 + 0.24 * (1 - exp(-Double(epoch) / 6)) + wobble / 2
                : 0.55 + 0.27 * (1 - exp(-Double(epoch - 20) / 4)) + wobble / 2
            let validationAccuracy =
                frozen
                ? 0.31 + 0.20 * (1 - exp(-Double(epoch) / 5)) + wobble
                : 0.51 + 0.095 * (1 - exp(-Double(epoch - 20) / 3)) + wobble
            let trainLoss = 1.79 * exp(-1.6 * (trainAccuracy - 0.17)) + 0.05
            let validationLoss = 1.79 * exp(-1.3 * (validationAccuracy - 0.17)) + 0.12 + (frozen ? 0 : 0.004 * Double(epoch - 20))
            let macroF1 = validationAccuracy - 0.035 + wobble / 3
            let imagesPerSecond = (frozen ? 61.5 : 38.2) + wobble * 100
            let seconds = 6547 / imagesPerSecond + 12.5
            func f(_ value: Double) -> String { String(format: "%.6f", value) }
            lines.append(
                "{\"epoch\": \(epoch), \"phase\": \"\(frozen ? "frozen" : "finetune")\", \"train_loss\": \(f(trainLoss)), "
                    + "\"train_accuracy\": \(f(trainAccuracy)), \"val_loss\": \(f(validationLoss)), "
                    + "\"val_accuracy\": \(f(validationAccuracy)), \"val_macro_f1\": \(f(macroF1)), "
                    + "\"images_per_second\": \(f(imagesPerSecond)), \"seconds\": \(f(seconds))}")
        }
        var text = lines.joined(separator: "\n") + "\n"
        if truncatedTail { text += "{\"epoch\": 31, \"phase\": \"finetune\", \"train_lo" }
        return text
    }

    /// A synthetic 6-genre test confusion matrix (416 covers, the original test set's class sizes).
    public static let sampleTestConfusion: [[Int]] = [
        [40, 1, 5, 4, 3, 9], [2, 11, 3, 3, 1, 3], [8, 2, 45, 9, 3, 20],
        [6, 2, 6, 48, 6, 8], [4, 0, 2, 5, 30, 12], [9, 1, 10, 5, 15, 75],
    ]

    /// A synthetic 6-genre validation confusion matrix (1 220 covers).
    public static let sampleValidationConfusion: [[Int]] = [
        [95, 2, 14, 20, 8, 29], [4, 30, 9, 12, 4, 15], [18, 5, 112, 25, 12, 49],
        [14, 6, 16, 150, 22, 29], [10, 2, 9, 16, 92, 40], [16, 5, 26, 22, 27, 255],
    ]

    /// Builds a sample training report: writes `metrics.jsonl`, 12 synthetic mistake covers and
    /// their fake Grad-CAM overlays into `directory`, then reads the metrics back with `MetricsLog`.
    public static func sampleTrainingReport(in directory: URL, truncatedTail: Bool = false) throws -> TrainingReport {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let metricsURL = directory.appendingPathComponent("metrics.jsonl")
        try Data(sampleMetricsJSONL(truncatedTail: truncatedTail).utf8).write(to: metricsURL)
        let log = try MetricsLog.read(from: metricsURL)

        let pairs: [(String, String)] = [
            ("jazz", "rock"), ("country", "rock"), ("rock", "rap"), ("holiday", "latin"), ("latin", "country"),
            ("rap", "rock"), ("jazz", "latin"), ("rock", "jazz"), ("holiday", "jazz"), ("country", "latin"),
            ("latin", "rap"), ("rap", "jazz"),
        ]
        let palette = Palette(classNames: genres)
        var mistakes: [Mistake] = []
        for (index, pair) in pairs.enumerated() {
            let cover = directory.appendingPathComponent("mistake-\(index).png")
            let cam = directory.appendingPathComponent("mistake-\(index)-gradcam.png")
            try SyntheticImage.cover(seed: index + 1, colour: palette.colour(for: pair.0)).write(to: cover)
            try SyntheticImage.heatOverlay(seed: index + 3).write(to: cam)
            mistakes.append(
                Mistake(
                    imagePath: cover.path, trueLabel: pair.0, predictedLabel: pair.1,
                    confidence: 0.97 - Double(index) * 0.031, gradCAMPath: cam.path, title: "Synthetic album \(index + 1)"))
        }
        return TrainingReport(
            runName: "sample-efficientnet-lite0",
            configuration: [
                .init("model", "efficientnet-lite0 (ImageNet weights)"), .init("input size", "300 × 300"),
                .init("batch size", "32"), .init("frozen stage", "20 epochs, Adam lr 1e-4"),
                .init("fine-tuning", "10 epochs, RMSprop lr 1e-5, top blocks unfrozen"),
                .init("augmentation", "random crop, horizontal flip"), .init("seed", "123"),
                .init("data", "synthetic sample: no real training behind these numbers"),
            ],
            metricsLog: log,
            evaluations: [
                try EvaluationResult(split: "validation", classNames: genres, confusionMatrix: sampleValidationConfusion, top2Accuracy: 0.791),
                try EvaluationResult(split: "test", classNames: genres, confusionMatrix: sampleTestConfusion, top2Accuracy: 0.784),
            ],
            mistakes: mistakes, modelDescription: "EfficientNet-Lite0 frozen 20 ep + fine-tune 10 ep", trainingExampleCount: 6547,
            notes: ["Sample report built from synthetic metrics for layout checks."])
    }

    /// A sample comparison with made-up AlbumGenre rows for the six-genre task and two pairs.
    public static func sampleComparisonReport() -> ComparisonReport {
        ComparisonReport(
            results: [
                .init(
                    task: .sixGenres, model: "EfficientNet-Lite0 frozen 20 ep + fine-tune 10 ep", runName: "sample",
                    trainCount: 6547, validationCount: 1220, testCount: 416, majorityBaseline: 0.288, trainAccuracy: 0.812,
                    validationAccuracy: 0.602, validationMacroF1: 0.571, testAccuracy: 0.599, testMacroF1: 0.566),
                .init(
                    task: .pair("rap", "rock"), model: "MobileNetV2 frozen 20 ep + fine-tune 10 ep", trainCount: 2819,
                    validationCount: 704, majorityBaseline: 0.659, trainAccuracy: 0.90, validationAccuracy: 0.846),
                .init(task: .pair("rock", "latin"), model: "scratch CNN + dropout, 20 ep", validationAccuracy: 0.712),
            ], notes: ["Sample numbers for layout checks, not results."])
    }

    /// A sample explore report with the study's genre counts (§1.1) and synthetic everything else;
    /// writes its synthetic covers into `directory`.
    public static func sampleExploreReport(in directory: URL) throws -> ExploreReport {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let counts = ["rock": 2323, "latin": 1516, "jazz": 1453, "country": 1220, "rap": 1200, "holiday": 472]
        let palette = Palette(classNames: genres)
        var perYear: [ExploreReport.YearGenreCount] = []
        for year in 2006...2021 {
            for genre in genres {
                let trend = 1 + 0.4 * sin(Double(year - 2006) / 3 + Double(genre.count))
                perYear.append(.init(year: year, genre: genre, count: Int(Double(counts[genre]!) / 16 * trend)))
            }
        }
        func histogram(_ bins: Int, upper: Double, peak: Double, seed: Int) -> ExploreReport.BinnedHistogram {
            .init(
                lowerBound: 0, upperBound: upper,
                counts: (0..<bins).map { bin in
                    let x = (Double(bin) + 0.5) / Double(bins)
                    return Int(1000 * exp(-pow((x - peak) * 4, 2)) + 120 + 60 * sin(Double(bin * seed)))
                })
        }
        var colourStats: [ExploreReport.GenreColourStats] = []
        var sheets: [ExploreReport.ContactSheet] = []
        for (g, genre) in genres.enumerated() {
            colourStats.append(
                .init(
                    genre: genre, imageCount: counts[genre]!, hue: histogram(24, upper: 360, peak: 0.1 + 0.15 * Double(g), seed: g + 2),
                    saturation: histogram(10, upper: 1, peak: 0.2 + 0.1 * Double(g), seed: g + 5),
                    brightness: histogram(10, upper: 1, peak: 0.8 - 0.1 * Double(g), seed: g + 7)))
            var paths: [String] = []
            for index in 0..<8 {
                let url = directory.appendingPathComponent("\(genre)-\(index).png")
                try SyntheticImage.cover(seed: g * 100 + index, colour: palette.colour(for: genre), size: 72).write(to: url)
                paths.append(url.path)
            }
            sheets.append(.init(genre: genre, imagePaths: paths))
        }
        return ExploreReport(
            datasetName: "sample (study counts, synthetic covers)",
            albumsPerGenre: counts.map { .init(genre: $0.key, count: $0.value) },
            albumsPerYear: perYear,
            chartOverlap: .init(
                albumsOnTwoCharts: 239, albumsOnThreeOrMoreCharts: 5,
                pairs: [
                    .init(first: "rap", second: "rock", count: 31), .init(first: "country", second: "rock", count: 48),
                    .init(first: "holiday", second: "country", count: 62), .init(first: "jazz", second: "holiday", count: 57),
                    .init(first: "latin", second: "rap", count: 21),
                ]),
            imageSizes: .init(
                imageCount: 8183, unreadableCount: 0, nonSquareCount: 3, minimumWidth: 300, minimumHeight: 300,
                medianWidth: 300, medianHeight: 300, maximumWidth: 300, maximumHeight: 300,
                commonSizes: [.init(width: 300, height: 300, count: 8180), .init(width: 300, height: 298, count: 3)]),
            colourStats: colourStats,
            duplicateClusters: [
                .init(imagePaths: [sheets[0].imagePaths[0], sheets[1].imagePaths[2]], genres: [genres[0], genres[1]]),
                .init(
                    imagePaths: [sheets[2].imagePaths[1], sheets[2].imagePaths[3], sheets[2].imagePaths[5]],
                    genres: [genres[2], genres[2], genres[2]]),
            ],
            contactSheets: sheets,
            notes: ["Genre counts are the original study's (§1.1); years, colours and covers are synthetic."])
    }
}
