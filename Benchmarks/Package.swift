// swift-tools-version: 6.1
//
// AlbumGenre's benchmarks, a separate package so that the main package does not depend on
// package-benchmark. Run from this directory:
//
//   swift package benchmark                       # every benchmark target (release build)
//   swift package benchmark --target EngineBenchmarks
//   swift run -c release throughput --model lite0 --phase train     # JSON lines, see compare-pytorch.sh
//   ./compare-pytorch.sh                          # ours vs PyTorch, alternating, ratio lines
//   ./compare-pillow.sh                           # decode + resize vs Pillow on the same covers
import PackageDescription

let package = Package(
    name: "AlbumGenreBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "AlbumGenre", path: ".."),
        // MallocInterposer instead of the default jemalloc trait: no libjemalloc needed on the machine.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        /// The workloads shared by the benchmark targets and the `throughput` executable.
        .target(
            name: "BenchmarkWorkloads",
            dependencies: [
                .product(name: "TensorCore", package: "AlbumGenre"),
                .product(name: "NeuralNetwork", package: "AlbumGenre"),
                .product(name: "Optimizers", package: "AlbumGenre"),
                .product(name: "Models", package: "AlbumGenre"),
                .product(name: "Imaging", package: "AlbumGenre"),
            ],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        /// Prints images/s and peak memory as JSON lines, like `pytorch_throughput.py`.
        .executableTarget(name: "throughput", dependencies: ["BenchmarkWorkloads"], swiftSettings: [.unsafeFlags(["-O"])]),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "TensorCore", package: "AlbumGenre"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "ImagingBenchmarks",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "Imaging", package: "AlbumGenre"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/ImagingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
