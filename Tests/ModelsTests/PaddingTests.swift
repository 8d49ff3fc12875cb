import Foundation
import Models
import NeuralNetwork
import TensorCore
import Testing

/// TensorFlow "SAME" padding in EfficientNet-Lite (checkpoint-format.md §9).
@Suite("TF-SAME padding and input sizes")
struct PaddingTests {
    /// The spec table: (layer, input side, kernel, stride) → (top/left, bottom/right).
    @Test(
        "Padding2D.tfSame reproduces the spec table",
        arguments: [
            (224, 3, 2, 0, 1), (112, 3, 2, 0, 1), (56, 5, 2, 1, 2), (28, 3, 2, 0, 1), (14, 5, 2, 1, 2),
            (56, 3, 1, 1, 1), (14, 5, 1, 2, 2), (7, 1, 1, 0, 0),
        ])
    func specTable(input: Int, kernel: Int, stride: Int, before: Int, after: Int) {
        let padding = Padding2D.tfSame(inputHeight: input, inputWidth: input, kernelSize: kernel, stride: stride)
        #expect(padding == Padding2D(top: before, left: before, bottom: after, right: after))
    }

    /// The Lite0 layers themselves pick those paddings at 224: the stem and the four stride-2 depthwise
    /// convolutions (blocks 1, 3, 5, 11), each at the side length its input has there.
    @Test("Lite0's stride-2 layers pad (0,1) / (1,2) at 224")
    func lite0StrideTwoLayers() {
        let model = EfficientNetLite(.lite0)
        #expect(model.stem.conv.padding(inputHeight: 224, inputWidth: 224) == Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        let expected: [(block: Int, input: Int, before: Int, after: Int)] = [(1, 112, 0, 1), (3, 56, 1, 2), (5, 28, 0, 1), (11, 14, 1, 2)]
        for row in expected {
            let conv = model.blocks[row.block].depthwise.conv
            #expect(conv.stride == 2, "block \(row.block)")
            #expect(
                conv.padding(inputHeight: row.input, inputWidth: row.input)
                    == Padding2D(top: row.before, left: row.before, bottom: row.after, right: row.after), "block \(row.block)")
        }
        // Every other depthwise convolution has stride 1 and symmetric padding k/2.
        for (index, block) in model.blocks.enumerated() where ![1, 3, 5, 11].contains(index) {
            let conv = block.depthwise.conv
            #expect(conv.stride == 1)
            #expect(conv.padding(inputHeight: 14, inputWidth: 14) == .symmetric(conv.kernelSize / 2))
        }
    }

    /// The stem convolution applied by the layer equals an explicit convolution with padding
    /// (top 0, left 0, bottom 1, right 1), and differs from PyTorch's symmetric padding 1.
    @Test("the stem convolution applies the asymmetric padding")
    func stemAppliesAsymmetricPadding() {
        var generator = SplitMix64(seed: 11)
        let stem = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: 2, padding: .tfSame, bias: false, generator: &generator)
        let scalars = (0..<(3 * 16 * 16)).map { _ in Float.random(in: -1...1, using: &generator) }
        let x = Tensor(shape: [1, 3, 16, 16], scalars: scalars)
        let ours = stem(x).scalars()
        let asymmetric = conv2d(x, weight: stem.weight.value, stride: 2, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1)).scalars()
        let symmetric = conv2d(x, weight: stem.weight.value, stride: 2, padding: .symmetric(1)).scalars()
        #expect(ours == asymmetric)
        #expect(maxAbsDifference(ours, symmetric) > 1e-3)
    }

    /// Lite1/Lite2/Lite4 resolutions through Lite0's weights-free graph: the feature map is
    /// ceil(side / 32) wide because every stride-2 layer outputs ceil(in / 2) under SAME padding.
    @Test("Lite0 runs at 240, 260 and 300 px", arguments: [(240, 8), (260, 9), (300, 10)])
    func otherInputSizes(side: Int, mapSide: Int) {
        let model = EfficientNetLite(.lite0, classCount: 7)
        let x = Tensor.zeros([1, 3, side, side])
        let map = model.featureMap(x, mode: .inference)
        #expect(map.shape == [1, 1280, mapSide, mapSide])
        let logits = model.classify(model.pool(map, mode: .inference), mode: .inference)
        #expect(logits.shape == [1, 7])
        #expect(logits.scalars().allSatisfy { $0.isFinite })
    }
}
