import Models
import NeuralNetwork
import TensorCore
import Testing

/// Folding batch norm into the convolutions (`FoldedConvolution`) must not change what a model
/// predicts, only how fast: the inference loaders fold every model they load.
@Suite("Batch-norm folding for inference")
struct BatchNormFoldingTests {
    /// A deterministic stream in [0, 1) (64-bit LCG, top 24 bits).
    struct Stream {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24)
        }
        mutating func values(_ count: Int, in range: ClosedRange<Float>) -> [Float] {
            (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * next() }
        }
    }

    /// Gives every batch norm non-trivial running statistics and affine parameters (a fresh model
    /// has mean 0, variance 1, scale 1, shift 0, which a wrong fold could still pass).
    static func randomiseNorms(_ model: any ImageClassifier, seed: UInt64) {
        var stream = Stream(state: seed)
        for (path, parameter) in model.namedParameters() where parameter.value.shape.count == 1 {
            let count = parameter.value.elementCount
            let range: ClosedRange<Float> =
                if path.hasSuffix("running_mean") { -0.5...0.5 } else if path.hasSuffix("running_var") { 0.3...2.0 } else if path.hasSuffix("weight")
                { 0.5...1.5 } else { -0.3...0.3 }
            parameter.value = Tensor(shape: parameter.value.shape, scalars: stream.values(count, in: range))
        }
    }

    static func image(side: Int, batch: Int = 2) -> Tensor {
        var stream = Stream(state: 7)
        return Tensor(shape: [batch, 3, side, side], scalars: stream.values(batch * 3 * side * side, in: -1...1))
    }

    @Test(
        "Folded and unfolded models give the same logits",
        arguments: [
            ModelKind.efficientNetLite0, .efficientNetLite0Statistics, .mobileNetV2, .coverNet,
        ])
    func foldingKeepsLogits(kind: ModelKind) {
        let model = kind.make(classCount: 4, seed: 3, resolution: 64)
        Self.randomiseNorms(model, seed: 11)
        let input = Self.image(side: 64)
        let before = model(input, mode: .inference).scalars()
        model.foldBatchNorms()
        let after = model(input, mode: .inference).scalars()
        let scale = max(1, before.map(abs).max()!)
        let worst = zip(before, after).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-4 * scale, "\(kind.rawValue): largest logit difference \(worst) (logits up to \(scale))")
    }

    @Test("A folded model's training pass still normalises with batch statistics, unfolded")
    func trainingIgnoresTheFold() {
        let folded = ModelKind.efficientNetLite0.make(classCount: 4, seed: 3, resolution: 64)
        let plain = ModelKind.efficientNetLite0.make(classCount: 4, seed: 3, resolution: 64)
        Self.randomiseNorms(folded, seed: 11)
        Self.randomiseNorms(plain, seed: 11)
        folded.foldBatchNorms()
        let input = Self.image(side: 64, batch: 3)
        #expect(folded.featureMap(input, mode: .training).scalars() == plain.featureMap(input, mode: .training).scalars())
    }

    /// The arithmetic on one pair: a 1×1 convolution of a constant image is W·x per channel.
    @Test("One folded convolution equals convolution then batch norm, by hand")
    func oneLayerByHand() {
        let conv = Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 1, padding: .symmetric(0), bias: true)
        conv.weight.value = Tensor(shape: [2, 1, 1, 1], scalars: [2, -1])
        conv.bias!.value = Tensor(shape: [2], scalars: [0.5, 0])
        let norm = BatchNorm2d(channels: 2, eps: 0)
        norm.weight.value = Tensor(shape: [2], scalars: [3, 1])
        norm.bias.value = Tensor(shape: [2], scalars: [1, -1])
        norm.runningMean.value = Tensor(shape: [2], scalars: [1, 2])
        norm.runningVariance.value = Tensor(shape: [2], scalars: [4, 1])
        let folded = FoldedConvolution(conv, norm)
        // a = γ/σ = (1.5, 1); W' = (3, −1); b' = a·(c − μ) + β = (1.5·(0.5 − 1) + 1, 1·(0 − 2) − 1) = (0.25, −3).
        #expect(folded.weight.scalars() == [3, -1])
        #expect(folded.bias.scalars() == [0.25, -3])
        let x = Tensor(shape: [1, 1, 1, 1], scalars: [2])
        #expect(conv(x, folded: folded).scalars() == norm(conv(x), mode: .inference).scalars())
    }
}
