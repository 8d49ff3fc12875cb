import BenchmarkWorkloads
import Foundation
import TensorCore

// Throughput of our engine and imaging, printed as one JSON object per line in the format of
// `pytorch_throughput.py` / `pillow_throughput.py`, so `compare-pytorch.sh` and `compare-pillow.sh`
// can alternate the two sides and compute ratios.
//
//   throughput --model lite0 --phase train [--steps 5] [--warmup 1] [--batch 32] [--threads 2] [--precision bf16]
//   throughput --model lite0 --phase infer --no-fold   # inference with convolution and batch norm apart
//   throughput --imaging 500           # decode + resize 224 of 500 covers on one thread
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var models: [BenchmarkNetwork] = BenchmarkNetwork.allCases
    var phases = ["train", "infer"]
    var steps = 5
    var warmup = 1
    var batch = 32
    var threads = 2
    /// Convolution precision (`--precision f32|bf16|bf16conv`), see `ComputePrecision`; `bf16conv` is
    /// bf16 convolutions writing f32 activations (`TensorEngine.bfloat16ActivationPrecision = .float32`).
    var precision = ComputePrecision.float32
    var activationPrecision = ComputePrecision.bfloat16
    var imagingCount: Int?
    /// Inference with the batch norms folded into the convolutions, as `albumgenre predict` runs it.
    var foldsBatchNorms = true

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw UsageError("\(flag) needs a value") }
            return value
        }
        func integer(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw UsageError("\(flag) needs a positive integer, got \(text)") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--model", "--models":
                models = try value(argument).split(separator: ",").map {
                    guard let model = BenchmarkNetwork(rawValue: String($0)) else { throw UsageError("unknown model \($0) (lite0, mnv2)") }
                    return model
                }
            case "--phase", "--phases":
                phases = try value(argument).split(separator: ",").map(String.init)
                guard phases.allSatisfy({ ["train", "infer"].contains($0) }) else { throw UsageError("phases are train and infer") }
            case "--steps": steps = try integer(argument)
            case "--warmup": warmup = try integer(argument)
            case "--batch": batch = try integer(argument)
            case "--threads": threads = try integer(argument)
            case "--precision":
                switch try value(argument) {
                case "f32", "float32": precision = .float32
                case "bf16", "bfloat16": precision = .bfloat16
                case "bf16conv": (precision, activationPrecision) = (.bfloat16, .float32)
                case let other: throw UsageError("unknown precision \(other) (f32, bf16, bf16conv)")
                }
            case "--imaging": imagingCount = try integer(argument)
            case "--no-fold": foldsBatchNorms = false
            case "--help", "-h": throw UsageError(nil)
            default: throw UsageError("unknown argument \(argument)")
            }
        }
    }
}

extension Options {
    /// The `--precision` value as printed in the JSON line.
    var label: String {
        precision == .float32 ? "f32" : activationPrecision == .bfloat16 ? "bf16" : "bf16conv"
    }
}

struct UsageError: Error {
    let message: String?
    init(_ message: String?) { self.message = message }
}

/// 1-minute load average, as `uptime` shows it (nil off Linux).
func loadAverage() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    return text.split(separator: " ").first.flatMap { Double($0) }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

func json(_ fields: [(String, Any)]) -> String {
    let body = fields.map { key, value -> String in
        let encoded: String
        switch value {
        case let text as String: encoded = "\"\(text)\""
        case let number as Double: encoded = number.isFinite ? String(format: "%.4g", number) : "null"
        case let numbers as [Double]: encoded = "[" + numbers.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]"
        default: encoded = "\(value)"
        }
        return "\"\(key)\": \(encoded)"
    }
    return "{" + body.joined(separator: ", ") + "}"
}

