import Foundation
import Testing

@testable import TensorCore

/// The PyTorch reference numbers written by `scripts/reference/make_op_fixtures.py`:
/// `op_fixtures.json` (per case: parameters, and per tensor its shape and offset in floats) over
/// `op_fixtures.bin` (little-endian float32).
final class OpFixtures: @unchecked Sendable {
    static let shared = OpFixtures()

    private let cases: [String: [String: Any]]
    private let data: [Float]

    private init() {
        guard let index = Bundle.module.url(forResource: "op_fixtures", withExtension: "json", subdirectory: "Fixtures"),
            let binary = Bundle.module.url(forResource: "op_fixtures", withExtension: "bin", subdirectory: "Fixtures"),
            let json = try? JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any],
            let cases = json["cases"] as? [String: [String: Any]],
            let bytes = try? Data(contentsOf: binary)
        else { fatalError("OpFixtures: op_fixtures.json/.bin missing; run scripts/reference/make_op_fixtures.py") }
        self.cases = cases
        data = bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    func fixture(_ name: String) -> Fixture {
        guard let entry = cases[name] else { fatalError("OpFixtures: no case \(name)") }
        return Fixture(name: name, entry: entry, data: data)
    }
}

/// One reference case.
struct Fixture {
    let name: String
    let entry: [String: Any]
    let data: [Float]

    private var params: [String: Any] { entry["params"] as! [String: Any] }

    func shape(_ tensor: String) -> [Int] {
        guard let info = (entry["tensors"] as! [String: Any])[tensor] as? [String: Any] else {
            fatalError("Fixture \(name): no tensor \(tensor)")
        }
        return info["shape"] as! [Int]
    }

    func values(_ tensor: String) -> [Float] {
        let info = (entry["tensors"] as! [String: Any])[tensor] as! [String: Any]
        let offset = info["offset"] as! Int
        let count = (info["shape"] as! [Int]).reduce(1, *)
        return Array(data[offset..<(offset + count)])
    }

    func tensor(_ name: String, requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape(name), scalars: values(name), requiresGradient: requiresGradient)
    }

    func has(_ tensor: String) -> Bool { (entry["tensors"] as! [String: Any])[tensor] != nil }

    func int(_ key: String) -> Int { params[key] as! Int }
    func ints(_ key: String) -> [Int] { params[key] as! [Int] }
    func float(_ key: String) -> Float { Float(params[key] as! Double) }
    func bool(_ key: String) -> Bool { params[key] as! Bool }
}

/// Checks every element: |actual − expected| ≤ tolerance · (|expected| + max|expected|).
/// With f32 maths and tolerance 1e-4 this is "1e-4 relative", measured against the tensor's scale so
/// that elements near zero (sums of many terms that cancel) do not demand impossible precision.
func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
        sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let scale = expected.map { abs($0) }.max() ?? 0
    var worst = (index: -1, excess: Float(0))
    for i in actual.indices {
        let error = abs(actual[i] - expected[i])
        let allowed = tolerance * (abs(expected[i]) + scale)
        if !(error <= allowed), error - allowed >= worst.excess { worst = (i, error - allowed) }
    }
    #expect(
        worst.index < 0,
        "\(what): element \(worst.index) is \(worst.index >= 0 ? actual[worst.index] : 0), expected \(worst.index >= 0 ? expected[worst.index] : 0) (tolerance \(tolerance) of scale \(scale))",
        sourceLocation: sourceLocation)
}

/// `tensor` with its values moved into another physical layout (same logical values).
func relaid(_ tensor: Tensor, _ layout: Layout, requiresGradient: Bool) -> Tensor {
    Tensor(shape: tensor.shape, layout: layout, buffer: tensor.buffer(in: layout), requiresGradient: requiresGradient)
}
