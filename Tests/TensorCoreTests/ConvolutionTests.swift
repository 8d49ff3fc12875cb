import Testing
@testable import TensorCore

/// conv2d forward and both gradients against PyTorch (f32, tolerance 1e-4 relative to each tensor's scale).
struct ConvolutionTests {
    static let cases = [
        "conv_3x3_s1_p1_bias", "conv_stem_3x3_s2", "conv_1x1_bias", "conv_grouped_3x3", "conv_dw3x3_s1",
        "conv_dw3x3_s2", "conv_dw5x5_s1_bias", "conv_dw5x5_s2_tfsame", "conv_dw5x5_s2_tfsame_b1",
    ]

    private func run(_ name: String) -> (Fixture, Tensor, Gradients, [Tensor]) {
        let f = OpFixtures.shared.fixture(name)
        let x = f.tensor("x", requiresGradient: true)
        let w = f.tensor("w", requiresGradient: true)
        let b = f.has("b") ? f.tensor("b", requiresGradient: true) : nil
        let p = f.ints("padding")
        let y = conv2d(x, weight: w, bias: b, stride: f.int("stride"),
                       padding: Padding2D(top: p[0], left: p[1], bottom: p[2], right: p[3]), groups: f.int("groups"))
        let gradients = y.backward(seed: f.tensor("dy"))
        return (f, y, gradients, [x, w] + (b.map { [$0] } ?? []))
    }

    @Test("forward, input gradient and weight gradient match PyTorch", arguments: cases)
    func matchesPyTorch(_ name: String) {
        let (f, y, gradients, inputs) = run(name)
        #expect(y.shape == f.shape("y"))
        expectClose(y.scalars(), f.values("y"), "\(name) y")
        expectClose(gradients[inputs[0]]!.scalars(), f.values("dx"), "\(name) dx")
        expectClose(gradients[inputs[1]]!.scalars(), f.values("dw"), "\(name) dw")
        if inputs.count == 3 { expectClose(gradients[inputs[2]]!.scalars(), f.values("db"), "\(name) db") }
    }

    @Test("5x5 depthwise weight gradients take the hand-written kernel and agree with oneDNN's path",
          .enabled(if: TensorEngine.cpuHasAVX512, "needs nChw16c activations (AVX-512)"))
    func handWrittenDepthwiseKernel() {
        for name in ["conv_dw5x5_s1_bias", "conv_dw5x5_s2_tfsame"] {
            let before = TensorEngine.handWrittenDepthwiseKernelRuns
            let (f, _, kernel, kernelInputs) = run(name)
            #expect(TensorEngine.handWrittenDepthwiseKernelRuns > before, "\(name): hand-written kernel did not run")
            let (_, _, reference, referenceInputs) = TensorEngine.$usesHandWrittenDepthwiseKernel.withValue(false) { run(name) }
            expectClose(kernel[kernelInputs[1]]!.scalars(), reference[referenceInputs[1]]!.scalars(), tolerance: 1e-5,
                        "\(name) kernel vs oneDNN dw")
            expectClose(reference[referenceInputs[1]]!.scalars(), f.values("dw"), "\(name) oneDNN dw")
        }
    }

    @Test("the portable depthwise kernel agrees with the AVX-512 one", arguments: ["conv_dw5x5_s1_bias", "conv_dw5x5_s2_tfsame_b1"])
    func portableDepthwiseKernel(_ name: String) {
        let f = OpFixtures.shared.fixture(name)
        let p = f.ints("padding")
        let x = f.tensor("x"), w = f.tensor("w")
        let b = f.has("b") ? f.tensor("b") : nil
        let geometry = ConvolutionGeometry(input: x, weight: w, bias: b, stride: f.int("stride"),
                                           padding: Padding2D(top: p[0], left: p[1], bottom: p[2], right: p[3]), groups: f.int("groups"))
        let source = x.buffer(in: .channelBlocked16(x.shape))
        let fast = DepthwiseBackwardWeights.compute(f.tensor("dy"), source: source, geometry)
        let portable = DepthwiseBackwardWeights.compute(f.tensor("dy"), source: source, geometry, allowsAVX512: false)
        expectClose(fast.0.scalars(), f.values("dw"), "\(name) AVX-512 dw")
        expectClose(portable.0.scalars(), f.values("dw"), "\(name) portable dw")
        if let bias = portable.1 { expectClose(bias.scalars(), f.values("db"), "\(name) portable db") }
    }