func runNetwork(_ network: BenchmarkNetwork, phase: String, options: Options) {
    let workload = NetworkWorkload(network, batchSize: options.batch, foldsBatchNorms: options.foldsBatchNorms)
    var fields: [(String, Any)] = [
        ("model", network.rawValue), ("phase", phase),
        ("precision", options.label), ("folded_batch_norm", phase == "infer" && options.foldsBatchNorms),
    ]
    let loadBefore = loadAverage()
    if phase == "train" {
        for _ in 0..<options.warmup { workload.trainingStep() }
        var cpuTimes: [Double] = []
        let timings = (0..<options.steps).map { _ in
            let cpuStart = processCPUSeconds()
            defer { cpuTimes.append(processCPUSeconds() - cpuStart) }
            return workload.trainingStep()
        }
        let step = median(timings.map(\.total))
        fields += [
            ("images_per_second", Double(options.batch) / step),
            ("best_images_per_second", Double(options.batch) / (timings.map(\.total).min() ?? .nan)),
            ("forward_s", median(timings.map(\.forward))), ("backward_s", median(timings.map(\.backward))),
            ("update_s", median(timings.map(\.update))), ("step_s", timings.map(\.total)),
            ("cpu_images_per_second", Double(options.batch) / median(cpuTimes)),
        ]
    } else {
        for _ in 0..<options.warmup { workload.inferenceStep() }
        let clock = ContinuousClock()
        var cpuTimes: [Double] = []
        let times = (0..<options.steps).map { _ in
            let start = clock.now
            let cpuStart = processCPUSeconds()
            _ = workload.inferenceStep().scalars()
            cpuTimes.append(processCPUSeconds() - cpuStart)
            return seconds(clock.now - start)
        }
        fields += [
            ("images_per_second", Double(options.batch) / median(times)),
            ("best_images_per_second", Double(options.batch) / (times.min() ?? .nan)), ("step_s", times),
            ("cpu_images_per_second", Double(options.batch) / median(cpuTimes)),
        ]
    }
    fields += [
        ("peak_rss_mib", ProcessMemory.peakResidentMiB), ("threads", options.threads),
        ("load_average", max(loadBefore ?? .nan, loadAverage() ?? .nan)), ("peer", "ours"),
    ]
    print(json(fields))
    fflush(nil)  // all streams: one line per result even when piped
}

/// User + system CPU time of the whole process (all threads). With `--threads 1` images per CPU
/// second estimate the single-core speed on a machine busy with other work, where wall time does not.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func runImaging(count: Int) throws {
    let covers = CoverSet(count: count)
    let work = CoverPreprocessing()
    _ = try work(covers.blobs[0])  // warm-up
    let clock = ContinuousClock()
    let loadBefore = loadAverage()
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    for blob in covers.blobs { _ = try work(blob) }
    let cpu = threadCPUSeconds() - cpuStart
    let wall = seconds(clock.now - start)
    print(
        json([
            ("model", "covers"), ("phase", "decode+resize224"), ("images_per_second", Double(covers.blobs.count) / wall),
            ("cpu_images_per_second", Double(covers.blobs.count) / cpu), ("images", covers.blobs.count),
            ("source", covers.source == "synthetic" ? "synthetic" : "covers-dev"),
            ("load_average", max(loadBefore ?? .nan, loadAverage() ?? .nan)), ("peer", "ours"),
        ]))
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    if let count = options.imagingCount {
        try runImaging(count: count)
    } else {
        TensorEngine.setThreadCount(options.threads)
        for model in options.models {
            for phase in options.phases {
                TensorEngine.$bfloat16ActivationPrecision.withValue(options.activationPrecision) {
                    TensorEngine.withComputePrecision(options.precision) { runNetwork(model, phase: phase, options: options) }
                }
            }
        }
    }
} catch let error as UsageError {
    if let message = error.message { FileHandle.standardError.write(Data("throughput: \(message)\n".utf8)) }
    print(
        "usage: throughput [--model lite0,mnv2] [--phase train,infer] [--steps 5] [--warmup 1] [--batch 32] [--threads 2] [--precision f32|bf16|bf16conv] [--no-fold]"
    )
    print("       throughput --imaging COUNT")
    exit(error.message == nil ? 0 : 2)
} catch {
    FileHandle.standardError.write(Data("throughput: \(error)\n".utf8))
    exit(1)
}
