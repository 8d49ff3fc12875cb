import Foundation
import Testing

@testable import Checkpoints

/// Small checkpoints written by torch 1.13 (scripts/reference/make_checkpoint_fixtures.py), compared
/// with the values torch itself reported (dtypes.json, lite0_subset_zip.json).
@Suite struct PyTorchFixtureTests {
    static let dtypeNames: [String: CheckpointDType] = [
        "float32": .float32, "float16": .float16, "bfloat16": .bfloat16, "float64": .float64, "int64": .int64,
        "int32": .int32, "int16": .int16, "int8": .int8, "uint8": .uint8, "bool": .bool,
    ]

    /// Checks every tensor of `checkpoint` against torch's description of it.
    func expectMatches(_ checkpoint: PyTorchCheckpoint, _ reference: [String: Any]) {
        #expect(checkpoint.tensors.count == reference.count)
        for (name, raw) in reference {
            let expected = raw as! [String: Any]
            guard let tensor = checkpoint.tensors[name] else {
                Issue.record("missing tensor \(name)")
                continue
            }
            #expect(tensor.dtype == Self.dtypeNames[expected["dtype"] as! String], "\(name)")
            #expect(tensor.shape == expected["shape"] as! [Int], "\(name)")
            #expect(tensor.strides == expected["stride"] as! [Int], "\(name)")
            #expect(tensor.storageOffset == expected["storage_offset"] as! Int, "\(name)")
            #expect(tensor.isContiguous == expected["contiguous"] as! Bool, "\(name)")
            let values = (expected["values"] as! [NSNumber]).map(\.doubleValue)
            if tensor.dtype.isFloatingPoint {
                // Every f16/bf16/f32 value is exact in Float; f64 is rounded once.
                #expect(tensor.floats() == values.map { Float($0) }, "\(name)")
            } else {
                #expect(tensor.int64s() == values.map { Int64($0) }, "\(name)")
            }
        }
    }

    @Test func zipFormatAllDtypesAndSharedStorage() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url("dtypes_zip.pth"))
        #expect(checkpoint.format == .zip)
        expectMatches(checkpoint, try Fixtures.json("dtypes.json"))
        // Views of one storage: the offset view starts at element 5 of the base.
        let base = checkpoint.tensors["shared_base"]!.floats()
        #expect(checkpoint.tensors["shared_offset_view"]!.floats() == Array(base[5..<15]))
    }

    @Test func legacyFormatAllDtypesAndSharedStorage() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url("dtypes_legacy.pth"))
        #expect(checkpoint.format == .legacy)
        expectMatches(checkpoint, try Fixtures.json("dtypes.json"))
    }

    /// Entry order is the file's order (torch keeps the dict's insertion order).
    @Test func tensorOrderFollowsTheFile() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url("dtypes_zip.pth"))
        #expect(checkpoint.tensors.names.prefix(4) == ["f32", "f16", "bf16", "f64"])
    }

    @Test func lite0SubsetKeepsPermutedStrides() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url("lite0_subset_zip.pth"))
        #expect(checkpoint.format == .zip)
        expectMatches(checkpoint, try Fixtures.json("lite0_subset_zip.json"))
        let stem = checkpoint.tensors["_conv_stem.weight"]!
        #expect(stem.shape == [32, 3, 3, 3])
        #expect(stem.strides == [1, 32, 288, 96])
        #expect(!stem.isContiguous)
    }

    @Test func stateDictNestedUnderModelKey() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url("nested_zip.pth"))
        #expect(checkpoint.tensors.names == ["w", "b"])
        #expect(checkpoint.tensors["b"]?.dtype == .bfloat16)
        #expect(throws: CheckpointError.self) {
            try PyTorchCheckpoint(contentsOf: Fixtures.url("nested_zip.pth"), stateDictKey: "optimizer")
        }
    }

    /// The torchvision-layout MobileNetV2 fixture the models helper uses (width 0.5, 10 classes).
    @Test func mobileNetV2FixtureMatchesItsConfig() throws {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/mobilenetv2_small")
        let config =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json")))
            as! [String: Any]
        let checkpoint = try PyTorchCheckpoint(contentsOf: folder.appendingPathComponent("state_dict.pth"))
        let shapes = config["shapes"] as! [String: [Int]]
        #expect(checkpoint.tensors.count == 314)
        for (name, tensor) in checkpoint.tensors {
            #expect(tensor.shape == shapes[name], "\(name)")
        }
        let learnable = checkpoint.tensors.filter {
            !($0.name.hasSuffix("running_mean") || $0.name.hasSuffix("running_var") || $0.name.hasSuffix("num_batches_tracked"))
        }.reduce(0) { $0 + $1.tensor.elementCount }
        #expect(learnable == config["parameter_count"] as! Int)
        #expect(checkpoint.tensors["features.0.1.num_batches_tracked"]?.int64s() == [100])
    }

    /// A zip written by our own writer (FB padding, ZIP64 records, no data descriptors) reads the same.
    @Test func ourZipRewriteOfTheLegacyFixtureReadsIdentically() throws {
        let legacy = try Fixtures.data("dtypes_legacy.pth")
        let rewritten = try PyTorchCheckpoint(data: try rewriteLegacyAsZip(legacy))
        let original = try PyTorchCheckpoint(data: legacy)
        #expect(rewritten.format == .zip)
        #expect(rewritten.tensors.names == original.tensors.names)
        for (name, tensor) in original.tensors {
            #expect(rewritten.tensors[name]!.contiguousLittleEndianBytes() == tensor.contiguousLittleEndianBytes(), "\(name)")
        }
    }
}

