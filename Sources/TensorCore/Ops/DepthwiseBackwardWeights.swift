import CDNNL
import CPUKernels
import Dispatch

extension TensorEngine {
    /// Whether depthwise convolutions with filters larger than 3×3 compute their weight gradient with
    /// the hand-written nChw16c kernel (default) instead of oneDNN 2.6's gemm fallback (60–600× slower).
    /// A task-local value so that tests can compare both paths without affecting other tasks:
    /// `TensorEngine.$usesHandWrittenDepthwiseKernel.withValue(false) { … }`.
    @TaskLocal public static var usesHandWrittenDepthwiseKernel = true

    /// Whether oneDNN dispatches AVX-512 kernels (CPU support, not capped by `ONEDNN_MAX_CPU_ISA`).
    /// oneDNN then keeps activations in nChw16c, the layout the hand-written depthwise kernel needs; with
    /// AVX2 it picks nChw8c and oneDNN's own (slow) path computes 5×5 depthwise weight gradients.
    public static var cpuHasAVX512: Bool {
        String(cString: dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa())).lowercased().contains("avx512")
            && cpukernels_has_avx512() != 0
    }

    /// How many times the hand-written depthwise weight-gradient kernel ran (diagnostics, tests).
    public static var handWrittenDepthwiseKernelRuns: Int { DepthwiseBackwardWeights.runs.withLock { $0 } }
}

/// Depthwise weight gradient through `cpukernels_depthwise_backward_weights_nchw16c`.
enum DepthwiseBackwardWeights {
    final class Counter: @unchecked Sendable {
        private let lock = Lock()
        private var value = 0
        func withLock<T>(_ body: (inout Int) -> T) -> T { lock.withLock { body(&value) } }
    }
    static let runs = Counter()

    /// `source` must be the forward input in dense nChw16c; the output gradient is reordered to it.
    /// `allowsAVX512: false` forces the portable loop (for tests on AVX-512 machines).
    static func compute(_ gradient: Tensor, source: Buffer, _ g: ConvolutionGeometry,
                        allowsAVX512: Bool = true) -> (Tensor, Tensor?) {
        let outputGradient = gradient.buffer(in: .channelBlocked16(g.destinationDimensions))
        let weightLayout = Layout.plain(g.weightShape)
        let weightGradient = CachingAllocator.current.allocate(byteCount: weightLayout.byteCount)
        let biasLayout = Layout.plain([g.outputChannels])
        let biasGradient = g.hasBias ? CachingAllocator.current.allocate(byteCount: biasLayout.byteCount) : nil

        let blocks = (g.inputChannels + 15) / 16
        let workers = max(1, min(blocks, DNNLContext.shared.effectiveThreadCount))
        let sourcePointer = source.floats, gradientPointer = outputGradient.floats
        let weightPointer = weightGradient.floats, biasPointer = biasGradient?.floats
        // Disjoint block ranges per worker: each writes only its own channels' filter taps.
        nonisolated(unsafe) let pointers = (sourcePointer, gradientPointer, weightPointer, biasPointer)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let first = blocks * worker / workers, end = blocks * (worker + 1) / workers
            cpukernels_depthwise_backward_weights_nchw16c(
                Int64(first), Int64(end), allowsAVX512 ? 1 : 0, pointers.0, pointers.1, pointers.2, pointers.3,
                Int64(g.batch), Int64(g.inputChannels), Int64(g.inputHeight), Int64(g.inputWidth),
                Int64(g.outputHeight), Int64(g.outputWidth), Int64(g.kernelHeight), Int64(g.kernelWidth),
                Int64(g.stride), Int64(g.stride), Int64(g.padding.top), Int64(g.padding.left))
        }
        withExtendedLifetime((source, outputGradient)) {}
        runs.withLock { $0 += 1 }
        return (Tensor(shape: g.weightShape, layout: weightLayout, buffer: weightGradient),
                biasGradient.map { Tensor(shape: [g.outputChannels], layout: biasLayout, buffer: $0) })
    }
}
