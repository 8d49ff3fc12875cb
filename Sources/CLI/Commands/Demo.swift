import ArgumentParser
import Catalog
import DataCollection
import Foundation
import Imaging
import Inference
import Models
import NeuralNetwork
import ReportAssembly
import Reports
import RunArtifacts
import SyntheticCovers
import Training

/// `albumgenre demo`: the whole study, end to end, on data that can ship with the project.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole job end to end, on synthetic or your own covers.",
        usage: "albumgenre demo [--data <folder-or-catalog>] [--work <dir>] [<options>]",
        discussion: """
            Without --data the covers are SYNTHETIC: six procedurally drawn genre "styles" (real album \
            art is copyrighted and cannot ship). The job imports them into a catalog, splits them \
            (grouped, stratified), writes the explore report, trains the study's scratch CNN and \
            EfficientNet-Lite0 (frozen base, then a short fine-tuning), scores both once on the test \
            split, writes the reports and predicts a few covers. About 5-10 minutes on 2 cores.

            With --data DIR (an ImageFolder tree) or --data FILE.sqlite (a catalog) the same job runs \
            on real covers.

            Example: albumgenre demo --work demo
            """)

    @Option(help: "An ImageFolder dataset or a catalog to use instead of synthetic covers.")
    var data: String?

    @Option(help: "Folder for everything the demo writes.")
    var work: String = "demo"

    @Option(help: "Synthetic covers per genre.")
    var perGenre = 90

    @Option(help: "Seed of the synthetic data, the split and training.")
    var seed: UInt64 = 7

    @Option(help: "Epochs of the frozen phase (and of the scratch CNN).")
    var epochs = 8

    @Option(name: .customLong("finetune-epochs"), help: "Fine-tuning epochs of EfficientNet-Lite0.")
    var fineTuneEpochs = 1

    @OptionGroup var output: OutputOptions

    func run() throws {
        let root = URL(fileURLWithPath: work, isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let quiet = output.quiet || output.json
        let started = Date()

        // 1. Data.
        let catalogURL: URL
        var isSynthetic = false
        if let data, data.hasSuffix(".sqlite") {
            catalogURL = URL(fileURLWithPath: data)
        } else {
            catalogURL = root.appendingPathComponent("demo.sqlite")
            let folder: URL
            if let data {
                folder = URL(fileURLWithPath: data, isDirectory: true)
            } else {
                isSynthetic = true
                folder = root.appendingPathComponent("synthetic-covers", isDirectory: true)
                Console.info(
                    "step 1/7: drawing \(perGenre * CoverStyle.allCases.count) SYNTHETIC covers (not real album art) into \(folder.path)",
                    quiet: quiet)
                try SyntheticDataset.write(to: folder, perGenre: perGenre, seed: seed)
            }
            let catalog = try Catalog(path: catalogURL.path)
            let added = try catalog.importImages(try ImageFolder.scan(folder.path))
            Console.info("imported \(added) new covers into \(catalogURL.path)", quiet: quiet)
        }
        let catalog = try Catalog(path: catalogURL.path)

        // 2. Split.
        Console.info("step 2/7: grouped, stratified 70/15/15 split", quiet: quiet)
        var images = try catalog.labelledImages()
        guard images.count >= 30 else { throw ValidationError("the demo needs at least 30 labelled covers; \(catalogURL.path) has \(images.count)") }
        if !images.allSatisfy({ $0.split != nil }) {
            try catalog.recordSplits(GroupedSplitter(seed: seed).assign(images, keepGiven: true))
            images = try catalog.labelledImages()
        }

        // 3. Explore.
        Console.info("step 3/7: explore report", quiet: quiet)
        let reports = root.appendingPathComponent("reports", isDirectory: true)
        let explore = try ExploreBuilder().build(
            catalog: catalog, name: isSynthetic ? "synthetic demo covers" : catalogURL.lastPathComponent,
            thumbnails: reports.appendingPathComponent("explore/thumbnails", isDirectory: true)
        ) { _, _ in }
        var exploreDocument = explore
        if isSynthetic { exploreDocument.notes.insert("These covers are SYNTHETIC, drawn by `albumgenre demo`; they are not real album art.", at: 0) }
        let exploreReport = try ReportWriter().write(exploreDocument.document(), to: reports.appendingPathComponent("explore", isDirectory: true))

        // 4-5. Train and evaluate.
        let dataset = GenreDataset(images: images)
        let runs = root.appendingPathComponent("runs", isDirectory: true)
        var results: [DemoResult] = []
        let plans: [(name: String, configuration: TrainingConfiguration)] = [
            ("study-cnn", demoConfiguration(.studyCNN, dataset: dataset, resolution: 128)),
            ("efficientnet-lite0", demoConfiguration(.efficientNetLite0, dataset: dataset, resolution: nil)),
        ]
        for (index, plan) in plans.enumerated() {
            Console.info("step \(4 + index)/7: training \(plan.name)", quiet: quiet)
            let run = try RunDirectory.create(named: "demo-\(plan.name)", under: runs)
            let resume = FileManager.default.fileExists(atPath: run.configurationURL.path)
            let summary = try TrainingRunner(quiet: quiet, weightsFile: nil).train(
                configuration: plan.configuration, dataset: dataset, run: run, resume: resume)
            let record = try Evaluator.testRecordOnce(run: run, images: dataset.images(in: .test))
            let report = try RunReporting.writeTrainingReport(run: run)
            results.append(
                DemoResult(
                    model: plan.name, run: run.url.path, validationMacroF1: summary.validationMacroF1, testAccuracy: record.metrics.accuracy,
                    testMacroF1: record.metrics.macroF1, report: report))
            Console.info(
                String(
                    format: "  %@: test accuracy %.3f, macro-F1 %.3f (chance %.3f)", plan.name, record.metrics.accuracy, record.metrics.macroF1,
                    1 / Double(dataset.classNames.count)), quiet: quiet)
        }

        // 6. Predict a few covers with the trained transfer model.
        Console.info("step 6/7: predicting a few test covers", quiet: quiet)
        let predictor = try GenrePredictor(runFolder: URL(fileURLWithPath: results.last!.run))
        let samples = Array(dataset.images(in: .test).prefix(5))
        // Each sample with its model input (as `predict` prepares it); an unreadable one is left out.
        let prepared = samples.compactMap { sample in (try? predictor.inputValues(contentsOf: sample.url)).map { (sample, $0) } }
        var predictions: [DemoPrediction] = []
        for (image, prediction) in zip(prepared.map(\.0), predictor.predict(inputs: prepared.map(\.1))) {
            predictions.append(
                DemoPrediction(file: image.filePath, trueGenre: image.genre, predicted: prediction.top.genre, probability: prediction.top.probability)
            )
            if !output.json {
                Console.print(
                    String(
                        format: "  %@  true %@, predicted %@ (%.0f %%)", image.url.lastPathComponent, image.genre, prediction.top.genre,
                        prediction.top.probability * 100))
            }
        }

        // 7. Index page.
        Console.info("step 7/7: reports", quiet: quiet)
        let index = try DemoIndex.write(
            to: reports, explore: exploreReport.indexFile, results: results, isSynthetic: isSynthetic, classNames: dataset.classNames)
        let summary = DemoSummary(
            synthetic: isSynthetic, catalog: catalogURL.path, results: results, predictions: predictions, report: index.path,
            seconds: Date().timeIntervalSince(started))
        if output.json {
            try Console.printJSON(summary)
        } else {
            Console.print("")
            if isSynthetic { Console.print("The data was SYNTHETIC; run `albumgenre demo --data DIR` on real covers.") }
            Console.print("Done in \(formatDuration(summary.seconds)). Open the report: \(index.path)")
        }
    }

    private func demoConfiguration(_ model: ModelKind, dataset: GenreDataset, resolution: Int?) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(model: model, genres: dataset.classNames, seed: seed, batchSize: 32, resolution: resolution)
        configuration.frozenEpochs = epochs
        configuration.fineTuneEpochs = model.isPretrained ? fineTuneEpochs : 0
        configuration.cachedViews = 2
        configuration.earlyStoppingPatience = nil
        if !model.isPretrained { configuration.frozenOptimizer = .adam(learningRate: 1e-3) }
        return configuration
    }
}

