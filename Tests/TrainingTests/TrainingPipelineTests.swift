import Checkpoints
import Foundation
import Models
import RunArtifacts
import Testing

@testable import Catalog
@testable import Training

struct TrainingPipelineTests {
    static let hasWeights = (try? PretrainedWeights().locate(.efficientNetLite0)) != nil

    private func scratchConfiguration(_ dataset: GenreDataset) -> TrainingConfiguration {
        TrainingFixtures.scratchConfiguration(dataset, seed: 11, epochs: 4)
    }

    private func pipeline(_ c: TrainingConfiguration, _ dataset: GenreDataset, _ run: RunDirectory) -> TrainingPipeline {
        TrainingFixtures.pipeline(c, dataset, run)
    }

    /// Everything of an epoch record except wall-clock figures.
    private func comparable(_ records: [EpochRecord]) -> [String] {
        records.map { record in
            let validation = [record.validationLoss, record.validationAccuracy, record.validationMacroF1].map { $0.map { "\($0)" } ?? "-" }
            return "\(record.phase) \(record.epoch) \(record.trainLoss) \(record.trainAccuracy) \(validation) \(record.learningRate) \(record.isBest)"
        }
    }

    @Test func aScratchRunWritesItsFolderAndLearns() throws {
        let (dataset, folder) = try TrainingFixtures.dataset()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TrainingFixtures.runFolder(under: folder)
        let records = try pipeline(scratchConfiguration(dataset), dataset, run).run(resume: false)
        #expect(records.count == 4)
        #expect(records.map(\.epoch) == [1, 2, 3, 4])
        #expect(records.last!.trainLoss < records.first!.trainLoss)
        for file in [run.configurationURL, run.metricsURL, run.weightsURL, run.modelDescriptionURL, run.splitURL] {
            #expect(FileManager.default.fileExists(atPath: file.path), "missing \(file.lastPathComponent)")
        }
        let (model, description) = try ModelArchive.loadTrained(from: run.url)
        #expect(description.classNames == dataset.classNames)
        #expect(description.epoch == records.last { $0.isBest }!.epoch)
        #expect(model.classCount == 3)
    }

    /// With mixup too: its λ and partners come from the seed, the epoch and the step, not from state
    /// a kill loses.
    @Test(arguments: [nil, Float(0.4)])
    func aKilledRunResumesToTheSameNumbers(mixupAlpha: Float?) throws {
        let (dataset, folder) = try TrainingFixtures.dataset()
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = scratchConfiguration(dataset)
        configuration.mixupAlpha = mixupAlpha
        let uninterrupted = try pipeline(configuration, dataset, try TrainingFixtures.runFolder(under: folder)).run(resume: false)

        let run = try TrainingFixtures.runFolder(under: folder)
        for stop in [1, 3] {
            let interrupted = pipeline(configuration, dataset, run)
            interrupted.shouldStopAfterEpoch = { $0 == stop }
            #expect(throws: TrainingError.self) { try interrupted.run(resume: stop != 1) }
        }
        let resumed = try pipeline(configuration, dataset, run).run(resume: true)
        #expect(comparable(resumed) == comparable(uninterrupted))
        if mixupAlpha != nil {
            // Mixup changes what is trained on: the losses differ from a run without it.
            var plain = configuration
            plain.mixupAlpha = nil
            let withoutMixup = try pipeline(plain, dataset, try TrainingFixtures.runFolder(under: folder)).run(resume: false)
            #expect(withoutMixup.map(\.trainLoss) != uninterrupted.map(\.trainLoss))
        }
    }

    @Test func anExistingRunIsNotOverwrittenWithoutResume() throws {
        let (dataset, folder) = try TrainingFixtures.dataset(perGenre: 5)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = scratchConfiguration(dataset)
        configuration.frozenEpochs = 1
        let run = try TrainingFixtures.runFolder(under: folder)
        _ = try pipeline(configuration, dataset, run).run(resume: false)
        #expect(throws: TrainingError.self) { try pipeline(configuration, dataset, run).run(resume: false) }
        configuration.seed = 99
        #expect(throws: TrainingError.self) { try pipeline(configuration, dataset, run).run(resume: true) }
        // The same configuration on other splits of the covers (a re-split catalog) cannot resume it either.
        configuration.seed = 11
        let resplit = GenreDataset(
            images: dataset.images.map { image in
                var moved = image
                moved.split = image.split == .val ? .train : image.split == .train && image.id % 4 == 0 ? .val : image.split
                return moved
            },
            genres: dataset.classNames)
        let error = #expect(throws: TrainingError.self) { try pipeline(configuration, resplit, run).run(resume: true) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("other covers or other splits"))
    }

    @Test(.enabled(if: hasWeights, "needs the EfficientNet-Lite0 weights: albumgenre weights install"))
    func frozenFeaturesAreCachedAndFineTuningFollows() throws {
        let (dataset, folder) = try TrainingFixtures.dataset(perGenre: 5, size: 64)
        defer { try? FileManager.default.removeItem(at: folder) }
        var c = TrainingConfiguration(model: .efficientNetLite0, genres: dataset.classNames, seed: 5, batchSize: 8)
        c.frozenEpochs = 3
        c.fineTuneEpochs = 1
        c.cachedViews = 2
        c.earlyStoppingPatience = nil
        let run = try TrainingFixtures.runFolder(under: folder)
        let records = try pipeline(c, dataset, run).run(resume: false)
        #expect(records.map(\.phase) == ["frozen", "frozen", "frozen", "finetune"])
        let cached =
            FileManager.default.enumerator(atPath: run.url.appendingPathComponent("features").path)?.allObjects.compactMap { $0 as? String }.filter {
                $0.hasSuffix(".f32")
            } ?? []
        // 3 training images per genre × 3 genres × 2 views, plus 1 validation image per genre.
        #expect(cached.count == 3 * 3 * 2 + 3)
    }
}
