import Catalog
import Foundation
import Models
import NeuralNetwork
import Optimizers
import RunArtifacts
import TensorCore

extension TrainingPipeline {
    typealias SplitData = (images: [LabelledImage], labels: [Int])

    /// Phase 1 of transfer learning: the backbone is frozen, only the head learns, on cached features.
    func runFrozenPhase(_ model: any ImageClassifier, state: RunState?, weights: [Float]?, train: SplitData, validation: SplitData) throws -> RunState
    {
        let config = configuration
        setTrainable(model) { $0.hasPrefix(model.headPrefix) }
        let cache = try FeatureCache(
            root: featureCacheRoot,
            namespace: "\(config.model.rawValue) imagenet-weights \(transform.cacheDescription)", featureCount: model.featureCount)
        let extractor = FeatureExtractor(model: model, transform: transform, cache: cache, seed: config.seed, batchSize: config.batchSize)
        report(.message("computing frozen features (cached in \(cache.directory.path))"))
        let trainViews = config.augmentation ? max(config.cachedViews, 1) : 1
        let trainFeatures = extractor.extract(train.images, labels: train.labels, views: trainViews) {
            report(.progress(phase: "features (train)", epoch: 0, done: $0, total: $1, loss: nil))
        }
        let validationFeatures =
            scoresValidation
            ? extractor.extract(validation.images, labels: validation.labels, views: 1) {
                report(.progress(phase: "features (validation)", epoch: 0, done: $0, total: $1, loss: nil))
            }
            : nil
        let skipped = trainFeatures.failures + (validationFeatures?.failures ?? [])
        if !skipped.isEmpty { report(.skippedImages(skipped)) }

        let trainer = HeadTrainer(
            model: model, classWeights: weights, labelSmoothing: config.labelSmoothing, batchSize: config.batchSize, seed: config.seed)
        let parameters = trainableParameters(model)
        let optimizer = makeOptimizer(config.frozenOptimizer)
        let stepsPerEpoch = (trainFeatures.set.labels.count + config.batchSize - 1) / config.batchSize
        let schedule = makeSchedule(config.frozenOptimizer, totalSteps: stepsPerEpoch * config.frozenEpochs)
        var state =
            state
            ?? RunState(
                phase: .frozen, epochsInPhase: 0, globalEpoch: 0, step: 0, bestMacroF1: -1, bestEpoch: 0, patienceLeft: config.earlyStoppingPatience,
                hasOptimizerState: false)
        try restoreOptimizer(optimizer, model: model, state: state)

        while state.epochsInPhase < config.frozenEpochsToRun && state.patienceLeft != 0 {
            let epoch = state.globalEpoch + 1
            let started = Date()
            let result = try trainer.trainEpoch(
                trainFeatures.set, epoch: epoch, optimizer: optimizer, schedule: schedule, firstStep: state.step, parameters: parameters)
            let seconds = Date().timeIntervalSince(started)
            let metrics = validationFeatures.map {
                ClassificationMetrics(probabilities: trainer.probabilities($0.set), labels: $0.set.labels, classNames: dataset.classNames)
            }
            state.step += result.steps
            state = try finishEpoch(
                model, optimizer: optimizer, state: state, phase: .frozen, train: (result.loss, result.accuracy), validation: metrics,
                learningRate: schedule(state.step), imagesPerSecond: Double(trainFeatures.set.labels.count) / max(seconds, 1e-9), seconds: seconds)
        }
        return state
    }

