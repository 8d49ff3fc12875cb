import Catalog
import Models
import NeuralNetwork
import Optimizers
import RunArtifacts
import TensorCore

/// Features of one split, in memory: `views[i][v]` is the `featureCount`-vector of image `i` seen
/// through augmented view `v` (view 0 is the deterministic evaluation crop).
public struct FeatureSet: Sendable {
    public var views: [[[Float]]]
    public var labels: [Int]
    public var featureCount: Int

    public init(views: [[[Float]]], labels: [Int], featureCount: Int) {
        self.views = views
        self.labels = labels
        self.featureCount = featureCount
    }

    /// A `[count, featureCount]` tensor of the chosen view of the chosen images.
    func batch(_ indices: ArraySlice<Int>, view: (Int) -> Int) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(indices.count * featureCount)
        for i in indices { values += views[i][view(i)] }
        return Tensor(shape: [indices.count, featureCount], scalars: values)
    }
}

/// Trains only the classifier head on cached backbone features ("frozen base").
///
/// Mathematically this is the same as running the frozen network every epoch with BN in inference
/// mode (as the study did), because a frozen backbone maps each view to the same features; it just
/// skips recomputing them. Augmentation comes from the cached views: every epoch draws one view per
/// training image.
struct HeadTrainer {
    let model: any ImageClassifier
    let classWeights: [Float]?
    let labelSmoothing: Float
    let batchSize: Int
    let seed: UInt64

    /// One epoch over `train`; returns (mean loss, accuracy, steps).
    func trainEpoch(
        _ train: FeatureSet, epoch: Int, optimizer: any CheckpointableOptimizer, schedule: LearningRateSchedule, firstStep: Int,
        parameters: [(path: String, parameter: Parameter)]
    ) throws -> (loss: Double, accuracy: Double, steps: Int) {
        var shuffle = SeedDerivation.generator(seed: seed, purpose: "shuffle-head", epoch: epoch)
        var viewChoice = SeedDerivation.generator(seed: seed, purpose: "view", epoch: epoch)
        let order = Array(train.labels.indices).shuffled(using: &shuffle)
        let chosenView = order.map { train.views[$0].isEmpty ? 0 : Int.random(in: 0..<train.views[$0].count, using: &viewChoice) }
        let viewOf = Dictionary(uniqueKeysWithValues: zip(order, chosenView))
        var dropoutSeeds = SeedDerivation.generator(seed: seed, purpose: "dropout-head", epoch: epoch)
        model.reseed(dropoutSeeds.next())

        var lossSum = 0.0, correct = 0, steps = 0
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let indices = order[start..<min(start + batchSize, order.count)]
            let labels = indices.map { train.labels[$0] }
            let logits = model.classify(train.batch(indices, view: { viewOf[$0]! }), mode: .training)
            let loss = softmaxCrossEntropy(logits: logits, labels: labels, classWeights: classWeights, labelSmoothing: labelSmoothing)
            let value = loss.item()
            guard value.isFinite else { throw TrainingError.nonFiniteLoss(phase: .frozen, epoch: epoch, step: steps) }
            let gradients = loss.backward()
            optimizer.step(parameters.map(\.parameter), gradients: gradients, learningRate: schedule(firstStep + steps))
            lossSum += Double(value) * Double(labels.count)
            correct += zip(argMaxRows(logits), labels).filter { $0 == $1 }.count
            steps += 1
        }
        return (lossSum / Double(order.count), Double(correct) / Double(order.count), steps)
    }

    /// Class probabilities for view 0 of every image.
    func probabilities(_ set: FeatureSet) -> [[Float]] {
        var rows: [[Float]] = []
        let all = Array(set.labels.indices)
        for start in stride(from: 0, to: all.count, by: 256) {
            let logits = model.classify(set.batch(all[start..<min(start + 256, all.count)], view: { _ in 0 }), mode: .inference)
            rows += splitRows(softmax(logits))
        }
        return rows
    }
}

/// The index of the largest value in each row of a `[N, K]` tensor.
func argMaxRows(_ tensor: Tensor) -> [Int] {
    splitRows(tensor).map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
}

/// The rows of a `[N, K]` tensor.
func splitRows(_ tensor: Tensor) -> [[Float]] {
    let values = tensor.scalars()
    let k = tensor.shape[1]
    return stride(from: 0, to: values.count, by: k).map { Array(values[$0..<$0 + k]) }
}