/// Protocol-4 pickles (FRAME, MEMOIZE, STACK_GLOBAL) and big-endian zip storages.
@Suite struct PyTorchVariantTests {
    @Test(arguments: ["dtypes_proto4_zip.pth", "dtypes_proto4_legacy.pth"])
    func pickleProtocol4(fixture: String) throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url(fixture))
        PyTorchFixtureTests().expectMatches(checkpoint, try Fixtures.json("dtypes.json"))
    }

    /// The torch zip fixture rebuilt with `byteorder` = `big` and every storage element byte-swapped
    /// reads back to the same values.
    @Test func bigEndianByteorderIsHonoured() throws {
        let original = try Fixtures.data("dtypes_zip.pth")
        let archive = try ZipArchive(data: original)
        let reference = try PyTorchCheckpoint(data: original)
        // Element size of each storage, from the tensors that use it.
        var itemSizes = [String: Int]()
        let (_, storages) = try ZipContainer.read(original)
        for (key, storage) in storages { itemSizes[key] = storage.dtype.itemSize }
        var writer = TorchZipWriter()
        // torch 1.13 writes no `byteorder` record (absent means little): add one saying big.
        #expect(archive.entry(named: "dtypes_zip/byteorder") == nil)
        writer.add("dtypes_zip/byteorder", Data("big".utf8))
        for entry in archive.entries {
            var contents = try archive.contents(of: entry)
            let parts = entry.name.split(separator: "/")
            if parts.count == 3, parts[1] == "data", let size = itemSizes[String(parts[2])], size > 1 {
                var bytes = [UInt8](contents)
                for start in stride(from: 0, to: bytes.count, by: size) { bytes[start..<(start + size)].reverse() }
                contents = Data(bytes)
            }
            writer.add(entry.name, contents)
        }
        let swapped = try PyTorchCheckpoint(data: writer.finished())
        for (name, tensor) in reference.tensors {
            #expect(swapped.tensors[name]!.contiguousLittleEndianBytes() == tensor.contiguousLittleEndianBytes(), "\(name)")
            #expect(swapped.tensors[name]!.floats().elementsEqual(tensor.floats()) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }
}

@Suite struct TensorViewTests {
    /// Permuting the Lite0 stem (OIHW view of HWIO memory) to HWIO gives a contiguous view whose values
    /// are the transposition of the OIHW values: element [h,w,i,o] == OIHW element [o,i,h,w].
    @Test func permutedStemIsContiguousHWIO() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: Fixtures.url("lite0_subset_zip.pth"))
        let stem = checkpoint.tensors["_conv_stem.weight"]!
        let hwio = try stem.permuted([2, 3, 1, 0])
        #expect(hwio.shape == [3, 3, 3, 32] && hwio.isContiguous)
        let oihw = stem.floats(), permuted = hwio.floats()
        for o in 0..<32 {
            for i in 0..<3 {
                for h in 0..<3 {
                    for w in 0..<3 {
                        #expect(permuted[((h * 3 + w) * 3 + i) * 32 + o] == oihw[((o * 3 + i) * 3 + h) * 3 + w])
                    }
                }
            }
        }
        #expect(throws: CheckpointError.self) { try stem.permuted([0, 1, 2]) }
        #expect(throws: CheckpointError.self) { try stem.permuted([0, 0, 1, 2]) }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: CheckpointError.self) { try PyTorchCheckpoint(contentsOf: URL(fileURLWithPath: "/nonexistent/x.pth")) }
        #expect(throws: CheckpointError.self) { try SafetensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/x.safetensors")) }
    }
}