    /// Scratch training, or phase 2 of transfer learning (the top of the backbone unfrozen).
    func runNetworkPhase(
        _ phase: TrainingPhase, _ model: any ImageClassifier, state: RunState?, weights: [Float]?, train: SplitData, validation: SplitData
    ) throws -> RunState {
        let config = configuration
        let isFineTune = phase == .finetune
        let epochs = isFineTune ? config.fineTuneEpochs : config.frozenEpochs
        let settings = isFineTune ? config.fineTuneOptimizer : config.frozenOptimizer
        if isFineTune {
            let stages = model.backboneStages
            let unfrozen = stages.suffix(Int((Double(stages.count) * config.unfrozenFraction).rounded(.up)))
            setTrainable(model) { path in path.hasPrefix(model.headPrefix) || unfrozen.contains { path.hasPrefix($0) } }
        } else {
            setTrainable(model) { _ in true }
        }
        let parameters = trainableParameters(model)
        report(.message("\(phase): \(parameters.reduce(0) { $0 + $1.parameter.value.elementCount }) trainable parameters"))
        var trainer = NetworkTrainer(
            model: model, transform: transform, classWeights: weights, labelSmoothing: config.labelSmoothing, batchSize: config.batchSize,
            seed: config.seed, augmentation: config.augmentation, phase: phase)
        trainer.backboneInInferenceMode = isFineTune && (config.freezesBatchNormStatistics ?? true)
        trainer.mixupAlpha = config.mixupAlpha ?? 0
        let optimizer = makeOptimizer(settings)
        let stepsPerEpoch = (train.images.count + config.batchSize - 1) / config.batchSize
        let firstStepOfPhase = state.map { $0.phase == phase ? $0.step - $0.epochsInPhase * stepsPerEpoch : $0.step } ?? 0
        let baseSchedule = makeSchedule(settings, totalSteps: stepsPerEpoch * epochs)
        let schedule = LearningRateSchedule { baseSchedule($0 - firstStepOfPhase) }
        var state =
            state
            ?? RunState(
                phase: phase, epochsInPhase: 0, globalEpoch: 0, step: 0, bestMacroF1: -1, bestEpoch: 0, patienceLeft: config.earlyStoppingPatience,
                hasOptimizerState: false)
        state.phase = phase
        try restoreOptimizer(optimizer, model: model, state: state)

        let epochsToRun = isFineTune ? config.fineTuneEpochsToRun : config.frozenEpochsToRun
        while state.epochsInPhase < epochsToRun && state.patienceLeft != 0 {
            let epoch = state.globalEpoch + 1
            let started = Date()
            let result = try trainer.trainEpoch(
                train.images, labels: train.labels, epoch: epoch, optimizer: optimizer, schedule: schedule, firstStep: state.step,
                parameters: parameters, clipNorm: settings.gradientClipNorm
            ) { done, total, loss in
                report(.progress(phase: phase.rawValue, epoch: epoch, done: done, total: total, loss: loss))
            }
            if !result.failures.isEmpty { report(.skippedImages(result.failures)) }
            let metrics = scoresValidation ? score(trainer, on: validation) : nil
            state.step += result.steps
            state = try finishEpoch(
                model, optimizer: optimizer, state: state, phase: phase, train: (result.loss, result.accuracy), validation: metrics,
                learningRate: schedule(state.step), imagesPerSecond: result.imagesPerSecond, seconds: Date().timeIntervalSince(started))
        }
        return state
    }

    /// Whether epochs are scored on the validation split: not in a final fit, which trains on it.
    var scoresValidation: Bool { configuration.finalFit == nil }

    /// The metrics of `trainer`'s model on the covers of `split` that could be read.
    private func score(_ trainer: NetworkTrainer, on split: SplitData) -> ClassificationMetrics {
        let rows = trainer.probabilities(split.images)
        let readable = rows.indices.filter { rows[$0] != nil }
        return ClassificationMetrics(
            probabilities: readable.map { rows[$0]! }, labels: readable.map { split.labels[$0] }, classNames: dataset.classNames)
    }

