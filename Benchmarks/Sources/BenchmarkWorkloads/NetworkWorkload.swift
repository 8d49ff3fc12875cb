import Models
import NeuralNetwork
import Optimizers
import TensorCore

/// The two networks the engine benchmark compares with PyTorch, by the names `pytorch_throughput.py` uses.
public enum BenchmarkNetwork: String, CaseIterable, Sendable {
    case lite0
    case mnv2

    var kind: ModelKind {
        switch self {
        case .lite0: .efficientNetLite0
        case .mnv2: .mobileNetV2
        }
    }
}

/// Seconds spent in each part of one training step.
public struct TrainingStepTiming: Sendable {
    public var forward: Double
    public var backward: Double
    public var update: Double
    public var total: Double { forward + backward + update }
}

/// One network with a fixed random batch, as in `pytorch_throughput.py`: 1000 classes, random
/// N(0, 1)-like input [batch, 3, 224, 224], random labels, SGD with momentum 0.9 and learning rate 0.01.
///
/// A training step is forward (BN with batch statistics, dropout active) + softmax cross-entropy +
/// backward + optimizer update, exactly what `albumgenre train` runs per batch; an inference step is the
/// forward pass with BN on running statistics and no autodiff recording (`torch.no_grad()` + `eval()`),
/// by default with the batch norms folded into the convolutions as `predict`, `serve` and `evaluate`
/// run it (`foldsBatchNorms: false` runs convolution and batch norm separately, as PyTorch's eager
/// `eval()` does).
public final class NetworkWorkload {
    public let network: BenchmarkNetwork
    public let batchSize: Int
    public let model: any ImageClassifier
    public let input: Tensor
    public let labels: [Int]
    private let parameters: [Parameter]
    private let optimizer = SGD(momentum: 0.9)
    private let foldsBatchNorms: Bool
    private let resolution: Int
    private let seed: UInt64
    /// What `inferenceStep` runs: `model` itself, or a folded twin (same seed, same weights) so that
    /// training steps on `model` stay unfolded; built on the first inference step, so a training
    /// benchmark neither builds nor holds it.
    private lazy var inferenceModel: any ImageClassifier = {
        guard foldsBatchNorms else { return model }
        let twin = network.kind.make(classCount: 1000, seed: seed, resolution: resolution)
        twin.foldBatchNorms()
        return twin
    }()

    public init(_ network: BenchmarkNetwork, batchSize: Int = 32, resolution: Int = 224, seed: UInt64 = 0, foldsBatchNorms: Bool = true) {
        self.network = network
        self.batchSize = batchSize
        self.foldsBatchNorms = foldsBatchNorms
        self.resolution = resolution
        self.seed = seed
        model = network.kind.make(classCount: 1000, seed: seed, resolution: resolution)
        parameters = model.namedParameters().map(\.parameter)
        var generator = SplitMix64(seed: seed &+ 1)
        input = randomTensor([batchSize, 3, resolution, resolution], generator: &generator)
        labels = (0..<batchSize).map { _ in Int(generator.next() % 1000) }
    }

    /// One training step; returns how long each part took.
    @discardableResult
    public func trainingStep() -> TrainingStepTiming {
        let clock = ContinuousClock()
        let start = clock.now
        let loss = softmaxCrossEntropy(logits: model(input, mode: .training), labels: labels)
        _ = loss.item()
        let forwardEnd = clock.now
        let gradients = loss.backward()
        let backwardEnd = clock.now
        optimizer.step(parameters, gradients: gradients, learningRate: 0.01)
        let end = clock.now
        return TrainingStepTiming(
            forward: seconds(forwardEnd - start), backward: seconds(backwardEnd - forwardEnd),
            update: seconds(end - backwardEnd))
    }

    /// One inference step (logits of the whole batch, no gradient recording); returns the logits.
    @discardableResult
    public func inferenceStep() -> Tensor {
        TensorEngine.withoutGradients { inferenceModel(input, mode: .inference) }
    }
}

/// Standard-normal-ish values (sum of four uniforms, rescaled): cheap, deterministic, no Float.random.
public func randomTensor(_ shape: [Int], requiresGradient: Bool = false, generator: inout SplitMix64) -> Tensor {
    let count = shape.reduce(1, *)
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count {
        var sum: Float = 0
        for _ in 0..<4 { sum += Float(generator.next() >> 40) / Float(1 << 24) }
        values[i] = (sum - 2) * 1.732
    }
    return Tensor(shape: shape, scalars: values, requiresGradient: requiresGradient)
}

/// A `Duration` in seconds.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
