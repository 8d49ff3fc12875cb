import Foundation
import Imaging
import Inference
import Testing

/// The whole pipeline (decode PNG → resize 256 bicubic → crop 224 → [-1, 1] → Lite0 → softmax)
/// on the five photos of the shared fixture, against PyTorch + Pillow's top-5.
@Suite("ImageNet top-5 with EfficientNet-Lite0")
struct ImageNetTop5Tests {
    struct Reference: Decodable {
        struct Entry: Decodable {
            var index: Int
            var name: String
            var prob: Double
        }
        var file: String
        var top5: [Entry]
    }

    @Test(
        "top-5 of the five reference photos equals PyTorch's (indices in order, probabilities within 0.01)",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"),
        .enabled(if: ModelFixtures.hasEfficientNetFixtures, "shared/fixtures/efficientnet-lite0 not found beside the repository"))
    func topFiveOfReferencePhotos() throws {
        let directory = ModelFixtures.efficientNetDirectory
        let references = try JSONDecoder().decode(
            [String: Reference].self, from: Data(contentsOf: directory.appendingPathComponent("top5.json")))
        #expect(references.count == 5)
        let classifier = try ImageNetClassifier(checkpointURL: #require(ModelFixtures.lite0WeightsURL))
        let decoder = ImageDecoder()
        for (photo, reference) in references.sorted(by: { $0.key < $1.key }) {
            let image = try decoder.decode(contentsOf: directory.appendingPathComponent(reference.file))
            let ours = classifier.top(5, of: image)
            #expect(ours.map(\.index) == reference.top5.map(\.index), "\(photo)")
            for (mine, theirs) in zip(ours, reference.top5) {
                #expect(abs(mine.probability - theirs.prob) < 0.01, "\(photo) class \(theirs.index): \(mine.probability) vs \(theirs.prob)")
                // Our class list carries WordNet synonyms after the first name ("tabby, tabby cat").
                #expect(mine.name == theirs.name || mine.name.hasPrefix(theirs.name + ","), "\(photo): \(mine.name)")
            }
            let worst = zip(ours, reference.top5).map { abs($0.probability - $1.prob) }.max() ?? 0
            print("\(photo): top-5 \(ours.map(\.index)), max probability difference \(worst)")
        }
    }
}
