import Foundation
import Testing

@testable import Checkpoints

/// Unsupported or broken files give a typed error that names the offset or the opcode.
@Suite struct MalformedCheckpointTests {
    func error(_ bytes: [UInt8]) -> CheckpointError? {
        do {
            _ = try PyTorchCheckpoint(data: Data(bytes))
            return nil
        } catch let error as CheckpointError {
            return error
        } catch { return nil }
    }

    @Test func rejectsPyTorch1AndTarAndUnknownFiles() {
        guard case let .unsupportedFormat(message)? = error(Array("PYTORCH1".utf8) + [0, 0, 0]) else {
            Issue.record("PYTORCH1 not rejected")
            return
        }
        #expect(message.contains("PYTORCH1"))
        var tar = [UInt8](repeating: 0, count: 600)
        tar.replaceSubrange(257..<262, with: Array("ustar".utf8))
        guard case let .unsupportedFormat(tarMessage)? = error(tar) else {
            Issue.record("tar not rejected")
            return
        }
        #expect(tarMessage.contains("tar"))
        #expect(error([0x47, 0x49, 0x46]) != nil)
        #expect(error([]) != nil)
    }

    @Test func rejectsTorchScriptArchives() {
        var writer = TorchZipWriter()
        writer.add("model/data.pkl", Data([0x80, 0x02, 0x7D, 0x2E]))
        writer.add("model/constants.pkl", Data([0x80, 0x02, 0x29, 0x2E]))
        writer.add("model/code/__torch__/model.py", Data("def forward(self): ...".utf8))
        do {
            _ = try PyTorchCheckpoint(data: writer.finished())
            Issue.record("TorchScript accepted")
        } catch let CheckpointError.unsupportedFormat(message) {
            #expect(message.contains("TorchScript"))
        } catch { Issue.record("unexpected \(error)") }
    }

    /// Issue 20: a thousand central entries pointing at one member's bytes asked for a thousand
    /// inflations. Members that share bytes are refused when the archive is opened.
    @Test func refusesOverlappingMembers() {
        var writer = TorchZipWriter()
        writer.add("archive/data.pkl", Data([0x80, 0x02, 0x7D, 0x2E]))
        writer.add("archive/data/0", Data(repeating: 7, count: 4096))
        for index in 0..<1000 { writer.addAlias("archive/data/\(index + 1)", of: 1) }
        do {
            _ = try ZipArchive(data: writer.finished())
            Issue.record("overlapping members accepted")
        } catch let CheckpointError.malformed(_, reason) {
            #expect(reason.contains("overlap"), "\(reason)")
        } catch { Issue.record("unexpected \(error)") }
        // The same archive without the aliases opens.
        var plain = TorchZipWriter()
        plain.add("archive/data.pkl", Data([0x80, 0x02, 0x7D, 0x2E]))
        plain.add("archive/data/0", Data(repeating: 7, count: 4096))
        #expect((try? ZipArchive(data: plain.finished()))?.entries.count == 2)
    }