    /// Records an epoch: metrics line, best-model selection on validation macro-F1, checkpoint.
    private func finishEpoch(
        _ model: any ImageClassifier, optimizer: any CheckpointableOptimizer, state: RunState, phase: TrainingPhase,
        train: (loss: Double, accuracy: Double),
        validation metrics: ClassificationMetrics?, learningRate: Float, imagesPerSecond: Double, seconds: Double
    ) throws -> RunState {
        var state = state
        state.globalEpoch += 1
        state.epochsInPhase += 1
        // A final fit has trained on validation, so validation cannot choose: the last epoch is kept.
        let macroF1 = metrics?.macroF1 ?? configuration.finalFit?.validationMacroF1 ?? -1
        let isBest = configuration.finalFit != nil || macroF1 > state.bestMacroF1
        if isBest {
            state.bestMacroF1 = macroF1
            state.bestEpoch = state.globalEpoch
            state.patienceLeft = configuration.earlyStoppingPatience
            let input = configuration.inputSpecification(for: model)
            var description = ModelDescription(
                model: configuration.model, classNames: dataset.classNames, resolution: transform.size, input: input,
                epoch: state.globalEpoch, validationMacroF1: macroF1)
            if configuration.testTimeAugmentation == true { description.testTimeViews = TestTimeView.standardSet(for: input) }
            if configuration.finalFit != nil { description.trainedOnValidation = true }
            try ModelArchive.write(model, description: description, to: run.url)
        } else if let left = state.patienceLeft {
            state.patienceLeft = left - 1
        }
        let record = EpochRecord(
            phase: phase, epoch: state.globalEpoch, trainLoss: train.loss, trainAccuracy: train.accuracy, validationLoss: metrics?.logLoss,
            validationAccuracy: metrics?.accuracy, validationMacroF1: metrics?.macroF1, validationBalancedAccuracy: metrics?.balancedAccuracy,
            learningRate: Double(learningRate), imagesPerSecond: imagesPerSecond, seconds: seconds, isBest: isBest)
        // Metrics first, checkpoint second: a kill in between replays the epoch and rewrites the line.
        try run.appendMetrics(record)
        state.hasOptimizerState = true
        try checkpoints.save(state) { folder in
            try ModelArchive.save(model, to: folder.appendingPathComponent(RunDirectory.FileName.weights))
            try ModelArchive.writeArrays(
                optimizer.stateDict(names: trainableParameters(model)), metadata: ["phase": phase.rawValue],
                to: folder.appendingPathComponent(RunDirectory.FileName.optimizer))
        }
        report(.epochFinished(record))
        if shouldStopAfterEpoch(state.globalEpoch) { throw TrainingError.interrupted(epoch: state.globalEpoch) }
        return state
    }

    private func restoreOptimizer(_ optimizer: any CheckpointableOptimizer, model: any ImageClassifier, state: RunState) throws {
        guard state.hasOptimizerState, state.epochsInPhase > 0 else { return }
        let values = try ModelArchive.readArrays(from: checkpoints.optimizerURL(epoch: state.globalEpoch))
        optimizer.loadStateDict(values, names: trainableParameters(model))
    }

    func setTrainable(_ model: any ImageClassifier, where isTrainable: (String) -> Bool) {
        for entry in model.namedParameters() where !entry.parameter.isBuffer {
            entry.parameter.isTrainable = isTrainable(entry.path)
        }
    }

    func trainableParameters(_ model: any ImageClassifier) -> [(path: String, parameter: Parameter)] {
        model.namedParameters().filter { $0.parameter.isTrainable && !$0.parameter.isBuffer }
    }

    func makeOptimizer(_ settings: OptimizerSettings) -> any CheckpointableOptimizer {
        switch settings.kind {
        case .sgd: SGD(momentum: settings.momentum, weightDecay: settings.weightDecay)
        case .adam: Adam(weightDecay: settings.weightDecay)
        case .adamW: AdamW(weightDecay: settings.weightDecay)
        case .rmsprop: RMSprop(momentum: settings.momentum, weightDecay: settings.weightDecay)
        }
    }

    /// Linear warm-up, then cosine decay from the base rate to `finalFraction` of it over the phase.
    func makeSchedule(_ settings: OptimizerSettings, totalSteps: Int) -> LearningRateSchedule {
        let cosine = LearningRateSchedule.cosine(
            initial: settings.learningRate, totalSteps: max(totalSteps - settings.warmupSteps, 1),
            minimum: settings.learningRate * settings.finalFraction)
        return settings.warmupSteps > 0 ? .warmup(steps: settings.warmupSteps, then: cosine) : cosine
    }
}
