import Foundation
import Testing

@testable import Checkpoints

/// The real EfficientNet-Lite0 `.pth` (legacy format, 18,826,032 bytes) against facts torch.load
/// reported for it (Fixtures/lite0_reference.json). Skipped when the weights are not installed.
@Suite(
    .enabled(if: Fixtures.hasLite0, "EfficientNet-Lite0 weights not installed: run `albumgenre weights install`"),
    .serialized)
struct Lite0CheckpointTests {
    static let checkpoint: Result<PyTorchCheckpoint, any Error> = Result {
        try PyTorchCheckpoint(contentsOf: Fixtures.lite0URL!)
    }

    @Test func decodesAll296TensorsWithTorchShapesAndStrides() throws {
        let checkpoint = try Self.checkpoint.get()
        let reference = try Fixtures.json("lite0_reference.json")
        #expect(checkpoint.format == .legacy)
        let entries = reference["tensors"] as! [[String: Any]]
        #expect(checkpoint.tensors.count == 296)
        #expect(checkpoint.tensors.names == entries.map { $0["name"] as! String })
        for entry in entries {
            let name = entry["name"] as! String
            let tensor = checkpoint.tensors[name]!
            #expect(tensor.shape == entry["shape"] as! [Int], "\(name)")
            #expect(tensor.strides == entry["stride"] as! [Int], "\(name)")
            #expect(tensor.dtype == (entry["dtype"] as! String == "int64" ? .int64 : .float32), "\(name)")
        }
        #expect(checkpoint.tensors.filter { !$0.tensor.isContiguous }.count == 50)
    }

    @Test func parameterCountIsThePublishedOne() throws {
        let checkpoint = try Self.checkpoint.get()
        let learnable = checkpoint.tensors.filter {
            !($0.name.hasSuffix("running_mean") || $0.name.hasSuffix("running_var") || $0.name.hasSuffix("num_batches_tracked"))
        }
        #expect(learnable.reduce(0) { $0 + $1.tensor.elementCount } == 4_652_008)
        #expect(checkpoint.tensors["_conv_head.weight"]?.shape == [1280, 320, 1, 1])
        #expect(checkpoint.tensors["_fc.weight"]?.shape == [1000, 1280])
    }

    /// Sums, first and last values in row-major order of the (mostly permuted) tensors torch read.
    @Test func valuesMatchTorch() throws {
        let checkpoint = try Self.checkpoint.get()
        let selected = try Fixtures.json("lite0_reference.json")["selected"] as! [String: [String: Any]]
        #expect(selected.count == 11)
        for (name, expected) in selected {
            let values = checkpoint.tensors[name]!.floats()
            let first = (expected["first"] as! [NSNumber]).map { Float($0.doubleValue) }
            #expect(Array(values.prefix(first.count)) == first, "\(name)")
            if let last = expected["last"] as? NSNumber { #expect(values.last == Float(last.doubleValue), "\(name)") }
            let sum = values.reduce(0.0) { $0 + Double($1) }
            let absSum = values.reduce(0.0) { $0 + abs(Double($1)) }
            let expectedAbsSum = (expected["abs_sum"] as! NSNumber).doubleValue
            #expect(abs(sum - (expected["sum"] as! NSNumber).doubleValue) <= 1e-9 * max(expectedAbsSum, 1), "\(name)")
            #expect(abs(absSum - expectedAbsSum) <= 1e-9 * max(expectedAbsSum, 1), "\(name)")
        }
    }

    /// The whole file rewritten in the zip layout (by our writer, at test time) reads bit-identically.
    @Test func zipRewriteOfTheFullFileReadsIdentically() throws {
        let legacy = try Self.checkpoint.get()
        let zipped = try PyTorchCheckpoint(data: try rewriteLegacyAsZip(try Data(contentsOf: Fixtures.lite0URL!)))
        #expect(zipped.format == .zip)
        #expect(zipped.tensors.names == legacy.tensors.names)
        for (name, tensor) in legacy.tensors {
            let other = zipped.tensors[name]!
            #expect(other.shape == tensor.shape && other.strides == tensor.strides, "\(name)")
            #expect(other.contiguousLittleEndianBytes() == tensor.contiguousLittleEndianBytes(), "\(name)")
        }
    }

    /// Lite0 → safetensors → read back: same names, shapes and values (made contiguous).
    @Test func safetensorsRoundTripOfTheFullFile() throws {
        let legacy = try Self.checkpoint.get()
        let file = SafetensorsFile(tensors: legacy.tensors, metadata: ["source": "efficientnet-lite0-57934424.pth"])
        let back = try SafetensorsFile(data: try file.encoded())
        #expect(back.metadata["source"] == "efficientnet-lite0-57934424.pth")
        #expect(back.tensors.names == legacy.tensors.names)
        for (name, tensor) in legacy.tensors {
            let other = back.tensors[name]!
            #expect(other.shape == tensor.shape && other.isContiguous, "\(name)")
            #expect(other.contiguousLittleEndianBytes() == tensor.contiguousLittleEndianBytes(), "\(name)")
        }
    }
}
