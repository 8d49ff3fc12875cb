import ArgumentParser
import Foundation
import Hummingbird
import Inference
import Logging
import TensorCore
import WebApp

/// `albumgenre serve`: the web page and JSON API on a trained model.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a web page and a JSON API that predict covers' genres.",
        usage: "albumgenre serve [--model <run>] [--port <port>] [<options>]",
        discussion: """
            Routes:
              GET  /             the page (/#example runs it on a synthetic cover)
              POST /api/predict  an image, raw or as a form; ?gradcam=1 adds a heat map
              GET  /api/model    what the loaded model is
              GET  /health, GET /example.jpg

            Bad uploads get a 4xx with {"error": {"code", "message"}}; the image format is read from \
            the bytes. Binds to 127.0.0.1 unless --host says otherwise. Stops cleanly on Ctrl-C or \
            SIGTERM.

            Example: albumgenre serve --model lite0 --port 8080
            """)

    @OptionGroup var runsOption: RunsOption

    @Option(help: "The trained run, a name under --runs or a folder (default: the bundled model in models/default).")
    var model: String?

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: ArgumentHelp("Largest accepted upload in bytes.", valueName: "bytes")) var maximumBodyBytes = 10_000_000
    @Option(help: "Most covers in one forward pass when requests arrive together.") var maximumBatch = 16
    @Option(help: "Threads per forward pass (default: OMP_NUM_THREADS or all cores). 1 gives steadier latency on a busy machine.")
    var threads: Int?
    @Option(help: "Convolution arithmetic: f32, or bf16 (about 1.7x faster on CPUs with AVX-512 BF16; logits move by about 0.07).")
    var precision: PrecisionOption = .f32

    func run() async throws {
        guard maximumBodyBytes > 0, maximumBatch > 0 else { throw ValidationError("--maximum-body-bytes and --maximum-batch must be positive") }
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be positive") }
            TensorEngine.setThreadCount(threads)
        }
        let predictor = try GenrePredictor(
            runFolder: try resolveModelFolder(model, runs: runsOption), computePrecision: try precision.compute)
        var logger = Logger(label: "albumgenre.serve")
        logger.logLevel = .info
        let app = buildApplication(
            configuration: WebConfiguration(host: host, port: port, maximumBodyBytes: maximumBodyBytes, maximumBatch: maximumBatch),
            predictor: predictor, logger: logger)
        Console.info("serving \(predictor.modelName) (\(predictor.classNames.joined(separator: ", "))) on http://\(host):\(port)/")
        try await app.runService()
    }
}
