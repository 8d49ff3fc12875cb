import Catalog
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Inference
import Models
import ReportAssembly
import RunArtifacts
import TensorCore
import Testing
import Training
import WebApp

@testable import CLI

/// The figure `evaluate` reports is what `serve` (and `predict`, and the library) return for the
/// same cover: both go through `GenrePredictor`, and this checks it bit for bit at float32 on one
/// thread, for a run with test-time views and for a mirroring ensemble of two input sizes, both
/// calibrated.
@Suite(.serialized) struct OnePredictionPathTests {
    static let genres = ["country", "jazz", "rock"]

    @Test func evaluateAndServeGiveIdenticalProbabilities() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("one-path-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let covers = try Self.writeCovers(count: 11, under: root.appendingPathComponent("covers"))

        // A single run with three test-time views (two input sizes), calibrated.
        let single = root.appendingPathComponent("single")
        try Self.writeRun(to: single, resolution: 64, seed: 3, views: TestTimeView.standardSet(for: InputSpecification.imageNet(size: 64)))
        try Self.calibrate(single, temperature: 1.7)
        // An ensemble of a 64 px and a 96 px run, each also shown the mirror image, calibrated.
        let small = root.appendingPathComponent("small"), large = root.appendingPathComponent("large")
        try Self.writeRun(to: small, resolution: 64, seed: 5)
        try Self.writeRun(to: large, resolution: 96, seed: 6)
        let ensemble = root.appendingPathComponent("ensemble")
        _ = try ModelArchive.writeEnsemble(at: ensemble, sources: [small, large], mirrorsViews: true)
        try Self.calibrate(ensemble, temperature: 0.6)

        TensorEngine.setThreadCount(1)
        defer { TensorEngine.setThreadCount(nil) }
        for folder in [single, ensemble] {
            let evaluated = try Evaluator(runFolder: folder).probabilities(covers)
            let served = try await Self.serve(folder, covers: covers)
            #expect(evaluated.count == covers.count && evaluated.allSatisfy { $0 != nil })
            for (cover, (row, scores)) in zip(covers, zip(evaluated, served)) {
                let row = try #require(row)
                for (genre, probability) in zip(Self.genres, row) {
                    #expect(scores[genre] == Double(probability), "\(folder.lastPathComponent) \(cover.filePath) \(genre)")
                }
            }
        }
    }

    /// Each cover posted to `/api/predict` of the app `serve` builds, one request at a time.
    static func serve(_ folder: URL, covers: [LabelledImage]) async throws -> [[String: Double]] {
        struct Answer: Decodable { var scores: [GenreScore] }
        let app = buildApplication(configuration: WebConfiguration(host: "127.0.0.1", port: 0), predictor: try GenrePredictor(runFolder: folder))
        return try await app.test(.router) { client in
            var answers: [[String: Double]] = []
            for cover in covers {
                let response = try await client.execute(
                    uri: "/api/predict", method: .post, headers: [.contentType: "image/jpeg"],
                    body: ByteBuffer(bytes: try Data(contentsOf: cover.url)))
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(Answer.self, from: Data(buffer: response.body))
                answers.append(Dictionary(uniqueKeysWithValues: answer.scores.map { ($0.genre, $0.probability) }))
            }
            return answers
        }
    }

    /// Covers of different sizes and shapes (so the views resize and crop differently), as JPEG files.
    static func writeCovers(count: Int, under folder: URL) throws -> [LabelledImage] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try (0..<count).map { index in
            let width = 90 + 37 * index, height = 300 - 13 * index
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    pixels[i] = UInt8((x * 255) / width)
                    pixels[i + 1] = UInt8(((x / 9 + y / 7 + index) % 5) * 60)
                    pixels[i + 2] = UInt8((y * 255) / height)
                }
            }
            let file = folder.appendingPathComponent("cover-\(index).jpg")
            try RGBImage(width: width, height: height, pixels: pixels).encodeJPEG(quality: 92).write(to: file)
            return LabelledImage(
                albumID: Int64(index + 1), artist: "artist \(index)", title: "album \(index)", genre: genres[index % genres.count],
                genres: [genres[index % genres.count]], filePath: file.path, sha256: "", width: width, height: height, split: .val)
        }
    }

    static func writeRun(to folder: URL, resolution: Int, seed: UInt64, views: [TestTimeView]? = nil) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = ModelKind.coverNet.make(classCount: genres.count, seed: seed, resolution: resolution)
        try ModelArchive.save(model, to: folder.appendingPathComponent("weights.safetensors"))
        var description = ModelDescription(
            model: .coverNet, classNames: genres, resolution: resolution, input: model.inputSpecification, epoch: 2, validationMacroF1: 0.4)
        description.testTimeViews = views
        try JSONEncoder().encode(description).write(to: folder.appendingPathComponent("model.json"))
    }

    static func calibrate(_ folder: URL, temperature: Double) throws {
        let figures = CalibrationRecord.Figures(expectedCalibrationError: 0.1, negativeLogLikelihood: 1)
        try CalibrationRecord(temperature: temperature, fittedOn: folder.lastPathComponent, covers: 11, before: figures, crossFitted: figures)
            .write(in: folder)
    }
}
