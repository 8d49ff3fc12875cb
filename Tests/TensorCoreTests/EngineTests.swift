import CDNNL
import Dispatch
import Testing

@testable import TensorCore

/// The oneDNN binding: kernel dispatch, buffer reuse, thread configuration.
struct EngineTests {
    @Test("hot ops on channel-blocked data dispatch to JIT kernels, never ref: or gemm")
    func jitDispatch() {
        let x = Tensor(shape: [2, 24, 12, 12], repeating: 0.25)
        let dwWeight = Tensor(shape: [24, 1, 3, 3], repeating: 0.1, requiresGradient: true)
        let pwWeight = Tensor(shape: [40, 24, 1, 1], repeating: 0.1, requiresGradient: true)
        let dw5Weight = Tensor(shape: [40, 1, 5, 5], repeating: 0.1, requiresGradient: true)
        let expand = conv2d(x, weight: Tensor(shape: [24, 24, 1, 1], repeating: 0.2), padding: .symmetric(0))
        // Inference-only convolutions keep the blocked layout too (forward_inference would pick NHWC), in
        // the block oneDNN picks for this CPU (16 with AVX-512, 8 with AVX2).
        let block = TensorEngine.activationChannelBlock
        if block != nil { #expect(expand.layout.channelBlock == block, "\(expand.layout.key)") }
        var h = relu6(conv2d(expand, weight: dwWeight, padding: .symmetric(1), groups: 24))
        let statistics = RunningStatistics(channels: 24)
        h = batchNorm2d(
            h, scale: Tensor(shape: [24], repeating: 1), shift: .zeros([24]), statistics: statistics,
            mode: .training, momentum: 0.1, eps: 1e-5)
        h = conv2d(h, weight: pwWeight)
        h = conv2d(
            h, weight: dw5Weight, stride: 2, padding: .tfSame(inputHeight: 12, inputWidth: 12, kernelSize: 5, stride: 2),
            groups: 40)
        h = globalAveragePool2d(maxPool2d(h, kernelSize: 2, stride: 2))
        _ = mean(h).backward()

        let implementations = TensorEngine.primitiveImplementations
        let geometry = "n2c24h12w12"
        let relevant = implementations.filter { $0.key.contains(geometry) || $0.key.contains("n2c40h12w12") }
        #expect(!relevant.isEmpty)
        // Without channel-blocked activations the 5x5 depthwise weight gradient is oneDNN's gemm path.
        for (key, implementation) in relevant where block != nil || !(key.hasPrefix("conv.bwd_weights") && key.contains("k5x5")) {
            #expect(!implementation.hasPrefix("ref") && !implementation.contains("gemm"), "\(key) → \(implementation)")
        }
        for (key, implementation) in implementations where key.hasPrefix("pool") && key.contains("[2, 40, ") {
            #expect(implementation.hasPrefix("jit"), "\(key) → \(implementation)")
        }
        let dwForward = implementations.first { $0.key.hasPrefix("conv.fwd") && $0.key.contains("n2c24h12w12o24k3x3") && $0.key.contains("g24") }
        #expect(dwForward?.value.hasPrefix("jit_dw") == true, "depthwise forward: \(dwForward?.value ?? "missing")")
        let pointwise = implementations.first { $0.key.hasPrefix("conv.bwd_weights") && $0.key.contains("o40k1x1") }
        #expect(pointwise?.value.hasPrefix("jit_1x1") == true, "1x1 backward-weights: \(pointwise?.value ?? "missing")")
        let batchNorm = implementations.first { $0.key.hasPrefix("bnorm.bwd") && $0.key.contains("[2, 24, 12, 12]") }
        #expect(batchNorm?.value.hasPrefix("bnorm_jit") == true, "batch norm backward: \(batchNorm?.value ?? "missing")")
        // The 5x5 depthwise weight gradient never builds oneDNN's gemm fallback.
        if block != nil {
            #expect(!implementations.keys.contains { $0.hasPrefix("conv.bwd_weights") && $0.contains("n2c40h12w12o40k5x5") })
        }
    }

    @Test("the oneDNN loaded at run time has the major version compiled against (and says which it is)")
    func oneDNNVersion() {
        print(
            "oneDNN \(TensorEngine.oneDNNVersion), ISA \(TensorEngine.cpuInstructionSet), "
                + "activation channel block \(TensorEngine.activationChannelBlock.map(String.init) ?? "none")")
        #expect(agdnnl_runtime_version() / 10000 == agdnnl_compiled_version() / 10000)
        #expect(agdnnl_compiled_version() >= 20600)
    }

    @Test("layouts read back what they were made of, and change element type keeping their blocking")
    func layoutDescriptors() {
        let blocked = Layout.channelBlocked([2, 20, 5, 7], block: 16)
        #expect(blocked.dimensions == [2, 20, 5, 7] && blocked.paddedDimensions == [2, 32, 5, 7])
        #expect(blocked.channelBlock == 16 && blocked.isFloat32 && !blocked.isPlain)
        #expect(blocked.byteCount == 2 * 32 * 5 * 7 * 4)
        #expect(Layout.channelBlocked([2, 20, 5, 7], block: 8).channelBlock == 8)
        #expect(Layout.plain([3, 4]).isPlain && Layout.plain([3, 4]).channelBlock == nil)
        #expect(Layout.plain([2, 20, 5, 7]).key != blocked.key)
        let half = blocked.converted(to: dnnl_bf16)
        #expect(half.isSame(as: .channelBlocked([2, 20, 5, 7], block: 16, dataType: dnnl_bf16)))
        #expect(half.byteCount == blocked.byteCount / 2 && half.channelBlock == 16 && !half.isFloat32)
        #expect(half.converted(to: dnnl_f32).isSame(as: blocked))
        // A weight layout oneDNN chose (blocked over two dimensions) survives the round trip too.
        let geometry = ConvolutionGeometry(
            batch: 2, inputChannels: 32, inputHeight: 8, inputWidth: 8, outputChannels: 48,
            kernelHeight: 3, kernelWidth: 3, stride: 1, padding: .symmetric(1), groups: 1,
            hasBias: false)
        let weights = Convolution.forwardPrimitive(geometry, training: true).layout(DNNL_ARG_WEIGHTS)
        #expect(weights.dimensions == [48, 32, 3, 3])
        #expect(weights.converted(to: dnnl_bf16).converted(to: dnnl_f32).isSame(as: weights))
        #expect(Convolution.forwardPrimitive(geometry, training: true).layout(DNNL_ARG_BIAS).rank == 0, "no bias: empty")
    }

    @Test("a convolution weight is reordered into the primitive's layout once, then remembered")
    func weightLayoutIsRemembered() {
        let weight = Tensor(shape: [32, 1, 3, 3], scalars: (0..<288).map { Float($0 % 9) / 9 })
        let x = Tensor(shape: [1, 32, 6, 6], repeating: 1)
        let first = conv2d(x, weight: weight, padding: .symmetric(1), groups: 32).scalars()
        let copies = weight.rememberedLayoutCount
        let second = conv2d(x, weight: weight, padding: .symmetric(1), groups: 32).scalars()
        #expect(weight.rememberedLayoutCount == copies && copies >= 1)
        #expect(first == second)
        // Interior output: Σ taps of channel 0 = (0 + 1 + … + 8) / 9 = 4.
        #expect(abs(first[7] - 4) < 1e-6)
    }

    @Test("the caching allocator reuses freed buffers by size class")
    func allocatorReuse() {
        #expect(CachingAllocator.sizeClass(1) == 4096)
        #expect(CachingAllocator.sizeClass(65_537) == 81_920)
        #expect(CachingAllocator.sizeClass(1 << 20) == 1 << 20)
        #expect(CachingAllocator.sizeClass((1 << 20) + 1) == (1 << 20) + (1 << 18))
        let allocator = CachingAllocator()
        var first: Buffer? = allocator.allocate(byteCount: 3_000_001)
        let address = first!.pointer
        first = nil
        #expect(allocator.currentStatistics.cachedBytes == CachingAllocator.sizeClass(3_000_001))
        let second = allocator.allocate(byteCount: 2_900_000)  // same size class
        #expect(second.pointer == address)
        let third = allocator.allocate(byteCount: 100)
        #expect(third.pointer != address)
        let statistics = allocator.currentStatistics
        #expect(statistics.hits == 1 && statistics.misses == 2 && statistics.cachedBytes == 0)
        allocator.trim()
    }

    @Test("primitives built on one thread execute safely on others (user-managed scratchpad)")
    func crossThreadExecution() {
        let statistics = RunningStatistics(channels: 24)
        @Sendable func step() -> [Float] {
            let f = OpFixtures.shared.fixture("bn_train")
            let x = f.tensor("x", requiresGradient: true)
            let y = batchNorm2d(
                x, scale: f.tensor("scale"), shift: f.tensor("shift"), statistics: statistics,
                mode: .inference, momentum: 0.1, eps: 1e-5)
            let z = conv2d(
                y, weight: Tensor(shape: [24, 1, 5, 5], repeating: 0.1, requiresGradient: true),
                padding: .symmetric(2), groups: 24)
            return z.backward(seed: Tensor(shape: z.shape, repeating: 1))[x]!.scalars()
        }
        let reference = step()
        let results = ResultBox(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { results.set($0, step()) }
        for index in 0..<8 { #expect(results.get(index) == reference) }
    }

    @Test("thread count is configurable")
    func threadCount() {
        TensorEngine.setThreadCount(1)
        let y = conv2d(
            Tensor(shape: [1, 16, 8, 8], repeating: 1), weight: Tensor(shape: [16, 16, 3, 3], repeating: 1),
            padding: .symmetric(1))
        // The execution ran on this thread and applied the count to it.
        #expect(DNNLContext.openMPThreadCountOfCurrentThread == 1)
        TensorEngine.setThreadCount(nil)
        // All-ones: an interior output sums 16 channels × 9 taps, a corner 16 × 4.
        #expect(y.scalars()[1 * 8 + 1] == 144)
        #expect(y.scalars()[0] == 64)
    }
}

/// Thread-safe slots for results computed on several threads.
final class ResultBox: @unchecked Sendable {
    private let lock = Lock()
    private var values: [[Float]]
    init(count: Int) { values = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [Float]) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> [Float] { lock.withLock { values[index] } }
}

/// Steady-state training steps take every buffer from the cache (no fresh, page-faulting memory).
struct SteadyStateAllocationTests {
    @Test("after two warm-up steps a training step allocates nothing new")
    func noFreshBuffersInSteadyState() {
        let pool = CachingAllocator()
        CachingAllocator.$current.withValue(pool) {
            let f = OpFixtures.shared.fixture("network_sgd")
            var weights = [
                f.tensor("initial.conv.weight", requiresGradient: true), f.tensor("initial.dw.weight", requiresGradient: true),
                f.tensor("initial.fc.weight", requiresGradient: true), f.tensor("initial.fc.bias", requiresGradient: true),
            ]
            let scale = Tensor(shape: [24], repeating: 1), shift = Tensor.zeros([24])
            let statistics = RunningStatistics(channels: 24)
            let x = f.tensor("x")
            func step() {
                var h = conv2d(x, weight: weights[0], stride: 2, padding: .symmetric(1))
                h = relu6(batchNorm2d(h, scale: scale, shift: shift, statistics: statistics, mode: .training, momentum: 0.1, eps: 1e-5))
                h = conv2d(
                    h, weight: weights[1], stride: 2, padding: .tfSame(inputHeight: 9, inputWidth: 8, kernelSize: 5, stride: 2),
                    groups: 24)
                let loss = softmaxCrossEntropy(
                    logits: linear(globalAveragePool2d(relu6(h)), weight: weights[2], bias: weights[3]),
                    labels: f.ints("labels"))
                let gradients = loss.backward()
                weights = weights.map { w in
                    Tensor(
                        shape: w.shape, scalars: zip(w.scalars(), gradients[w]!.scalars()).map { $0 - 0.1 * $1 },
                        requiresGradient: true)
                }
            }
            step()
            step()
            let warm = pool.currentStatistics
            #expect(warm.misses > 0 && warm.hits > 0, "the scoped pool was not used: \(warm)")
            step()
            let after = pool.currentStatistics
            #expect(after.misses == warm.misses, "fresh allocations in a steady-state step: \(after.misses - warm.misses)")
            #expect(after.hits > warm.hits)
        }
        pool.trim()
    }
}
