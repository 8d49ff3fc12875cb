import Foundation
import Models
import RunArtifacts
import Testing

@testable import Catalog
@testable import Training

/// `albumgenre refit`: a validated run repeated on train + validation, stopped where validation chose.
struct FinalFitTests {
    private func configuration(_ dataset: GenreDataset) -> TrainingConfiguration {
        TrainingFixtures.scratchConfiguration(dataset, seed: 3, epochs: 5)
    }

    /// The pipeline, reporting the size of each training epoch's image list into `totals`.
    private func pipeline(_ c: TrainingConfiguration, _ dataset: GenreDataset, _ run: RunDirectory, totals: Totals = Totals()) -> TrainingPipeline {
        TrainingFixtures.pipeline(c, dataset, run) { event in if case .progress(_, _, _, let total, _) = event { totals.values.insert(total) } }
    }

    final class Totals: @unchecked Sendable { var values: Set<Int> = [] }

    @Test func aFinalFitTrainsOnValidationTooAndStopsAtTheChosenEpoch() throws {
        let (dataset, folder) = try TrainingFixtures.dataset()
        defer { try? FileManager.default.removeItem(at: folder) }
        let validated = try TrainingFixtures.runFolder(under: folder)
        let records = try pipeline(configuration(dataset), dataset, validated).run(resume: false)
        let chosen = records.last(where: \.isBest)!.epoch

        let plan = try FinalFitPlan.configuration(repeating: validated)
        #expect(
            plan.finalFit
                == FinalFit(
                    sourceRun: validated.url.lastPathComponent, frozenEpochs: chosen, fineTuneEpochs: 0,
                    validationMacroF1: records.last(where: \.isBest)!.validationMacroF1!))
        #expect(plan.trainingSplits == [.train, .val])

        let final = try TrainingFixtures.runFolder(under: folder)
        let totals = Totals()
        let finalRecords = try pipeline(plan, dataset, final, totals: totals).run(resume: false)
        #expect(finalRecords.count == chosen)
        #expect(finalRecords.allSatisfy { $0.isBest }, "validation cannot choose in a final fit: the last epoch is kept")
        #expect(
            finalRecords.allSatisfy { $0.validationAccuracy == nil && $0.validationMacroF1 == nil },
            "a final fit trains on the validation covers, so it does not score them")
        // Training batches covered train + validation: 6 + 2 covers of each of the 3 genres.
        #expect(totals.values == [dataset.images(in: .train).count + dataset.images(in: .val).count])
        #expect(totals.values == [24])
        let (_, description) = try ModelArchive.loadTrained(from: final.url)
        #expect(description.trainedOnValidation == true)
        #expect(description.epoch == chosen)
        #expect(description.validationMacroF1 == plan.finalFit!.validationMacroF1)
        // The first pass of a final fit's schedule matches the validated run's: same seed, same rate.
        #expect(finalRecords[0].learningRate == records[0].learningRate)

        #expect(throws: FinalFitError.self) { try FinalFitPlan.configuration(repeating: final) }
    }

    @Test func anUnfinishedRunCannotBeRefitted() throws {
        let (dataset, folder) = try TrainingFixtures.dataset(perGenre: 5)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TrainingFixtures.runFolder(under: folder)
        let killed = pipeline(configuration(dataset), dataset, run)
        killed.shouldStopAfterEpoch = { $0 == 2 }
        #expect(throws: TrainingError.self) { try killed.run(resume: false) }
        #expect(throws: FinalFitError.self) { try FinalFitPlan.configuration(repeating: run) }
        #expect(throws: FinalFitError.self) { try FinalFitPlan.configuration(repeating: try TrainingFixtures.runFolder(under: folder)) }
    }

    /// Transfer learning: fine-tuning started from the best frozen epoch, so the final fit runs the
    /// frozen phase to that epoch and fine-tunes for as many epochs as the selected one is past the phase.
    @Test(
        arguments: [
            // (frozen bests, fine-tune bests, patience, selected epoch) → (frozen, fine-tune) of the final fit
            ([true, true, false, true, false], [true, false, true, false], 2, 8, 4, 3),
            ([true, true, false, false], [false, false], 2, 2, 2, 0),  // both phases stopped early; the frozen model won
            ([true, false, true, false, false], [true, true, true, true], nil, 9, 3, 4),
        ] as [([Bool], [Bool], Int?, Int, Int, Int)])
    func epochsComeFromTheValidatedRun(
        frozenBests: [Bool], fineTuneBests: [Bool], patience: Int?, selected: Int, expectedFrozen: Int, expectedFineTune: Int
    ) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("final-fit-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TrainingFixtures.runFolder(under: folder)
        var c = TrainingConfiguration(model: .efficientNetLite0, genres: ["a", "b"], resolution: 32)
        c.frozenEpochs = 5
        c.fineTuneEpochs = 4
        c.earlyStoppingPatience = patience
        try run.writeJSON(c, to: run.configurationURL)
        for (index, (phase, isBest)) in (frozenBests.map { (TrainingPhase.frozen, $0) } + fineTuneBests.map { (TrainingPhase.finetune, $0) })
            .enumerated()
        {
            try run.appendMetrics(
                EpochRecord(
                    phase: phase, epoch: index + 1, trainLoss: 1, trainAccuracy: 0.5, validationLoss: 1, validationAccuracy: 0.5,
                    validationMacroF1: 0.5, validationBalancedAccuracy: 0.5, learningRate: 1e-3, imagesPerSecond: 1, seconds: 1, isBest: isBest))
        }
        let model = ModelKind.coverNet.make(classCount: 2, resolution: 32)
        try run.writeJSON(
            ModelDescription(
                model: .efficientNetLite0, classNames: ["a", "b"], resolution: 32, input: model.inputSpecification, epoch: selected,
                validationMacroF1: 0.41),
            to: run.modelDescriptionURL)
        let plan = try FinalFitPlan.configuration(repeating: run)
        #expect(plan.finalFit?.frozenEpochs == expectedFrozen)
        #expect(plan.finalFit?.fineTuneEpochs == expectedFineTune)
        #expect(plan.earlyStoppingPatience == nil)
        #expect(plan.fineTuneEpochsToRun == expectedFineTune)
        #expect(plan.frozenEpochs == 5, "the schedule stays the validated run's")
    }
}
