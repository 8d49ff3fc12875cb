import Foundation
import Inference
import Testing

/// The README's "Use it from Swift" example, line for line, on a trained run.
struct LibraryExampleTests {
    @Test func theReadmeExampleClassifiesACover() async throws {
        let (folder, runs, _) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let coverFile = folder.appendingPathComponent("covers/rock/rock-0000.jpg")

        let predictor = try GenrePredictor(runFolder: runs.appendingPathComponent("a"))
        let cover = try predictor.decode(contentsOf: coverFile)
        let prediction = predictor.predict([cover])[0]
        #expect(predictor.classNames.contains(prediction.top.genre) && prediction.top.probability > 0)
        #expect(prediction.scores.map(\.probability) == prediction.scores.map(\.probability).sorted(by: >), "most probable first")
        #expect(abs(prediction.scores.reduce(0) { $0 + $1.probability } - 1) < 1e-4)
        #expect(Set(prediction.scores.map(\.genre)) == Set(predictor.classNames))
    }
}
