// swift-tools-version: 6.1
//
// AlbumGenre: learn an album's genre from its cover art.
//
// Targets, bottom to top. A target depends only on targets listed before it (Docs/Architecture.md
// draws each one's arrows); the ML stack (kernels → tensors → layers → models → training) imports
// no HTTP or server package, and Reports imports no ML code.
//
//   system libraries   CDNNL (oneDNN 2.6 or 3.x behind a 3.x-shaped shim)  COpenBLAS  CTurboJPEG  CPNG  CZlib  CLibXML2
//   kernels            CPUKernels (C, hand-written SIMD loops oneDNN lacks)
//   tensors            TensorCore (Tensor, reverse-mode autodiff, ops on oneDNN)
//   foundations        AtomicFiles  RunArtifacts (run folders' files)  NeuralNetwork  Checkpoints  Imaging  Catalog
//   models             Optimizers  Models
//   workflows          Inference (every probability)  Training  Reports  SyntheticCovers
//                      DataCollection (HTTP, at the edge)  ReportAssembly (pages from runs)
//   apps               WebApp (Hummingbird)  FakeServices (test doubles of the web services)  CLI (`albumgenre`)
import PackageDescription

/// Where oneDNN comes from (scripts/onednn.sh): the distribution's `libdnnl` by default; with
/// `ALBUMGENRE_ONEDNN=pypi` the PyPI wheels' copy, linked by its own name (Sources/CDNNLWheel).
let oneDNNFromWheel = Context.environment["ALBUMGENRE_ONEDNN"] == "pypi"

/// Kernel targets are optimised even in debug builds: the tests run numeric code on real shapes.
let kernelCSettings: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno"])]
let optimisedSwift: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "AlbumGenre",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "albumgenre", targets: ["CLI"]),
        // For apps that classify covers with a trained model (README, "Use it from Swift").
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "Models", targets: ["Models"]),
        // For the separate Benchmarks/ package.
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "Imaging", targets: ["Imaging"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // MARK: System libraries (Debian packages; see scripts/setup.sh)
        // oneDNN 2.6 or 3.x from the distribution, or 3.2 from the PyPI wheels (scripts/onednn.sh adds -I/-L/rpath).
        .systemLibrary(name: "CDNNL", path: oneDNNFromWheel ? "Sources/CDNNLWheel" : "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]
        ),

        // MARK: Kernels and tensors
        .target(name: "CPUKernels", cSettings: kernelCSettings),
        .target(
            name: "TensorCore",
            dependencies: ["CDNNL", "COpenBLAS", "CPUKernels"],
            swiftSettings: optimisedSwift
        ),

        // MARK: Foundations
        .target(name: "AtomicFiles"),
        /// The files of a run folder: layout, metrics.jsonl, evaluations and the metrics they hold.
        .target(name: "RunArtifacts", dependencies: ["AtomicFiles"]),
        .target(name: "NeuralNetwork", dependencies: ["TensorCore"], swiftSettings: optimisedSwift),
        .target(
            name: "Checkpoints", dependencies: ["AtomicFiles", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: optimisedSwift),
        .target(name: "Imaging", dependencies: ["AtomicFiles", "CTurboJPEG", "CPNG"], swiftSettings: optimisedSwift),
        .target(name: "Catalog", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: Models
        .target(name: "Optimizers", dependencies: ["TensorCore", "NeuralNetwork"], swiftSettings: optimisedSwift),
        .target(name: "Models", dependencies: ["TensorCore", "NeuralNetwork", "Checkpoints", "AtomicFiles", "RunArtifacts"]),

        // MARK: Workflows
        .target(
            name: "Inference", dependencies: ["TensorCore", "NeuralNetwork", "Models", "Checkpoints", "Imaging"],
            resources: [.copy("Resources/imagenet-classes.txt")]),
        .target(
            name: "Training",
            dependencies: [
                "TensorCore", "NeuralNetwork", "Optimizers", "Models", "Checkpoints", "Imaging", "Catalog", "AtomicFiles", "Inference",
                "RunArtifacts",
            ]
        ),
        .target(name: "Reports", dependencies: ["AtomicFiles", "RunArtifacts"]),
        .target(name: "SyntheticCovers", swiftSettings: optimisedSwift),
        .target(
            name: "DataCollection",
            dependencies: [
                "Catalog", "AtomicFiles", "CLibXML2",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimisedSwift
        ),
        /// Fills Reports' pages from run folders, catalogs and predictions (the only bridge from the ML side to the pages).
        .target(
            name: "ReportAssembly",
            dependencies: ["Reports", "RunArtifacts", "Models", "Training", "Inference", "Catalog", "Imaging", "AtomicFiles", "DataCollection"]),
        // MARK: Apps
        .target(
            name: "FakeServices",
            dependencies: [
                "DataCollection",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: optimisedSwift
        ),
        .target(
            name: "WebApp",
            dependencies: [
                "Inference", "Models", "Imaging", "SyntheticCovers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "CLI",
            dependencies: [
                "TensorCore", "NeuralNetwork", "Models", "Checkpoints", "Imaging", "Catalog", "AtomicFiles",
                "RunArtifacts", "Training", "Inference", "Reports", "ReportAssembly", "DataCollection", "FakeServices", "WebApp", "SyntheticCovers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tests (one per library target; Inference is covered by ModelsTests, WebAppTests and CLITests)
        /// Helpers shared by test targets only (`.npy` reader, headless Chromium, temporary folders,
        /// synthetic report fixtures); no product depends on it.
        .target(name: "TestSupport", dependencies: ["Reports", "Imaging"], path: "Sources/TestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork", "TensorCore"]),
        .testTarget(
            name: "OptimizersTests", dependencies: ["Optimizers", "NeuralNetwork", "TensorCore"], resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles"]),
        .testTarget(name: "RunArtifactsTests", dependencies: ["RunArtifacts", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CheckpointsTests", dependencies: ["Checkpoints"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        .testTarget(
            name: "ModelsTests",
            dependencies: [
                "Models", "NeuralNetwork", "TensorCore", "Checkpoints", "Imaging", "Optimizers", "Inference", "RunArtifacts", "TestSupport",
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SyntheticCoversTests", dependencies: ["SyntheticCovers"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "RunArtifacts", "NeuralNetwork", "Models", "Catalog", "Imaging", "Checkpoints", "SyntheticCovers"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "RunArtifacts", "TestSupport"]),
        .testTarget(
            name: "ReportAssemblyTests",
            dependencies: ["ReportAssembly", "RunArtifacts", "Training", "Catalog", "Imaging", "SyntheticCovers", "DataCollection"]),
        .testTarget(
            name: "DataCollectionTests",
            dependencies: ["DataCollection", "FakeServices", "Catalog"],
            resources: [.copy("Fixtures")]
        ),
        /// The command-line interface: help texts and messages (imports the executable target).
        .testTarget(
            name: "CLITests",
            dependencies: [
                "CLI", "RunArtifacts", "Training", "Inference", "WebApp", "Models", "Catalog", "Imaging", "TensorCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "WebAppTests",
            dependencies: [
                "WebApp", "Inference", "Models", "RunArtifacts", "Imaging", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