    /// Deflated members inflate in chunks (no 32-bit length trap), empty ones too, and a member that
    /// inflates to more than it declares is refused.
    @Test func inflatesEmptyAndRefusesOverlongStreams() throws {
        // A raw DEFLATE stream of nothing: one final stored block of length 0.
        let empty = Data([0x01, 0x00, 0x00, 0xFF, 0xFF])
        #expect(try Inflater.inflate(empty, expectedSize: 0, expectedCRC: 0, context: "empty").isEmpty)
        // A stored block of 3 bytes "abc" declared as 2 bytes.
        let abc = Data([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63])
        #expect(try Inflater.inflate(abc, expectedSize: 3, expectedCRC: Inflater.crc32(of: Data("abc".utf8)), context: "abc") == Data("abc".utf8))
        #expect(throws: CheckpointError.self) {
            try Inflater.inflate(abc, expectedSize: 2, expectedCRC: Inflater.crc32(of: Data("ab".utf8)), context: "short")
        }
    }

    /// A pickle of a million values on the stack, or a million memo entries, is refused when it
    /// crosses the bound instead of growing without one.
    @Test func stackAndMemoAreBounded() {
        func run(_ bytes: [UInt8]) -> CheckpointError? {
            bytes.withUnsafeBytes { raw in
                var machine = PickleMachine(bytes: raw)
                do {
                    _ = try machine.run()
                    return nil
                } catch { return error as? CheckpointError }
            }
        }
        // PROTO 2, then NONE x (limit + 1).
        let nones: [UInt8] = [0x80, 0x02] + [UInt8](repeating: 0x4E, count: PickleMachine.maximumStackEntries + 1) + [0x2E]
        guard case .malformed(_, let stackReason)? = run(nones) else {
            Issue.record("stack not bounded")
            return
        }
        #expect(stackReason.contains("on the stack"))
        // PROTO 4, NONE, then MEMOIZE x (limit + 1).
        let memos: [UInt8] = [0x80, 0x04, 0x4E] + [UInt8](repeating: 0x94, count: PickleMachine.maximumMemoEntries + 1) + [0x2E]
        guard case .malformed(_, let memoReason)? = run(memos) else {
            Issue.record("memo not bounded")
            return
        }
        #expect(memoReason.contains("memo entries"))
        // Under the bounds the same shapes run.
        #expect(run([0x80, 0x04, 0x4E, 0x94, 0x94, 0x4E, 0x2E]) == nil)
    }

    /// GLOBALs outside the allow-list are refused before anything could use them.
    @Test func refusesArbitraryGlobals() {
        // PROTO 2, GLOBAL 'os system', SHORT_BINUNICODE 'ls', TUPLE1, REDUCE, STOP
        let pickle: [UInt8] = [0x80, 0x02, 0x63] + Array("os\nsystem\n".utf8) + [0x8C, 2] + Array("ls".utf8) + [0x85, 0x52, 0x2E]
        #expect(error(pickle) == .unsupportedGlobal(module: "os", name: "system", offset: 2))
        var writer = TorchZipWriter()
        writer.add("archive/data.pkl", Data(pickle))
        do {
            _ = try PyTorchCheckpoint(data: writer.finished())
            Issue.record("global accepted")
        } catch let CheckpointError.unsupportedGlobal(module, name, offset) {
            #expect(module == "os" && name == "system" && offset % 64 == 2)  // data.pkl data is 64-aligned
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func namesTheOpcodeAndOffset() {
        #expect(error([0x80, 0x02, 0x00]) == .unsupportedOpcode(opcode: 0x00, offset: 2))
        #expect(error([0x80, 0x02, 0x52]) == .malformed(offset: 2, reason: "stack underflow"))
        #expect(error([0x80, 0x02, 0x68, 0x05, 0x2E]) == .malformed(offset: 2, reason: "memo index 5 was never stored"))
        #expect(error([0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F]) == .truncated(offset: 7, needed: 0x7FFF_FFFF, context: "pickle string/bytes"))
        #expect(error([0x80, 0x02, 0x28, 0x4B, 0x01, 0x65]) != nil)  // APPENDS with nothing to append to
        #expect(error([0x80, 0x02, 0x4B]) == .truncated(offset: 3, needed: 1, context: "legacy magic number"))
    }

    /// A million nested tuples, or lists nested top-down through APPEND, are refused at depth 256
    /// instead of overflowing the stack when the value is released.
    @Test func deepNestingIsRefused() {
        var tuples: [UInt8] = [0x80, 0x02, 0x4B, 0x00]
        tuples += [UInt8](repeating: 0x85, count: 1_000_000)  // TUPLE1 × 10^6
        tuples.append(0x2E)
        #expect(error(tuples) == .malformed(offset: 2 + 2 + PickleMachine.maximumNesting, reason: "containers nested more than 256 deep"))
        var lists: [UInt8] = [0x80, 0x02]
        lists += [UInt8](repeating: 0x5D, count: 300_000)  // EMPTY_LIST × n
        lists += [UInt8](repeating: 0x61, count: 299_999)  // APPEND each into the one below
        lists.append(0x2E)
        #expect(error(lists) != nil)
        // Top-down: put b in a, then deepen b; a's recorded depth would go stale, so it is refused.
        let staleDepth: [UInt8] = [0x80, 0x02, 0x5D, 0x5D, 0x71, 0x00, 0x61, 0x68, 0x00, 0x5D, 0x61, 0x2E]
        #expect(error(staleDepth) == .malformed(offset: 10, reason: "a list grew deeper after being nested (recursive structures are not supported)"))
    }

    @Test func truncatedLegacyFileNamesTheStorageOffset() throws {
        let data = try Fixtures.data("dtypes_legacy.pth")
        #expect(throws: CheckpointError.self) { try PyTorchCheckpoint(data: data.prefix(data.count - 1)) }
        do {
            _ = try PyTorchCheckpoint(data: data.prefix(data.count - 1))
        } catch let CheckpointError.truncated(offset, _, context) {
            #expect(context == "legacy storage data" && offset < data.count)
        }
    }

    /// A tensor whose view reaches past its storage is refused when the checkpoint is read.
    @Test func tensorOutsideItsStorageIsRefused() throws {
        let storage = try CheckpointStorage(data: Data(count: 16), byteOffset: 0, count: 4, dtype: .float32, key: "0")
        #expect(throws: CheckpointError.self) {
            try CheckpointTensor(storage: storage, storageOffset: 1, shape: [2, 2], strides: [2, 1], name: "t")
        }
        #expect(throws: CheckpointError.self) {
            try CheckpointTensor(storage: storage, storageOffset: 0, shape: [Int.max / 2, 4], strides: [4, 1], name: "t")
        }
        #expect(throws: CheckpointError.self) {
            try CheckpointTensor(storage: storage, storageOffset: 0, shape: [1 << 40], strides: [0], name: "t")
        }
        #expect(throws: CheckpointError.self) {
            try CheckpointTensor(storage: storage, storageOffset: 0, shape: [2], strides: [-1], name: "t")
        }
        let transposed = try CheckpointTensor(storage: storage, storageOffset: 0, shape: [2, 2], strides: [1, 2], name: "t")
        #expect(!transposed.isContiguous && transposed.elementCount == 4)
    }
}

