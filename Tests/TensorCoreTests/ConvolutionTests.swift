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
        let y = conv2d(
            x, weight: w, bias: b, stride: f.int("stride"),
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

    @Test(
        "5x5 depthwise weight gradients take the hand-written kernel and agree with oneDNN's path",
        .enabled(if: TensorEngine.activationChannelBlock != nil, "needs channel-blocked activations (AVX2 or AVX-512)"))
    func handWrittenDepthwiseKernel() {
        for name in ["conv_dw5x5_s1_bias", "conv_dw5x5_s2_tfsame"] {
            let before = TensorEngine.handWrittenDepthwiseKernelRuns
            let (f, _, kernel, kernelInputs) = run(name)
            #expect(TensorEngine.handWrittenDepthwiseKernelRuns > before, "\(name): hand-written kernel did not run")
            let (_, _, reference, referenceInputs) = TensorEngine.$usesHandWrittenDepthwiseKernel.withValue(false) { run(name) }
            expectClose(
                kernel[kernelInputs[1]]!.scalars(), reference[referenceInputs[1]]!.scalars(), tolerance: 1e-5,
                "\(name) kernel vs oneDNN dw")
            expectClose(reference[referenceInputs[1]]!.scalars(), f.values("dw"), "\(name) oneDNN dw")
        }
    }

    @Test(
        "every depthwise kernel path (portable, AVX2, AVX-512) and block (8, 16) matches PyTorch",
        arguments: ["conv_dw5x5_s1_bias", "conv_dw5x5_s2_tfsame_b1"])
    func depthwiseKernelPathsMatchPyTorch(_ name: String) {
        let f = OpFixtures.shared.fixture(name)
        let p = f.ints("padding")
        let x = f.tensor("x"), w = f.tensor("w")
        let b = f.has("b") ? f.tensor("b") : nil
        let geometry = ConvolutionGeometry(
            input: x, weight: w, bias: b, stride: f.int("stride"),
            padding: Padding2D(top: p[0], left: p[1], bottom: p[2], right: p[3]), groups: f.int("groups"))
        for block in [8, 16] {
            let source = x.buffer(in: .channelBlocked(x.shape, block: block))
            for isa in DepthwiseBackwardWeights.InstructionSet.allCases {
                let result = DepthwiseBackwardWeights.compute(
                    f.tensor("dy"), source: source, channelBlock: block, geometry,
                    maximumInstructionSet: isa)
                expectClose(result.weight.scalars(), f.values("dw"), "\(name) block \(block) \(result.used) dw")
                if let bias = result.bias { expectClose(bias.scalars(), f.values("db"), "\(name) block \(block) \(result.used) db") }
            }
        }
    }

    /// The direct definition of the depthwise weight gradient on plain NCHW values (test reference).
    private func depthwiseWeightGradient(x: [Float], dy: [Float], _ g: ConvolutionGeometry) -> [Float] {
        var dw = [Float](repeating: 0, count: g.inputChannels * g.kernelHeight * g.kernelWidth)
        for n in 0..<g.batch {
            for c in 0..<g.inputChannels {
                for oh in 0..<g.outputHeight {
                    for ow in 0..<g.outputWidth {
                        let gradient = dy[((n * g.inputChannels + c) * g.outputHeight + oh) * g.outputWidth + ow]
                        for kh in 0..<g.kernelHeight {
                            let ih = oh * g.stride - g.padding.top + kh
                            guard ih >= 0 && ih < g.inputHeight else { continue }
                            for kw in 0..<g.kernelWidth {
                                let iw = ow * g.stride - g.padding.left + kw
                                guard iw >= 0 && iw < g.inputWidth else { continue }
                                dw[(c * g.kernelHeight + kh) * g.kernelWidth + kw] +=
                                    x[((n * g.inputChannels + c) * g.inputHeight + ih) * g.inputWidth + iw] * gradient
                            }
                        }
                    }
                }
            }
        }
        return dw
    }

    @Test("the SIMD depthwise kernels agree with the portable one on odd shapes (21 channels, 5x5, stride 2, 11x13)")
    func depthwiseKernelPathsAgreeOnOddShapes() {
        var generator = SystemRandomNumberGenerator()
        for (channels, stride) in [(21, 2), (13, 1), (40, 2)] {
            let x = Tensor(
                shape: [3, channels, 11, 13], scalars: (0..<(3 * channels * 143)).map { _ in Float.random(in: -1...1, using: &generator) })
            let w = Tensor(shape: [channels, 1, 5, 5], repeating: 0)
            let geometry = ConvolutionGeometry(
                input: x, weight: w, bias: nil, stride: stride,
                padding: Padding2D(top: 1, left: 2, bottom: 2, right: 2), groups: channels)
            let dy = Tensor(
                shape: geometry.destinationDimensions,
                scalars: (0..<geometry.destinationDimensions.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) })
            let expected = depthwiseWeightGradient(x: x.scalars(), dy: dy.scalars(), geometry)
            for block in [8, 16] {
                let source = x.buffer(in: .channelBlocked(x.shape, block: block))
                let portable = DepthwiseBackwardWeights.compute(
                    dy, source: source, channelBlock: block, geometry,
                    maximumInstructionSet: .portable)
                #expect(portable.used == .portable)
                expectClose(portable.weight.scalars(), expected, tolerance: 1e-5, "C\(channels) s\(stride) block \(block) portable")
                for isa in [DepthwiseBackwardWeights.InstructionSet.avx2, .avx512] {
                    let vector = DepthwiseBackwardWeights.compute(
                        dy, source: source, channelBlock: block, geometry,
                        maximumInstructionSet: isa)
                    expectClose(
                        vector.weight.scalars(), portable.weight.scalars(), tolerance: 1e-5,
                        "C\(channels) s\(stride) block \(block) \(vector.used) vs portable")
                    if block == 8 { #expect(vector.used != .avx512, "AVX-512 takes 16-lane blocks only") }
                }
            }
        }
    }

    @Test("TF SAME padding is asymmetric as in TensorFlow")
    func tfSamePadding() {
        #expect(
            Padding2D.tfSame(inputHeight: 10, inputWidth: 9, kernelSize: 5, stride: 2)
                == Padding2D(top: 1, left: 2, bottom: 2, right: 2))
        #expect(
            Padding2D.tfSame(inputHeight: 224, inputWidth: 224, kernelSize: 3, stride: 2)
                == Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        #expect(Padding2D.tfSame(inputHeight: 7, inputWidth: 7, kernelSize: 1, stride: 1) == .symmetric(0))
        let f = OpFixtures.shared.fixture("conv_dw5x5_s2_tfsame")
        let p = Padding2D.tfSame(inputHeight: f.int("height"), inputWidth: f.int("width"), kernelSize: 5, stride: 2)
        #expect([p.top, p.left, p.bottom, p.right] == f.ints("padding"))
    }

    @Test(
        "activations stay channel-blocked in the CPU's block and keep zero padding lanes (24 channels → 32 with 16c)",
        .enabled(if: TensorEngine.activationChannelBlock != nil, "oneDNN picks nChw16c (AVX-512) or nChw8c (AVX2)"))
    func blockedLayoutAndZeroPadding() {
        let block = TensorEngine.activationChannelBlock!
        let f = OpFixtures.shared.fixture("conv_dw3x3_s1")
        let x = f.tensor("x", requiresGradient: true)
        let y = conv2d(x, weight: f.tensor("w"), padding: .symmetric(1), groups: 24)
        #expect(y.layout.isFloat32 && y.layout.channelBlock == block)
        #expect(paddingLanes(of: y).allSatisfy { $0 == 0 })
        let z = relu6(y)
        #expect(z.layout.channelBlock == block)
        #expect(paddingLanes(of: z).allSatisfy { $0 == 0 })
        let dx = z.backward(seed: Tensor(shape: z.shape, repeating: 1))[x]!
        if dx.layout.channelBlock != nil { #expect(paddingLanes(of: dx).allSatisfy { $0 == 0 }) }
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

/// The values in the padding lanes (channels C..<padded C) of a dense f32 channel-blocked tensor.
func paddingLanes(of tensor: Tensor) -> [Float] {
    let (n, c, h, w) = tensor.nchw("paddingLanes")
    guard let width = tensor.layout.channelBlock, tensor.layout.isFloat32 else { return [] }
    let blocks = (c + width - 1) / width
    var lanes: [Float] = []
    for batch in 0..<n {
        for position in 0..<(h * w) {
            let base = ((batch * blocks + blocks - 1) * h * w + position) * width
            for lane in (c % width == 0 ? width : c % width)..<width { lanes.append(tensor.buffer.floats[base + lane]) }
        }
    }
    return lanes
}
