import Foundation
import Testing

@testable import Checkpoints

/// FIPS 180-4 / NIST example vectors.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hex(Data(message.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(
            SHA256.hex(Data(repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Feeding the same bytes in uneven pieces gives the same digest (block buffering is right).
    @Test func incrementalUpdatesMatchOneShot() {
        var generator = SplitMix64(seed: 7)
        let bytes = Data((0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        var hasher = SHA256()
        var offset = 0
        for piece in [0, 1, 63, 64, 65, 7, 300] {
            hasher.update(bytes.subdata(in: offset..<(offset + piece)))
            offset += piece
        }
        hasher.update(bytes.subdata(in: offset..<bytes.count))
        #expect(hasher.finalize().hexString == SHA256.hex(bytes))
    }
}