/// Wrappers newer torch versions put around `_rebuild_tensor_v2`.
@Suite struct RebuildWrapperTests {
    func checkpoint(_ build: (inout PickleBuilder) -> Void) throws -> PyTorchCheckpoint {
        var pickle = PickleBuilder()
        pickle.op(0x7D)  // EMPTY_DICT
        pickle.string("w")
        build(&pickle)
        pickle.op(0x73)  // SETITEM
        pickle.stop()
        var writer = TorchZipWriter()
        writer.add("archive/data.pkl", Data(pickle.bytes))
        writer.add("archive/data/0", Data((0..<6).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }))
        return try PyTorchCheckpoint(data: writer.finished())
    }

    @Test func rebuildFromTypeV2UnwrapsToTheTensor() throws {
        let result = try checkpoint { p in
            // _rebuild_from_type_v2(_rebuild_tensor_v2, Parameter, (args…), {})
            p.global("torch._tensor", "_rebuild_from_type_v2")
            p.mark()
            p.global("torch._utils", "_rebuild_tensor_v2")
            p.global("torch.nn.parameter", "Parameter")
            p.rebuildTensorArguments(numel: 6, offset: 1, size: [2, 2], stride: [1, 2])
            p.op(0x7D)  // state {}
            p.tuple()
            p.reduce()
        }
        let tensor = try #require(result.tensors["w"])
        #expect(tensor.shape == [2, 2] && tensor.strides == [1, 2] && tensor.storageOffset == 1)
        #expect(tensor.floats() == [1, 3, 2, 4])  // element (i, j) = storage[1 + i + 2j]
    }

    @Test func rebuildParameterUnwrapsToTheTensor() throws {
        let result = try checkpoint { p in
            p.global("torch._utils", "_rebuild_parameter")
            p.mark()
            p.rebuildTensor(numel: 6, offset: 0, size: [3], stride: [2])
            p.op(0x88)  // requires_grad True
            p.global("collections", "OrderedDict")
            p.emptyTuple()
            p.reduce()
            p.tuple()
            p.reduce()
        }
        #expect(result.tensors["w"]?.floats() == [0, 2, 4])
    }

    @Test func storageTypeIsNotCallable() {
        #expect(throws: CheckpointError.self) {
            try checkpoint { p in
                p.global("torch", "FloatStorage")
                p.emptyTuple()
                p.reduce()
            }
        }
    }
}