struct DemoPrediction: Codable {
    var file: String
    var trueGenre: String
    var predicted: String
    var probability: Double
}

struct DemoSummary: Codable {
    var synthetic: Bool
    var catalog: String
    var results: [DemoResult]
    var predictions: [DemoPrediction]
    var report: String
    var seconds: Double
}

/// Writes the synthetic covers as an ImageFolder tree of JPEGs.
enum SyntheticDataset {
    static func write(to folder: URL, perGenre: Int, seed: UInt64) throws {
        let painter = CoverPainter(size: 128)
        for style in CoverStyle.allCases {
            let genreFolder = folder.appendingPathComponent(style.rawValue, isDirectory: true)
            try FileManager.default.createDirectory(at: genreFolder, withIntermediateDirectories: true)
            for index in 0..<perGenre {
                let target = genreFolder.appendingPathComponent(String(format: "%@-%04d.jpg", style.rawValue, index))
                if FileManager.default.fileExists(atPath: target.path) { continue }
                var generator = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(index) &* 31 &+ UInt64(CoverStyle.allCases.firstIndex(of: style)!))
                let canvas = painter.paint(style, generator: &generator)
                try RGBImage(width: canvas.width, height: canvas.height, pixels: canvas.pixels).write(to: target, jpegQuality: 90)
            }
        }
    }
}
