import Foundation
import Testing

@testable import Checkpoints

/// Bounded, seeded fuzzing of real small fixtures: every truncation and a few thousand random byte
/// mutations must either parse or throw `CheckpointError` — a crash fails the whole test run.
@Suite struct FuzzTests {
    /// Parses `data`; returns whether it parsed. Any error other than CheckpointError is recorded.
    @discardableResult
    func survives(_ data: Data, safetensors: Bool = false) -> Bool {
        do {
            let tensors = safetensors ? try SafetensorsFile(data: data).tensors : try PyTorchCheckpoint(data: data).tensors
            for (_, tensor) in tensors {
                _ = tensor.floats()
                _ = tensor.int64s()
            }
            return true
        } catch is CheckpointError {
            return false
        } catch {
            Issue.record("non-CheckpointError thrown: \(error)")
            return false
        }
    }

    @Test(arguments: ["dtypes_legacy.pth", "dtypes_zip.pth", "nested_zip.pth", "dtypes_proto4_legacy.pth"])
    func everyTruncation(fixture: String) throws {
        let data = try Fixtures.data(fixture)
        #expect(survives(data))
        var parsed = 0
        for length in 0..<data.count where survives(data.prefix(length)) { parsed += 1 }
        #expect(parsed == 0, "a truncated file parsed")  // storages end at EOF; zip needs its end record
    }

    @Test(arguments: [("dtypes_legacy.pth", UInt64(1)), ("dtypes_zip.pth", 2), ("lite0_subset_zip.pth", 3)])
    func randomMutations(fixture: String, seed: UInt64) throws {
        let original = try Fixtures.data(fixture)
        var generator = SplitMix64(seed: seed)
        var failures = 0
        for _ in 0..<1500 {
            var data = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<data.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: data[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: data[index] = 0xFF
                case 2: data[index] = data[index] ^ (1 << UInt8.random(in: 0...7, using: &generator))
                default: data[index] = 0x7F
                }
            }
            if !survives(data) { failures += 1 }
        }
        #expect(failures > 0)  // the mutations do reach the structure, not only tensor payloads
    }

    @Test func safetensorsMutationsAndTruncations() throws {
        let original = try SafetensorsFile(
            tensors: try PyTorchCheckpoint(contentsOf: Fixtures.url("dtypes_zip.pth")).tensors,
            metadata: ["a": "b"]
        ).encoded()
        for length in 0..<original.count { survives(original.prefix(length), safetensors: true) }
        var generator = SplitMix64(seed: 4)
        for _ in 0..<1500 {
            var data = original
            let index = Int.random(in: 0..<min(data.count, 1200), using: &generator)  // mostly the header
            data[index] = UInt8.random(in: 0...255, using: &generator)
            survives(data, safetensors: true)
        }
    }

    /// The zip reader on a DEFLATE wheel: truncations and mutations never crash, and a corrupted
    /// compressed member is caught by zlib or by the CRC check.
    @Test func deflateZipMutations() throws {
        let original = try Fixtures.data("fake_lite1.whl")
        func extractAll(_ data: Data) -> Bool {
            do {
                let archive = try ZipArchive(data: data)
                for entry in archive.entries { _ = try archive.contents(of: entry) }
                return true
            } catch is CheckpointError { return false } catch {
                Issue.record("non-CheckpointError thrown: \(error)")
                return false
            }
        }
        #expect(extractAll(original))
        for length in 0..<original.count { _ = extractAll(original.prefix(length)) }
        var generator = SplitMix64(seed: 5)
        var rejected = 0
        for _ in 0..<1500 {
            var data = original
            let index = Int.random(in: 0..<data.count, using: &generator)
            data[index] ^= UInt8.random(in: 1...255, using: &generator)
            if !extractAll(data) { rejected += 1 }
        }
        #expect(rejected > 500)
    }
}