    @Test("TF SAME padding is asymmetric as in TensorFlow")
    func tfSamePadding() {
        #expect(Padding2D.tfSame(inputHeight: 10, inputWidth: 9, kernelSize: 5, stride: 2)
                == Padding2D(top: 1, left: 2, bottom: 2, right: 2))
        #expect(Padding2D.tfSame(inputHeight: 224, inputWidth: 224, kernelSize: 3, stride: 2)
                == Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        #expect(Padding2D.tfSame(inputHeight: 7, inputWidth: 7, kernelSize: 1, stride: 1) == .symmetric(0))
        let f = OpFixtures.shared.fixture("conv_dw5x5_s2_tfsame")
        let p = Padding2D.tfSame(inputHeight: f.int("height"), inputWidth: f.int("width"), kernelSize: 5, stride: 2)
        #expect([p.top, p.left, p.bottom, p.right] == f.ints("padding"))
    }

    @Test("activations stay channel-blocked and keep zero padding lanes (24 channels → 32)",
          .enabled(if: TensorEngine.cpuHasAVX512, "oneDNN picks nChw16c on AVX-512 machines"))
    func blockedLayoutAndZeroPadding() {
        let f = OpFixtures.shared.fixture("conv_dw3x3_s1")
        let x = f.tensor("x", requiresGradient: true)
        let y = conv2d(x, weight: f.tensor("w"), padding: .symmetric(1), groups: 24)
        #expect(y.layout.isDenseChannelBlocked16)
        #expect(paddingLanes(of: y).allSatisfy { $0 == 0 })
        let z = relu6(y)
        #expect(z.layout.isDenseChannelBlocked16)
        #expect(paddingLanes(of: z).allSatisfy { $0 == 0 })
        let dx = z.backward(seed: Tensor(shape: z.shape, repeating: 1))[x]!
        if dx.layout.isDenseChannelBlocked16 { #expect(paddingLanes(of: dx).allSatisfy { $0 == 0 }) }
    }

    @Test("primitives are built once per shape and reused")
    func primitiveReuse() {
        let f = OpFixtures.shared.fixture("conv_grouped_3x3")
        let x = f.tensor("x", requiresGradient: true), w = f.tensor("w", requiresGradient: true)
        _ = conv2d(x, weight: w, padding: .symmetric(1), groups: 4).backward(seed: f.tensor("dy"))
        let keys = Set(TensorEngine.primitiveImplementations.keys.filter { $0.contains("g4b") })
        _ = conv2d(x, weight: w, padding: .symmetric(1), groups: 4).backward(seed: f.tensor("dy"))
        #expect(Set(TensorEngine.primitiveImplementations.keys.filter { $0.contains("g4b") }) == keys)
        #expect(keys.count == 3, "forward, backward-data, backward-weights: \(keys)")
    }
}

/// The values in the padding lanes (channels C..<padded C) of a dense nChw16c tensor.
func paddingLanes(of tensor: Tensor) -> [Float] {
    let (n, c, h, w) = tensor.nchw("paddingLanes")
    let blocks = (c + 15) / 16
    var lanes: [Float] = []
    for batch in 0..<n {
        for position in 0..<(h * w) {
            let base = ((batch * blocks + blocks - 1) * h * w + position) * 16
            for lane in (c % 16 == 0 ? 16 : c % 16)..<16 { lanes.append(tensor.buffer.floats[base + lane]) }
        }
    }
    return lanes
}
