import Foundation

/// A minimal `.npy` reader (format 1.0/2.0, little-endian, C order) for `|u1`, `<f4` and `<f8`
/// arrays: enough for the reference fixtures that `scripts/reference/*.py` write with numpy.
///
/// Shared by the test targets (Imaging's Pillow references, Models' PyTorch references) so each
/// does not carry its own copy. Malformed files throw `NumpyError`; they never trap.
public struct NumpyFile: Sendable {
    public enum Values: Sendable {
        case uint8([UInt8])
        case float32([Float])
        case float64([Double])
    }

    /// Row-major shape, `[]` for a scalar.
    public let shape: [Int]
    public let values: Values

    public init(contentsOf url: URL) throws {
        try self.init(bytes: [UInt8](try Data(contentsOf: url)))
    }

    public init(bytes: [UInt8]) throws {
        guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw NumpyError.notNumpy
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count > 12 else { throw NumpyError.notNumpy }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard headerStart + headerLength <= bytes.count else { throw NumpyError.truncated }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard !header.contains("'fortran_order': True") else { throw NumpyError.unsupported(header) }
        guard let shapeStart = header.range(of: "'shape': ("),
            let shapeEnd = header[shapeStart.upperBound...].firstIndex(of: ")")
        else { throw NumpyError.unsupported(header) }
        shape = header[shapeStart.upperBound..<shapeEnd].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let payload = Array(bytes[(headerStart + headerLength)...])
        if header.contains("'descr': '|u1'") {
            guard payload.count == count else { throw NumpyError.truncated }
            values = .uint8(payload)
        } else if header.contains("'descr': '<f4'") {
            guard payload.count == count * 4 else { throw NumpyError.truncated }
            values = .float32(payload.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        } else if header.contains("'descr': '<f8'") {
            guard payload.count == count * 8 else { throw NumpyError.truncated }
            values = .float64(payload.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) })
        } else {
            throw NumpyError.unsupported(header)
        }
    }

    /// The values of a `|u1` array (empty for other dtypes).
    public var uint8: [UInt8] {
        if case .uint8(let v) = values { return v }
        return []
    }

    /// The values of a `<f4` array, or of a `<f8` array rounded to `Float` (empty for `|u1`).
    public var float32: [Float] {
        switch values {
        case .float32(let v): return v
        case .float64(let v): return v.map { Float($0) }
        case .uint8: return []
        }
    }
}

public enum NumpyError: Error, CustomStringConvertible {
    case notNumpy
    case truncated
    case unsupported(String)

    public var description: String {
        switch self {
        case .notNumpy: return "not a .npy file (bad magic)"
        case .truncated: return ".npy header or payload is shorter than its shape says"
        case .unsupported(let header): return "unsupported .npy header: \(header)"
        }
    }
}
