import NeuralNetwork
import TensorCore
import Testing

/// Layers: shapes, PyTorch parameter paths and initialisation, batch-norm buffers, freezing.
struct LayerTests {
    @Test("Conv2d .tfSame pads from the input size at call time (224 → 112 for 3x3 stride 2)")
    func convTfSame() {
        var generator = SplitMix64(seed: 1)
        let conv = Conv2d(
            inputChannels: 3, outputChannels: 8, kernelSize: 3, stride: 2, padding: .tfSame, bias: false,
            generator: &generator)
        #expect(conv.padding(inputHeight: 224, inputWidth: 224) == Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        let x = Tensor(shape: [1, 3, 9, 10], scalars: (0..<270).map { Float($0 % 13) / 13 })
        let y = conv(x)
        #expect(y.shape == [1, 8, 5, 5])
        let reference = conv2d(
            x, weight: conv.weight.value, stride: 2,
            padding: .tfSame(inputHeight: 9, inputWidth: 10, kernelSize: 3, stride: 2))
        #expect(y.scalars() == reference.scalars())
    }

    @Test("PyTorch default initialisation: U(-1/sqrt(fanIn), 1/sqrt(fanIn)), reproducible from the seed")
    func initialisation() {
        var generator = SplitMix64(seed: 7)
        let conv = Conv2d(inputChannels: 16, outputChannels: 64, kernelSize: 3, generator: &generator)
        let bound = 1 / Float(16 * 9).squareRoot()
        let weights = conv.weight.value.scalars()
        #expect(weights.allSatisfy { abs($0) <= bound })
        let mean = weights.reduce(0, +) / Float(weights.count)
        let variance = weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(weights.count)
        #expect(abs(mean) < 0.01 * bound * 10)
        // Uniform(-b, b) has variance b²/3.
        #expect(abs(variance / (bound * bound / 3) - 1) < 0.05)
        #expect(conv.bias!.value.scalars().allSatisfy { abs($0) <= bound })
        var again = SplitMix64(seed: 7)
        let twin = Conv2d(inputChannels: 16, outputChannels: 64, kernelSize: 3, generator: &again)
        #expect(twin.weight.value.scalars() == weights)
        let depthwise = Conv2d(inputChannels: 32, outputChannels: 32, kernelSize: 5, groups: 32, bias: false, generator: &generator)
        #expect(depthwise.weight.shape == [32, 1, 5, 5])
        #expect(depthwise.weight.value.scalars().allSatisfy { abs($0) <= 1 / 5 })
    }

    @Test("Sequential prefixes state-dict paths with indices, BatchNorm2d registers buffers")
    func paths() {
        var generator = SplitMix64(seed: 3)
        let model = Sequential([
            Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, bias: false, generator: &generator),
            BatchNorm2d(channels: 4),
            Lambda.relu6,
            Lambda.globalAveragePool,
            Linear(inputFeatures: 4, outputFeatures: 2, generator: &generator),
        ])
        #expect(
            model.namedParameters().map(\.path) == [
                "0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                "4.weight", "4.bias",
            ])
        #expect(model.parameterCount == 4 * 3 * 9 + 4 + 4 + 8 + 2)
        #expect(model.trainableParameters.count == 5)
    }

    @Test("BatchNorm2d updates running statistics only in training")
    func batchNormBuffers() {
        let bn = BatchNorm2d(channels: 2, momentum: 0.5)
        let x = Tensor(shape: [2, 2, 1, 2], scalars: [1, 3, 10, 10, 5, 7, 20, 40])
        _ = bn(x, mode: .inference)
        #expect(bn.runningMean.value.scalars() == [0, 0])
        _ = bn(x, mode: .training)
        // Channel 0: values 1, 3, 5, 7 → mean 4, unbiased variance 20/3. Channel 1: 10, 10, 20, 40 → 20, 200.
        let mean = bn.runningMean.value.scalars(), variance = bn.runningVariance.value.scalars()
        #expect(abs(mean[0] - 2) < 1e-5 && abs(mean[1] - 10) < 1e-5)
        #expect(abs(variance[0] - (0.5 + 0.5 * 20 / 3)) < 1e-4 && abs(variance[1] - (0.5 + 100)) < 1e-3)
        #expect(bn.batchesTracked.value.item() == 1)
    }

    @Test("frozen parameters get no gradient and record no history")
    func freezing() {
        var generator = SplitMix64(seed: 5)
        let model = Sequential([
            Linear(inputFeatures: 3, outputFeatures: 3, generator: &generator),
            Lambda.relu,
            Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator),
        ])
        model.freeze { $0.hasPrefix("0.") }
        #expect(model.trainableParameters.count == 2)
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, -1, 0, 2])
        let hidden = model.layers[0].forward(x, mode: .training)
        #expect(!hidden.requiresGradient)
        let loss = softmaxCrossEntropy(logits: model(x, mode: .training), labels: [0, 1])
        let gradients = loss.backward()
        #expect(gradients.count == 2)
        for parameter in model.parameters {
            #expect((gradients[parameter.value] != nil) == parameter.isTrainable)
        }
        model.unfreeze()
        #expect(model.trainableParameters.count == 4)
    }

    @Test("Dropout layer: identity in inference, seeded mask in training")
    func dropoutLayer() {
        let layer = Dropout(probability: 0.5)
        let x = Tensor(shape: [4, 8], repeating: 1)
        #expect(layer.forward(x, mode: .inference).scalars() == x.scalars())
        var first = SplitMix64(seed: 9), second = SplitMix64(seed: 9)
        let a = layer(x, mode: .training, generator: &first).scalars()
        let b = layer(x, mode: .training, generator: &second).scalars()
        #expect(a == b)
        #expect(a.allSatisfy { $0 == 0 || $0 == 2 } && a.contains(0) && a.contains(2))
    }
}
