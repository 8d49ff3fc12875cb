import Foundation

/// A minimal `.npy` (format 1.0/2.0, little-endian, C order) reader for `|u1` and `<f4` arrays.
struct NumpyFile {
    enum Values {
        case uint8([UInt8])
        case float32([Float])
    }

    let shape: [Int]
    let values: Values

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
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
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
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
            guard payload.count == count else { throw NumpyError.unsupported(header) }
            values = .uint8(payload)
        } else if header.contains("'descr': '<f4'") {
            guard payload.count == count * 4 else { throw NumpyError.unsupported(header) }
            values = .float32(payload.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        } else {
            throw NumpyError.unsupported(header)
        }
    }

    var uint8: [UInt8] {
        if case .uint8(let v) = values { return v }
        return []
    }
    var float32: [Float] {
        if case .float32(let v) = values { return v }
        return []
    }
}

enum NumpyError: Error {
    case notNumpy
    case unsupported(String)
}
