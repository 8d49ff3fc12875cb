import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Inference
import Models
import Testing

@testable import WebApp

/// Every route, through the real router and middleware, in process.
@Suite struct RouteTests {
    @Test func healthSaysOK() async throws {
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
        }
    }

    @Test func pageIsSelfContainedHTML() async throws {
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            #expect(html.contains("<title>AlbumGenre"))
            #expect(html.contains("fetch(\"/api/predict?gradcam=1\""))
            #expect(html.contains("href=\"#example\""))
            #expect(!html.contains("src=\"http"), "the page must not load external scripts")
        }
    }

    @Test func exampleCoverIsADecodableJPEG() async throws {
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(uri: "/example.jpg", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/jpeg")
            let image = try ImageDecoder().decode(response.data)
            #expect(image.width == 320 && image.height == 320)
        }
    }

    @Test func modelDescribesTheLoadedRun() async throws {
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(uri: "/api/model", method: .get)
            #expect(response.status == .ok)
            struct Info: Decodable {
                var model: String
                var genres: [String]
                var inputSize: Int
                var epoch: Int
                var validationMacroF1: Double
                var trainedOnValidation: Bool
            }
            let info = try JSONDecoder().decode(Info.self, from: response.data)
            #expect(info.model == "cover-net")
            #expect(info.genres == TestModel.genres)
            #expect(info.inputSize == 64 && info.epoch == 3 && info.validationMacroF1 == 0.25 && !info.trainedOnValidation)
        }
    }

    /// A calibrated model (`albumgenre calibrate`) says so, and its probabilities are the raw ones at
    /// its temperature.
    @Test func aCalibratedModelGivesItsTemperatureAndScaledProbabilities() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webapp-calibrated-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestModel.writeRunFolder(to: folder)
        let figures = CalibrationRecord.Figures(expectedCalibrationError: 0.1, negativeLogLikelihood: 1.5)
        try CalibrationRecord(temperature: 2.5, fittedOn: "run", covers: 100, before: figures, crossFitted: figures).write(in: folder)
        let predictor = try GenrePredictor(runFolder: folder)
        let raw = try TestApp.directPrediction(of: TestImages.jpeg(seed: 3))
        let app = buildApplication(configuration: WebConfiguration(host: "127.0.0.1", port: 0), predictor: predictor)
        try await app.test(.router) { client in
            let info = try JSONDecoder().decode(ModelInfo.self, from: try await client.execute(uri: "/api/model", method: .get).data)
            #expect(info.temperature == 2.5)
            let response = try await client.execute(
                uri: "/api/predict", method: .post, headers: [.contentType: "image/jpeg"], body: ByteBuffer(bytes: TestImages.jpeg(seed: 3)))
            let body = try response.prediction()
            let scaled = TemperatureScaling.apply(raw.scores.map { Float($0.probability) }, classes: raw.scores.count, temperature: 2.5)
            #expect(body.genre == raw.top.genre)
            for (score, expected) in zip(raw.scores, scaled) {
                #expect(abs((body.scores.first { $0.genre == score.genre }?.probability ?? -1) - Double(expected)) < 1e-5)
            }
        }
        #expect(try JSONDecoder().decode(ModelInfo.self, from: JSONEncoder().encode(ModelInfo(TestModel.predictor))).temperature == nil)
    }

    /// An ensemble has no epoch or validated figure of its own: the page and clients get each member's.
    @Test func anEnsembleListsItsMembersInsteadOfOneEpoch() async throws {
        let (predictor, root) = try TestModel.ensemblePredictor()
        defer { try? FileManager.default.removeItem(at: root) }
        let app = buildApplication(configuration: WebConfiguration(host: "127.0.0.1", port: 0), predictor: predictor)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/model", method: .get)
            #expect(response.status == .ok)
            let info = try JSONDecoder().decode(ModelInfo.self, from: response.data)
            #expect(info.model == "ensemble(cover-net + cover-net)")
            #expect(info.epoch == nil && info.validationMacroF1 == nil)
            #expect(info.members?.map(\.source) == ["small", "large"])
            #expect(info.members?.map(\.inputSize) == [64, 96])
            #expect(info.members?.allSatisfy { $0.epoch == 3 && $0.validationMacroF1 == 0.25 && !$0.trainedOnValidation } == true)
            #expect(info.mirrorsViews == nil)
        }
    }

    /// `ensemble --mirror`: the model info says so, and each member runs twice per cover.
    @Test func aMirroringEnsembleSaysSo() async throws {
        let (predictor, root) = try TestModel.ensemblePredictor(mirrorsViews: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let cover = TestImages.picture(seed: 2)
        let valuesPerPass: Int = 3 * (64 * 64 + 96 * 96)
        #expect(predictor.inputValues(for: cover).count == 2 * valuesPerPass)
        // The same members without mirrors, shown the cover and its mirror image: the mean is the same.
        let (plain, plainRoot) = try TestModel.ensemblePredictor()
        defer { try? FileManager.default.removeItem(at: plainRoot) }
        let both = plain.predict([cover, cover.horizontallyFlipped()]).map {
            Dictionary(uniqueKeysWithValues: $0.scores.map { ($0.genre, $0.probability) })
        }
        for score in predictor.predict([cover])[0].scores {
            #expect(abs(score.probability - (both[0][score.genre]! + both[1][score.genre]!) / 2) < 2e-3, "\(score.genre)")
        }
        let app = buildApplication(configuration: WebConfiguration(host: "127.0.0.1", port: 0), predictor: predictor)
        try await app.test(.router) { client in
            let info = try JSONDecoder().decode(ModelInfo.self, from: try await client.execute(uri: "/api/model", method: .get).data)
            #expect(info.mirrorsViews == true)
        }
    }

    @Test(arguments: ["jpeg", "png"])
    func rawUploadMatchesThePredictorCalledDirectly(format: String) async throws {
        let file = format == "jpeg" ? TestImages.jpeg(seed: 3) : TestImages.png(seed: 3)
        let expected = try TestApp.directPrediction(of: file)
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/predict", method: .post, headers: [.contentType: "image/\(format)"], body: ByteBuffer(bytes: file))
            let body = try response.prediction()
            #expect(body.genre == expected.top.genre)
            #expect(body.scores == expected.scores)
            #expect(Set(body.scores.map(\.genre)) == Set(TestModel.genres))
            #expect(abs(body.scores.map(\.probability).reduce(0, +) - 1) < 1e-5)
            #expect(zip(body.scores, body.scores.dropFirst()).allSatisfy { $0.probability >= $1.probability })
            #expect(body.gradcam == nil)
        }
    }

    @Test func multipartUploadGivesTheSameAnswerAsRaw() async throws {
        let file = TestImages.jpeg(seed: 5)
        let expected = try TestApp.directPrediction(of: file)
        let boundary = "----AlbumGenreBoundary7MA4YWxk"
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/predict", method: .post, headers: [.contentType: "multipart/form-data; boundary=\"\(boundary)\""],
                body: ByteBuffer(bytes: TestImages.multipart(file: file, boundary: boundary)))
            #expect(try response.prediction().scores == expected.scores)
        }
    }

    /// The bytes decide: a JPEG declared as text or PNG is still a JPEG.
    @Test(arguments: ["text/plain", "image/png", "application/json", "multipart/form-data; boundary=x", "application/octet-stream"])
    func sniffedBytesWinOverTheDeclaredType(declared: String) async throws {
        let file = TestImages.jpeg(seed: 9)
        let expected = try TestApp.directPrediction(of: file)
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/predict", method: .post, headers: [.contentType: declared], body: ByteBuffer(bytes: file))
            #expect(try response.prediction().scores == expected.scores)
        }
    }

    @Test func gradCAMOverlayIsAPNGOfTheModelCrop() async throws {
        try await TestApp.make().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/predict?gradcam=1", method: .post, body: ByteBuffer(bytes: TestImages.jpeg(seed: 2)))
            let overlay = try #require(try response.prediction().gradcam)
            let prefix = "data:image/png;base64,"
            #expect(overlay.hasPrefix(prefix))
            let png = try #require(Data(base64Encoded: String(overlay.dropFirst(prefix.count))))
            #expect(ImageFormat(sniffing: png) == .png)
            let image = try ImageDecoder().decode(png)
            #expect(image.width == 64 && image.height == 64)
        }
    }

    /// Concurrent uploads of different covers are batched; each must get its own answer back.
    @Test func concurrentUploadsEachGetTheirOwnPrediction() async throws {
        let files = (0..<12).map { TestImages.jpeg(seed: 20 + $0) }
        let expected = try files.map { try TestApp.directPrediction(of: $0).scores }
        #expect(Set(expected.map { $0.map(\.probability) }).count > 1, "the seeds must give different predictions")
        try await TestApp.make(maximumBatch: 4).test(.live) { client in
            try await withThrowingTaskGroup(of: (Int, [GenreScore]).self) { group in
                for (index, file) in files.enumerated() {
                    group.addTask {
                        let response = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(bytes: file))
                        return (index, try response.prediction().scores)
                    }
                }
                for try await (index, scores) in group {
                    // Batched and single passes may differ in the last bits (different GEMM
                    // blocking), so probabilities are compared per genre with a tolerance.
                    let want = Dictionary(uniqueKeysWithValues: expected[index].map { ($0.genre, $0.probability) })
                    #expect(scores.count == want.count)
                    for score in scores {
                        #expect(abs(score.probability - (want[score.genre] ?? -1)) < 1e-4, "cover \(index), \(score.genre)")
                    }
                }
            }
        }
    }
}
