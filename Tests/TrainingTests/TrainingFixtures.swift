import Checkpoints
import Foundation
import Imaging
import Models
import NeuralNetwork
import RunArtifacts
import SyntheticCovers

@testable import Catalog
@testable import Training

/// Small synthetic datasets on disk for the training tests.
enum TrainingFixtures {
    /// `perGenre` synthetic covers for each of `genres`, written as JPEGs into a fresh temporary
    /// folder, with a seeded 60/20/20 split by index.
    static func dataset(genres: [CoverStyle] = [.rock, .jazz, .holiday], perGenre: Int = 10, size: Int = 48) throws -> (GenreDataset, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("albumgenre-training-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let painter = CoverPainter(size: size, paletteBorrowing: 0.1, motifBorrowing: 0.1)
        var images: [LabelledImage] = []
        var id: Int64 = 1
        for style in genres {
            for index in 0..<perGenre {
                var generator = SplitMix64(seed: UInt64(id) &* 7919)
                let canvas = painter.paint(style, generator: &generator)
                let url = folder.appendingPathComponent("\(style.rawValue)-\(index).jpg")
                try RGBImage(width: canvas.width, height: canvas.height, pixels: canvas.pixels).write(to: url, jpegQuality: 92)
                let split: Split = index % 5 < 3 ? .train : (index % 5 == 3 ? .val : .test)
                images.append(
                    LabelledImage(
                        albumID: id, artist: "artist \(id)", title: "title \(id)", genre: style.rawValue, genres: [style.rawValue],
                        filePath: url.path, sha256: String(format: "%064x", id), width: size, height: size, split: split))
                id += 1
            }
        }
        return (GenreDataset(images: images), folder)
    }

    /// A small scratch CoverNet configuration at 32 px: `epochs` epochs, no early stopping, one thread.
    static func scratchConfiguration(_ dataset: GenreDataset, seed: UInt64, epochs: Int) -> TrainingConfiguration {
        var c = TrainingConfiguration(model: .coverNet, genres: dataset.classNames, seed: seed, batchSize: 8, resolution: 32)
        c.frozenEpochs = epochs
        c.fineTuneEpochs = 0
        c.earlyStoppingPatience = nil
        c.threads = 1
        return c
    }

    /// A pipeline for `c` in `run`, its feature cache inside the run folder; pretrained models load
    /// the installed EfficientNet-Lite0 weights.
    static func pipeline(
        _ c: TrainingConfiguration, _ dataset: GenreDataset, _ run: RunDirectory, report: @escaping (TrainingEvent) -> Void = { _ in }
    ) -> TrainingPipeline {
        let input = c.model.make(classCount: dataset.classNames.count, resolution: c.resolution).inputSpecification
        return TrainingPipeline(
            configuration: c, dataset: dataset, run: run, transform: CoverPreprocessing(input: input),
            featureCacheRoot: run.url.appendingPathComponent("features"),
            pretrained: { try PyTorchCheckpoint(contentsOf: PretrainedWeights().locate(.efficientNetLite0)) }, report: report)
    }

    /// A fresh run folder inside `parent`: the test's own temporary folder, so that removing that
    /// folder at the end of the test removes its runs too (a run holds weights and checkpoints).
    static func runFolder(under parent: URL) throws -> RunDirectory {
        try RunDirectory.create(named: "run-\(UUID().uuidString)", under: parent.appendingPathComponent("runs", isDirectory: true))
    }
}
