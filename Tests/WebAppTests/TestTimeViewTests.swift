import Foundation
import Imaging
import Inference
import Models
import RunArtifacts
import Testing

/// A model trained with test-time views predicts the mean of its views' probabilities.
struct TestTimeViewTests {
    static func predictor(views: [TestTimeView]?) throws -> GenrePredictor {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tta-model-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestModel.writeRunFolder(to: folder, views: views)
        return try GenrePredictor(runFolder: folder)
    }

    @Test("three views: inputs hold each view in turn, probabilities are the mean of the single-view ones")
    func averagesTheViews() throws {
        let views: [TestTimeView] = [.centerCrop, .whole(side: 64), .whole(side: 85)]
        let combined = try Self.predictor(views: views)
        let singles = try views.map { try Self.predictor(views: [$0]) }
        #expect(combined.minimumDecodeSize == ImageSize(width: 85, height: 85))
        let images = (1...3).map { TestImages.picture(seed: $0) }
        let inputs = images.map(combined.inputValues(for:))
        #expect(inputs.allSatisfy { $0.count == 3 * (64 * 64 + 64 * 64 + 85 * 85) })
        #expect(inputs[0] == singles.flatMap { $0.inputValues(for: images[0]) })
        // The views disagree on these pictures, so averaging is not the centre crop alone.
        expectMean(combined.predict(inputs: inputs), of: singles.map { $0.predict(images) })
    }

    @Test("no views recorded means the centre crop alone, as before test-time views existed")
    func defaultsToTheCentreCrop() throws {
        let plain = try Self.predictor(views: nil)
        let centre = try Self.predictor(views: [.centerCrop])
        let image = TestImages.picture(seed: 4)
        #expect(plain.inputValues(for: image).count == 3 * 64 * 64)
        #expect(plain.predict([image]) == centre.predict([image]))
    }
}
