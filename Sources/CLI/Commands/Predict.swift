import ArgumentParser
import DataCollection
import Foundation
import Imaging
import Inference
import RunArtifacts
import TensorCore

/// `albumgenre predict`: the genre of any cover file.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the genre of cover images with a trained run.",
        usage: "albumgenre predict <paths> ... [--model <run>] [--top <n>] [<options>]",
        discussion: """
            Takes files and folders (searched recursively for JPEG and PNG files; the format is read \
            from the bytes). Unreadable files are reported on stderr and skipped; the exit code is 0 \
            when every file was predicted, 3 when some were skipped, 1 when none could be.

            Examples:
              albumgenre predict cover.jpg --model runs/lite0
              albumgenre predict ~/Music/covers --model lite0 --format csv > genres.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, jsonl, csv }

    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "Cover files or folders.")
    var paths: [String]

    @Option(help: "The trained run, a name under --runs or a folder (default: the bundled model in models/default).")
    var model: String?

    @Option(help: "How many genres to show per cover.")
    var top = 3

    @Option(help: "Output format: table, jsonl or csv (--json prints one JSON document).")
    var format: Format = .table

    // 8, not training's 32: on 1,000 covers 7–9 % faster and a third of the peak memory (Lite0 and
    // Lite2 at 300 px, Docs/Performance.md), as smaller activations stay in cache.
    @Option(help: "Covers per forward pass.")
    var batchSize = 8

    @Option(help: "Threads per forward pass (default: OMP_NUM_THREADS or all cores).")
    var threads: Int?

    @Option(help: "Threads decoding covers ahead of the model (0: decode on the model's thread, no overlap).")
    var decodeThreads = 1

    @Option(
        help:
            "Convolution arithmetic: f32, or bf16 (about 1.7x faster on CPUs with AVX-512 BF16; EfficientNet-Lite0 logits move by about 0.07, see Docs/EngineInternals.md)."
    )
    var precision: PrecisionOption = .f32

    @Option(
        help: ArgumentHelp("Also write a page of the covers grouped by predicted genre, and predictions.csv, into this folder.", valueName: "dir"))
    var report: String?

    @Option(help: "Covers shown per genre on the --report page (the most confident).")
    var reportCovers = 24

    @Flag(help: "With --report: beside each cover shown, a Grad-CAM heat map of where the network looked (one network, not an ensemble).")
    var gradCAM = false

    @Flag(
        help:
            "Also measure, in the same run, the engine alone (forward passes on prepared covers) and decoding alone (one thread), and print both next to the end-to-end rate."
    )
    var benchmark = false

    func run() throws {
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be positive") }
            TensorEngine.setThreadCount(threads)
        }
        let predictor = try GenrePredictor(
            runFolder: try resolveModelFolder(model, runs: runsOption), computePrecision: try precision.compute)
        let files = CoverFiles.expand(paths)
        guard !files.isEmpty else {
            throw Console.fail(
                "no JPEG or PNG files in \(paths.joined(separator: ", ")): pass cover files, or folders that hold them",
                status: ExitStatus.failure)
        }
        if gradCAM, report == nil { throw ValidationError("--grad-cam draws on the --report page: pass --report DIR too") }
        guard batchSize > 0, decodeThreads >= 0, reportCovers >= 0 else {
            throw ValidationError("--batch-size must be positive, --decode-threads and --report-covers at least 0")
        }
        let started = Date()
        var results: [(String, CoverPrediction)] = []
        var failures: [String] = []
        var sampleBatch: [[Float]] = []
        let bar = ProgressMeter("predict", total: files.count, quiet: output.quiet || output.json || files.count < 64)
        // Files are decoded and resized on other threads while the model runs on this one.
        let batches = predictor.preparedBatches(files: files, batchSize: batchSize, workers: decodeThreads)
        defer { batches.stop() }
        // Time inside forward passes and time waiting for decoded batches, for --benchmark.
        var forwardSeconds = 0.0, waitSeconds = 0.0
        // After the first batch (whose forward pass builds oneDNN primitives and warms the engine's
        // buffers), for the steady-state rate.
        var steadyStart: Date?, steadyImages = 0
        while true {
            let waitStart = Date()
            guard let batch = batches.next() else { break }
            waitSeconds += Date().timeIntervalSince(waitStart)
            for failure in batch.failures {
                failures.append(failure.file.path)
                Console.warning("\(failure.error)")
            }
            let forwardStart = Date()
            let predictions = predictor.predict(inputs: batch.inputs)
            forwardSeconds += Date().timeIntervalSince(forwardStart)
            for (file, prediction) in zip(batch.files, predictions) {
                results.append((file.path, prediction))
                if !output.json { emit(file.path, prediction) }
            }
            if benchmark && sampleBatch.count < batch.inputs.count { sampleBatch = batch.inputs }
            if steadyStart == nil { steadyStart = Date() } else { steadyImages += batch.files.count }
            bar.update(batch.end)
        }
        let seconds = Date().timeIntervalSince(started)
        let rate = Double(results.count) / max(seconds, 1e-9)
        let steadyRate = Double(steadyImages) / max(Date().timeIntervalSince(steadyStart ?? Date()), 1e-9)
        let measured =
            benchmark && !sampleBatch.isEmpty
            ? PredictBenchmark.measure(
                predictor: predictor, batch: sampleBatch, imageCount: results.count, files: files,
                inRun: .init(
                    images: results.count, forwardSeconds: forwardSeconds, waitSeconds: waitSeconds,
                    steadyImagesPerSecond: steadyRate)) : nil
        let page = try report.flatMap { folder in
            results.isEmpty ? nil : try writeReport(to: folder, results: results.map { (file: $0.0, prediction: $0.1) }, predictor: predictor)
        }
        if output.json {
            try Console.printJSON(
                PredictOutput(
                    model: predictor.modelName, imagesPerSecond: rate,
                    predictions: results.map { .init(file: $0.0, genres: Array($0.1.scores.prefix(top))) }, skipped: failures,
                    benchmark: measured, report: page?.path, temperature: predictor.temperature))
        }
        if let page { Console.info("report: \(page.path)", quiet: output.quiet) }
        Console.info(String(format: "%d covers in %.1f s (%.1f covers/s)", results.count, seconds, rate), quiet: output.quiet)
        if let measured { Console.info(measured.summary(endToEnd: rate), quiet: output.quiet) }
        if !failures.isEmpty {
            Console.warning(
                "\(failures.count) of \(files.count) files could not be read and were skipped (listed above); "
                    + "predict reads complete JPEG and PNG files: re-save the others as JPEG or PNG and run again")
        }
        if results.isEmpty { throw ExitCode.failure }
        if !failures.isEmpty { throw ExitCode(3) }
    }

    private func emit(_ file: String, _ prediction: CoverPrediction) {
        let shown = prediction.scores.prefix(top)
        switch format {
        case .table:
            Console.print("\(file)\t" + shown.map { "\($0.genre) \(String(format: "%.2f", $0.probability))" }.joined(separator: "  "))
        case .csv:
            Console.print(([csvField(file)] + shown.flatMap { [$0.genre, String(format: "%.4f", $0.probability)] }).joined(separator: ","))
        case .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(PredictOutput.Item(file: file, genres: Array(shown))) {
                Console.print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// A file name as a CSV cell (quoted as needed, formula-like names defused: `CSV.field`).
    func csvField(_ text: String) -> String { CSV.field(text) }
}

struct PredictOutput: Codable {
    struct Item: Codable {
        var file: String
        var genres: [GenreScore]
    }
    var model: String
    var imagesPerSecond: Double
    var predictions: [Item]
    var skipped: [String]
    var benchmark: PredictBenchmark?
    /// The page written by --report.
    var report: String?
    /// The temperature the probabilities are scaled by (`albumgenre calibrate`), if any.
    var temperature: Double?
}

/// Expands files and folders into cover files (recursively; by extension for folders, all given files).
enum CoverFiles {
    static let extensions: Set<String> = ["jpg", "jpeg", "png", "jpe", "jfif"]

    static func expand(_ paths: [String]) -> [URL] {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                Console.warning("\(path): no such file or folder")
                continue
            }
            if !isDirectory.boolValue {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: path, isDirectory: true), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if extensions.contains(url.pathExtension.lowercased()) { files.append(url) }
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}

/// The run folder for `--model`, or the default model shipped with the project: `models/default` in
/// the current folder or in any folder above the executable (a build inside the repository).
func resolveModelFolder(_ model: String?, runs: RunsOption) throws -> URL {
    if let model { return try runs.existingRunFolder(model) }
    var candidates = [URL(fileURLWithPath: "models/default", isDirectory: true)]
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
        candidates.append(folder.appendingPathComponent("models/default", isDirectory: true))
        folder = folder.deletingLastPathComponent()
    }
    if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent(RunDirectory.FileName.model).path) }) {
        return found
    }
    throw Console.fail(
        "no --model given and no default model in models/default: pass --model RUN (a run trained with `albumgenre train`) or run scripts/demo.sh",
        status: ExitStatus.usage, json: false)
}
