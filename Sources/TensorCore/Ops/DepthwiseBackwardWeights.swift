import CDNNL
import CPUKernels
import Dispatch

extension TensorEngine {
    /// Whether depthwise convolutions with filters larger than 3×3 compute their weight gradient with
    /// the hand-written channel-blocked kernel (default) instead of oneDNN's gemm fallback (60–600×
    /// slower). A task-local value so that tests can compare both paths without affecting other tasks:
    /// `TensorEngine.$usesHandWrittenDepthwiseKernel.withValue(false) { … }`.
    @TaskLocal public static var usesHandWrittenDepthwiseKernel = true

    /// Whether oneDNN dispatches AVX-512 kernels (CPU support, not capped by `ONEDNN_MAX_CPU_ISA`).
    /// oneDNN then keeps activations in nChw16c; with AVX2 it picks nChw8c (see `activationChannelBlock`).
    public static var cpuHasAVX512: Bool {
        cpuInstructionSet.lowercased().contains("avx512") && cpukernels_has_avx512() != 0
    }

    /// How many times the hand-written depthwise weight-gradient kernel ran (diagnostics, tests).
    public static var handWrittenDepthwiseKernelRuns: Int { DepthwiseBackwardWeights.runs.withLock { $0 } }
}

/// Depthwise weight gradient through `cpukernels_depthwise_backward_weights_blocked`.
enum DepthwiseBackwardWeights {
    final class Counter: @unchecked Sendable {
        private let lock = Lock()
        private var value = 0
        func withLock<T>(_ body: (inout Int) -> T) -> T { lock.withLock { body(&value) } }
    }
    static let runs = Counter()

    /// The instruction sets the kernel may use, in increasing order (`CPUKERNELS_ISA_…`).
    enum InstructionSet: Int32, CaseIterable {
        case portable = 0, avx2 = 1, avx512 = 2
    }

    /// Whether the kernel handles a source in `layout`: dense f32 or bf16 channel-blocked by 8 or 16.
    static func handles(_ layout: Layout) -> Bool { layout.channelBlock != nil }

    /// `source` must be the forward input in dense f32 channel-blocked layout (block 8 or 16, given by
    /// `channelBlock`); the output gradient is reordered to the same blocking. `maximumInstructionSet`
    /// caps the SIMD path (tests compare the portable loop with the vector ones); the result records
    /// which path ran.
    static func compute(
        _ gradient: Tensor, source: Buffer, channelBlock: Int, _ g: ConvolutionGeometry,
        maximumInstructionSet: InstructionSet = .avx512
    ) -> (weight: Tensor, bias: Tensor?, used: InstructionSet) {
        require(channelBlock == 8 || channelBlock == 16, "DepthwiseBackwardWeights: channel block \(channelBlock)")
        let outputGradient = gradient.buffer(in: .channelBlocked(g.destinationDimensions, block: channelBlock))
        let weightLayout = Layout.plain(g.weightShape)
        let weightGradient = CachingAllocator.current.allocate(byteCount: weightLayout.byteCount)
        let biasLayout = Layout.plain([g.outputChannels])
        let biasGradient = g.hasBias ? CachingAllocator.current.allocate(byteCount: biasLayout.byteCount) : nil

        let blocks = (g.inputChannels + channelBlock - 1) / channelBlock
        let workers = max(1, min(blocks, DNNLContext.shared.effectiveThreadCount))
        let sourcePointer = source.floats, gradientPointer = outputGradient.floats
        let weightPointer = weightGradient.floats, biasPointer = biasGradient?.floats
        // Disjoint block ranges per worker: each writes only its own channels' filter taps.
        nonisolated(unsafe) let pointers = (sourcePointer, gradientPointer, weightPointer, biasPointer)
        let used = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let first = blocks * worker / workers, end = blocks * (worker + 1) / workers
            let isa = cpukernels_depthwise_backward_weights_blocked(
                Int64(first), Int64(end), Int64(channelBlock), maximumInstructionSet.rawValue,
                pointers.0, pointers.1, pointers.2, pointers.3,
                Int64(g.batch), Int64(g.inputChannels), Int64(g.inputHeight), Int64(g.inputWidth),
                Int64(g.outputHeight), Int64(g.outputWidth), Int64(g.kernelHeight), Int64(g.kernelWidth),
                Int64(g.stride), Int64(g.stride), Int64(g.padding.top), Int64(g.padding.left))
            used.withLock { $0 = Int(isa) }
        }
        withExtendedLifetime((source, outputGradient)) {}
        runs.withLock { $0 += 1 }
        return (
            Tensor(shape: g.weightShape, layout: weightLayout, buffer: weightGradient),
            biasGradient.map { Tensor(shape: [g.outputChannels], layout: biasLayout, buffer: $0) },
            InstructionSet(rawValue: Int32(used.withLock { $0 })) ?? .portable
        )
    }
}
