import Catalog
import Foundation
import Imaging
import Models
import NeuralNetwork
import Optimizers
import RunArtifacts
import TensorCore

/// Trains a whole network (or its unfrozen top) on images: the scratch and fine-tuning phases.
struct NetworkTrainer {
    let model: any ImageClassifier
    let transform: any ImageTransforming
    let classWeights: [Float]?
    let labelSmoothing: Float
    let batchSize: Int
    let seed: UInt64
    let augmentation: Bool
    let phase: TrainingPhase
    /// Run the backbone with batch norm on running statistics (gradients still flow through it).
    var backboneInInferenceMode = false
    /// α of mixup's Beta(α, α) (0: off); see `Mixup`.
    var mixupAlpha: Float = 0

    /// One epoch; returns (mean loss, accuracy, steps, images per second, unreadable files).
    func trainEpoch(
        _ images: [LabelledImage], labels: [Int], epoch: Int, optimizer: any CheckpointableOptimizer, schedule: LearningRateSchedule,
        firstStep: Int, parameters: [(path: String, parameter: Parameter)], clipNorm: Float?,
        progress: (Int, Int, Double?) -> Void
    ) throws -> (loss: Double, accuracy: Double, steps: Int, imagesPerSecond: Double, failures: [String]) {
        var shuffle = SeedDerivation.generator(seed: seed, purpose: "shuffle-\(phase)", epoch: epoch)
        let order = Array(images.indices).shuffled(using: &shuffle)
        var dropoutSeeds = SeedDerivation.generator(seed: seed, purpose: "dropout-\(phase)", epoch: epoch)
        model.reseed(dropoutSeeds.next())
        let assembler = assembler
        let loader = BatchPrefetcher<LoadedBatch>(count: order.count, batchSize: batchSize) { range in
            assembler.loadBatch(order[range].map { ($0, images[$0]) }, labels: labels, epoch: epoch)
        }
        // A throw below (a non-finite loss) must not leave the producer parked with its batches.
        defer { loader.stop() }
        let started = Date()
        progress(0, order.count, nil)
        var lossSum = 0.0, seen = 0, correct = 0, steps = 0
        var failures: [String] = []
        while let batch = loader.next() {
            failures += batch.failures
            guard var input = batch.input else { continue }
            // Mixup's λ and partners; the generator depends on the step, so a resumed epoch mixes alike.
            var mixing: (lambda: Float, partnerLabels: [Int])?
            if mixupAlpha > 0 {
                var generator = SeedDerivation.generator(seed: seed, purpose: "mixup-\(phase)", epoch: epoch, index: steps)
                let mixed = Mixup(alpha: mixupAlpha).mix(input, generator: &generator)
                input = mixed.input
                mixing = (mixed.lambda, mixed.partners.map { batch.labels[$0] })
            }
            let logits =
                backboneInInferenceMode
                ? model.classify(model.features(input, mode: .inference), mode: .training)
                : model(input, mode: .training)
            var loss = softmaxCrossEntropy(logits: logits, labels: batch.labels, classWeights: classWeights, labelSmoothing: labelSmoothing)
            if let mixing {
                let partnerLoss = softmaxCrossEntropy(
                    logits: logits, labels: mixing.partnerLabels, classWeights: classWeights, labelSmoothing: labelSmoothing)
                loss = add(scaled(loss, by: mixing.lambda), scaled(partnerLoss, by: 1 - mixing.lambda))
            }
            let value = loss.item()
            guard value.isFinite else { throw TrainingError.nonFiniteLoss(phase: phase, epoch: epoch, step: steps) }
            var gradients = loss.backward()
            if let clipNorm { _ = clipGradientNorm(parameters.map(\.parameter), gradients: &gradients, maxNorm: clipNorm) }
            optimizer.step(parameters.map(\.parameter), gradients: gradients, learningRate: schedule(firstStep + steps))
            lossSum += Double(value) * Double(batch.labels.count)
            // Under mixup, a row counts as right when it predicts the image that dominates the mix.
            let dominant = mixing.map { $0.lambda >= 0.5 ? batch.labels : $0.partnerLabels } ?? batch.labels
            correct += zip(argMaxRows(logits), dominant).filter { $0 == $1 }.count
            seen += batch.labels.count
            steps += 1
            progress(seen, order.count, lossSum / Double(seen))
        }
        let seconds = Date().timeIntervalSince(started)
        return (lossSum / Double(max(seen, 1)), Double(correct) / Double(max(seen, 1)), steps, Double(seen) / max(seconds, 1e-9), failures)
    }

    /// Class probabilities of the evaluation crop of every image (nil rows for unreadable files).
    func probabilities(_ images: [LabelledImage]) -> [[Float]?] {
        var rows: [[Float]?] = []
        let assembler = assembler
        let loader = BatchPrefetcher<LoadedBatch>(count: images.count, batchSize: batchSize) { range in
            assembler.loadBatch(range.map { ($0, images[$0]) }, labels: nil, epoch: nil)
        }
        while let batch = loader.next() {
            var produced: [Int: [Float]] = [:]
            if let input = batch.input {
                for (index, row) in zip(batch.indices, splitRows(softmax(model(input, mode: .inference)))) { produced[index] = row }
            }
            rows += batch.requested.map { produced[$0] }
        }
        return rows
    }

    var assembler: BatchAssembler {
        BatchAssembler(transform: transform, seed: seed, augmentation: augmentation, phase: phase)
    }
}

/// Decodes and preprocesses batches on the prefetch thread (everything it holds is Sendable).
struct BatchAssembler: Sendable {
    let transform: any ImageTransforming
    let seed: UInt64
    let augmentation: Bool
    let phase: TrainingPhase

    /// Decodes and preprocesses a batch; unreadable files are skipped and reported.
    func loadBatch(_ items: [(Int, LabelledImage)], labels: [Int]?, epoch: Int?) -> LoadedBatch {
        var values: [Float] = []
        var kept: [Int] = []
        var batchLabels: [Int] = []
        var failures: [String] = []
        let size = transform.size
        for (index, image) in items {
            do {
                let pixels: [Float]
                if let epoch, augmentation {
                    var generator = SeedDerivation.generator(seed: seed, purpose: "augment-\(phase)", epoch: epoch, index: Int(image.id))
                    pixels = try transform.trainingInput(for: image.url, generator: &generator)
                } else {
                    pixels = try transform.evaluationInput(for: image.url)
                }
                values += pixels
                kept.append(index)
                if let labels { batchLabels.append(labels[index]) }
            } catch {
                failures.append("\(image.url.lastPathComponent): \(error)")
            }
        }
        let input = kept.isEmpty ? nil : Tensor(shape: [kept.count, 3, size, size], scalars: values)
        return LoadedBatch(input: input, labels: batchLabels, indices: kept, requested: items.map(\.0), failures: failures)
    }
}

/// A decoded batch: the input tensor of the readable images and what was skipped.
struct LoadedBatch: @unchecked Sendable {
    var input: Tensor?
    var labels: [Int]
    var indices: [Int]
    var requested: [Int]
    var failures: [String]
}
