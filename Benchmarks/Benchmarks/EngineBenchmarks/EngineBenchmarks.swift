import Benchmark
import BenchmarkWorkloads
import Foundation
import TensorCore

// Engine throughput at batch 32, 224×224, float32, with the thread count of `THREADS` (default 2):
// whole-network training steps and inference, and the per-op shapes of engine-notes.md §8.
// `swift package benchmark --target EngineBenchmarks` (release build). The network benchmarks are
// also what `throughput` / compare-pytorch.sh measure against PyTorch.

/// Workloads are built on first use (building a network and its first step take seconds) and shared by
/// the iterations of a benchmark.
final class Lazy<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private let make: () -> Value
    init(_ make: @escaping () -> Value) { self.make = make }
    var get: Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = make()
        value = made
        return made
    }
}

let threads = Int(ProcessInfo.processInfo.environment["THREADS"] ?? "") ?? 2

let networks = Dictionary(uniqueKeysWithValues: BenchmarkNetwork.allCases.map { network in
    (network, Lazy { NetworkWorkload(network, batchSize: 32) })
})
/// Inference with convolution and batch norm run apart, for the folding's gain side by side.
let unfoldedNetworks = Dictionary(uniqueKeysWithValues: BenchmarkNetwork.allCases.map { network in
    (network, Lazy { NetworkWorkload(network, batchSize: 32, foldsBatchNorms: false) })
})

// Per-op inputs (engine-notes.md §8 shapes).
let depthwise3x3 = Lazy { (OperatorWorkloads.activation(32, 96, 112, 112), OperatorWorkloads.depthwiseWeights(channels: 96, kernelSize: 3)) }
let depthwise5x5Backward = Lazy {
    // 32×240×28², 5×5 stride 1 (EfficientNet-Lite0 stage 5): only the weight requires a gradient, so the
    // backward pass is exactly the weight gradient (the hand-written kernel).
    let input = OperatorWorkloads.activation(32, 240, 28, 28)
    let weight = OperatorWorkloads.depthwiseWeights(channels: 240, kernelSize: 5, requiresGradient: true)
    return RepeatableBackward(conv2d(input, weight: weight, padding: .symmetric(2), groups: 240))
}
let pointwise = Lazy { (OperatorWorkloads.activation(32, 96, 56, 56), OperatorWorkloads.pointwiseWeights(inputs: 96, outputs: 24)) }
let pointwiseBackward = Lazy {
    let input = OperatorWorkloads.activation(32, 96, 56, 56).requiringGradient()
    let weight = OperatorWorkloads.pointwiseWeights(inputs: 96, outputs: 24, requiresGradient: true)
    return RepeatableBackward(conv2d(input, weight: weight))
}
let batchNormInput = Lazy { OperatorWorkloads.activation(32, 96, 112, 112) }
let batchNormBackward = Lazy {
    let input = OperatorWorkloads.activation(32, 96, 112, 112).requiringGradient()
    let scale = Tensor(shape: [96], repeating: 1, requiresGradient: true)
    let shift = Tensor.zeros([96], requiresGradient: true)
    let output = batchNorm2d(input, scale: scale, shift: shift, statistics: RunningStatistics(channels: 96),
                             mode: .training, momentum: 0.1, eps: 1e-3)
    return RepeatableBackward(output)
}

let benchmarks: @Sendable () -> Void = {
    TensorEngine.setThreadCount(threads)
    let networkConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident],
        timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 5)
    let opConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput], timeUnits: .milliseconds, warmupIterations: 2,
        maxDuration: .seconds(10), maxIterations: 20)

    for network in BenchmarkNetwork.allCases {
        // Throughput counts steps; images/s = 32 × steps/s.
        Benchmark("\(network.rawValue) train step (batch 32, 224²)", configuration: networkConfiguration) { benchmark in
            let workload = networks[network]!.get
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(workload.trainingStep()) }
        }
        Benchmark("\(network.rawValue) inference (batch 32, 224², batch norm folded)", configuration: networkConfiguration) { benchmark in
            let workload = networks[network]!.get
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(workload.inferenceStep()) }
        }
        Benchmark("\(network.rawValue) inference (batch 32, 224², batch norm apart)", configuration: networkConfiguration) { benchmark in
            let workload = unfoldedNetworks[network]!.get
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(workload.inferenceStep()) }
        }
    }

    Benchmark("dw 3x3 forward 32x96x112²", configuration: opConfiguration) { benchmark in
        let (input, weight) = depthwise3x3.get
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(TensorEngine.withoutGradients { conv2d(input, weight: weight, padding: .symmetric(1), groups: 96) })
        }
    }
    Benchmark("dw 5x5 backward-weights 32x240x28²", configuration: opConfiguration) { benchmark in
        let backward = depthwise5x5Backward.get
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(backward.run()) }
    }
    Benchmark("1x1 conv forward 32x96x56² → 24", configuration: opConfiguration) { benchmark in
        let (input, weight) = pointwise.get
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(TensorEngine.withoutGradients { conv2d(input, weight: weight) }) }
    }
    Benchmark("1x1 conv backward (data + weights) 32x96x56² → 24", configuration: opConfiguration) { benchmark in
        let backward = pointwiseBackward.get
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(backward.run()) }
    }
    Benchmark("BN forward training 32x96x112²", configuration: opConfiguration) { benchmark in
        let input = batchNormInput.get
        let scale = Tensor(shape: [96], repeating: 1), shift = Tensor.zeros([96])
        let statistics = RunningStatistics(channels: 96)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(batchNorm2d(input, scale: scale, shift: shift, statistics: statistics, mode: .training, momentum: 0.1, eps: 1e-3))
        }
    }
    Benchmark("BN backward 32x96x112²", configuration: opConfiguration) { benchmark in
        let backward = batchNormBackward.get
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(backward.run()) }
    }
}
