import Foundation
import Models
import RunArtifacts

/// Plans a final fit from a validated run: the same configuration, trained on train ∪ validation,
/// each phase stopped after the epoch validation chose in that run.
///
/// For a run whose selected (global) epoch is `e*` after `n₁` first-phase epochs:
/// - `e* ≤ n₁`: the first phase runs `e*` epochs and fine-tuning none;
/// - `e* > n₁`: the first phase runs up to its own best epoch (fine-tuning started from there) and
///   fine-tuning runs `e* − n₁` epochs.
/// Only a finished run can be planned from: one that ran every epoch of its phases or stopped early
/// on validation, so that its choice is final.
public enum FinalFitPlan {
    public static func configuration(repeating source: RunDirectory) throws -> TrainingConfiguration {
        let name = source.url.lastPathComponent
        guard let configuration = try? source.readJSON(TrainingConfiguration.self, from: source.configurationURL) else {
            throw FinalFitError.notATrainingRun(name)
        }
        guard configuration.finalFit == nil else { throw FinalFitError.alreadyAFinalFit(name) }
        guard let model = try? source.readJSON(ModelDescription.self, from: source.modelDescriptionURL) else {
            throw FinalFitError.unfinished(name, "it has no selected model (model.json) yet")
        }
        let records = source.readMetrics()
        let firstPhase = records.filter { $0.phase != .finetune }
        let fineTune = records.filter { $0.phase == .finetune }
        let patience = configuration.earlyStoppingPatience
        let fineTuneFinished = configuration.fineTuneEpochs == 0 || phaseFinished(fineTune, planned: configuration.fineTuneEpochs, patience: patience)
        guard phaseFinished(firstPhase, planned: configuration.frozenEpochs, patience: patience), fineTuneFinished else {
            throw FinalFitError.unfinished(
                name, "its metrics stop at epoch \(records.last?.epoch ?? 0); finish it with `albumgenre train … --name \(name) --resume`")
        }

        let selected = model.epoch
        var plan = configuration
        // The final fit runs its phases to the chosen epochs; early stopping would need validation.
        plan.earlyStoppingPatience = nil
        let frozenEpochs: Int, fineTuneEpochs: Int
        if selected <= firstPhase.count {
            (frozenEpochs, fineTuneEpochs) = (selected, 0)
        } else {
            let bestFirstPhase = firstPhase.lastIndex(where: \.isBest).map { $0 + 1 } ?? firstPhase.count
            (frozenEpochs, fineTuneEpochs) = (bestFirstPhase, selected - firstPhase.count)
        }
        plan.finalFit = FinalFit(
            sourceRun: name, frozenEpochs: frozenEpochs, fineTuneEpochs: fineTuneEpochs, validationMacroF1: model.validationMacroF1)
        return plan
    }

    /// Whether a phase ran all its planned epochs, or stopped after `patience` epochs without a new best.
    static func phaseFinished(_ records: [EpochRecord], planned: Int, patience: Int?) -> Bool {
        if records.count >= planned { return true }
        guard let patience, records.count >= patience else { return false }
        return records.suffix(patience).allSatisfy { !$0.isBest }
    }
}

public enum FinalFitError: Error, CustomStringConvertible, Sendable {
    case notATrainingRun(String)
    case alreadyAFinalFit(String)
    case unfinished(String, String)

    public var description: String {
        switch self {
        case .notATrainingRun(let name):
            "\(name) has no readable config.json: only a run made by `albumgenre train` can be refitted (not an ensemble)"
        case .alreadyAFinalFit(let name):
            "\(name) is itself a final fit, trained on validation: refit the validated run it repeats instead"
        case .unfinished(let name, let detail):
            "\(name) has not finished, so validation has not made its choice: \(detail)"
        }
    }
}
