import Foundation
import Testing

@testable import Checkpoints

@Suite struct SafetensorsTests {
    /// A file assembled by hand from the format description, with values known by construction.
    static func handMadeFile() -> Data {
        let header =
            #"{"__metadata__":{"format":"pt"},"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"#
            + #""i":{"dtype":"I64","shape":[1,1],"data_offsets":[16,24]},"f":{"dtype":"F32","shape":[],"data_offsets":[24,28]}}"#
        var data = Data()
        data.le(UInt64(header.utf8.count))
        data.append(Data(header.utf8))
        data.le(UInt16(0x3C00))
        data.le(UInt16(0xC000))  // f16 1.0, -2.0
        data.le(UInt16(0x3F80))
        data.le(UInt16(0x4049))  // bf16 1.0, 3.140625
        data.le((2.5 as Double).bitPattern)  // f64 2.5
        data.le(Int64(-3))  // i64 -3
        data.le((0.25 as Float).bitPattern)  // f32 0.25
        return data
    }

    @Test func readsAHandMadeFile() throws {
        let file = try SafetensorsFile(data: Self.handMadeFile())
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors.names == ["h", "b", "d", "i", "f"])  // data order, not JSON order
        #expect(file.tensors["h"]!.floats() == [1, -2])
        #expect(file.tensors["b"]!.floats() == [1, 3.140625])
        #expect(file.tensors["d"]!.dtype == .float64 && file.tensors["d"]!.floats() == [2.5])
        #expect(file.tensors["i"]!.int64s() == [-3] && file.tensors["i"]!.shape == [1, 1])
        #expect(file.tensors["f"]!.shape == [] && file.tensors["f"]!.floats() == [0.25])
    }

    @Test func float32RoundTripThroughAnAtomicWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = try CheckpointTensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, -6.5])
        let bias = try CheckpointTensor(shape: [3], floats: [0.1, 0.2, .infinity])
        let url = folder.appendingPathComponent("weights.safetensors")
        try SafetensorsFile(
            tensors: NamedTensors([("fc.weight", weights), ("fc.bias", bias)]),
            metadata: ["model": "scratch-cnn"]
        ).write(to: url)
        try SafetensorsFile(tensors: NamedTensors([("fc.weight", weights)])).write(to: url)  // overwrite
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["weights.safetensors"])
        let back = try SafetensorsFile(contentsOf: url)
        #expect(back.tensors.names == ["fc.weight"])
        #expect(back.tensors["fc.weight"]!.floats() == [1, 2, 3, 4, 5, -6.5])
        #expect(back.metadata.isEmpty)
        let raw = try Data(contentsOf: url)
        #expect((8 + Int(raw.withUnsafeBytes { $0.leUInt(at: 0, width: 8)! })) % 8 == 0)  // data section aligned
    }

    /// Every dtype of the torch fixture, including a transposed f16 view, survives write → read.
    @Test func allDtypesRoundTrip() throws {
        let torch = try PyTorchCheckpoint(contentsOf: Fixtures.url("dtypes_zip.pth"))
        let back = try SafetensorsFile(data: try SafetensorsFile(tensors: torch.tensors).encoded())
        #expect(back.tensors.names == torch.tensors.names)
        for (name, tensor) in torch.tensors {
            #expect(back.tensors[name]!.dtype == tensor.dtype)
            #expect(back.tensors[name]!.shape == tensor.shape)
            #expect(back.tensors[name]!.contiguousLittleEndianBytes() == tensor.contiguousLittleEndianBytes(), "\(name)")
        }
    }

    @Test func constructorRejectsAShapeThatDoesNotMatchTheValues() {
        #expect(throws: CheckpointError.self) { try CheckpointTensor(shape: [2, 2], floats: [1, 2, 3]) }
    }

    @Test(arguments: [
        ("short", Data([1, 2, 3])),
        ("header length beyond file", Data([0xFF, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])),
        (
            "not JSON",
            {
                var d = Data()
                d.le(UInt64(3))
                d.append(Data("{x}".utf8))
                return d
            }()
        ),
        ("bad dtype", Self.file(#"{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}"#, dataBytes: 1)),
        ("offsets past end", Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 4)),
        ("size mismatch", Self.file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8)),
        ("negative shape", Self.file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, dataBytes: 0)),
        ("reversed offsets", Self.file(#"{"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}"#, dataBytes: 4)),
        ("bad metadata", Self.file(#"{"__metadata__":{"a":1}}"#, dataBytes: 0)),
    ])
    func malformedFilesThrow(_ label: String, _ data: Data) {
        #expect(throws: CheckpointError.self, "\(label)") { try SafetensorsFile(data: data) }
    }

    static func file(_ header: String, dataBytes: Int) -> Data {
        var data = Data()
        data.le(UInt64(header.utf8.count))
        data.append(Data(header.utf8))
        data.append(Data(repeating: 0, count: dataBytes))
        return data
    }
}

@Suite struct WeightFileTests {
    @Test func dispatchesOnContent() throws {
        let torch = try Fixtures.data("dtypes_zip.pth")
        let safetensors = try SafetensorsFile(tensors: try PyTorchCheckpoint(data: torch).tensors).encoded()
        #expect(WeightFile.kind(of: torch) == .pytorch)
        #expect(WeightFile.kind(of: safetensors) == .safetensors)
        #expect(WeightFile.kind(of: try Fixtures.data("dtypes_legacy.pth")) == .pytorch)
        #expect(try WeightFile.tensors(data: safetensors).names == WeightFile.tensors(data: torch).names)
        #expect(throws: CheckpointError.self) { try WeightFile.tensors(data: Data("hello".utf8)) }
    }
}
