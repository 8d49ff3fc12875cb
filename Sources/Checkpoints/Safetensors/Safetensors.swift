import AtomicFiles
import Foundation

/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]},
/// "__metadata__": {"k": "v"}}`, then the tensor bytes (row-major, little-endian; offsets are relative
/// to the end of the header). AlbumGenre saves trained models as `weights.safetensors` + a JSON config.
public struct SafetensorsFile: Sendable {
    public var tensors: NamedTensors
    /// The free-form string map under `__metadata__`.
    public var metadata: [String: String]

    public init(tensors: NamedTensors, metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Headers larger than this are refused (the reference implementation uses the same 100 MB limit).
    static let maximumHeaderSize = 100_000_000

    // MARK: Reading

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    public init(data: Data) throws {
        guard data.count >= 8 else {
            throw CheckpointError.truncated(offset: data.count, needed: 8 - data.count, context: "safetensors header length")
        }
        let headerLength = data.withUnsafeBytes { $0.leUInt(at: 0, width: 8)! }
        guard headerLength <= UInt64(Self.maximumHeaderSize), headerLength <= UInt64(data.count - 8) else {
            throw CheckpointError.malformed(offset: 0, reason: "safetensors header length \(headerLength) exceeds the file")
        }
        let bodyStart = 8 + Int(headerLength)
        let headerData = data[(data.startIndex + 8)..<(data.startIndex + bodyStart)]
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let header = json as? [String: Any] else {
            throw CheckpointError.malformed(offset: 8, reason: "safetensors header is not a JSON object")
        }
        var metadata = [String: String]()
        if let raw = header["__metadata__"] {
            guard let map = raw as? [String: String] else {
                throw CheckpointError.malformed(offset: 8, reason: "__metadata__ must map strings to strings")
            }
            metadata = map
        }
        let bodyLength = data.count - bodyStart
        var entries = [(name: String, begin: Int, tensor: CheckpointTensor)]()
        for (name, value) in header where name != "__metadata__" {
            func bad(_ reason: String) -> CheckpointError { .invalidTensor(name: name, reason: reason) }
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                let shapeNumbers = info["shape"] as? [NSNumber], let offsetNumbers = info["data_offsets"] as? [NSNumber],
                offsetNumbers.count == 2
            else {
                throw bad("header entry needs dtype, shape and two data_offsets")
            }
            guard let dtype = CheckpointDType(safetensorsName: dtypeName) else {
                throw CheckpointError.unsupportedFormat("safetensors dtype \(dtypeName) of tensor '\(name)'")
            }
            let shape = try shapeNumbers.map { n -> Int in
                guard let v = Int(exactly: n.doubleValue), v >= 0 else { throw bad("bad shape entry \(n)") }
                return v
            }
            guard let begin = Int(exactly: offsetNumbers[0].doubleValue), let end = Int(exactly: offsetNumbers[1].doubleValue),
                begin >= 0, begin <= end, end <= bodyLength
            else {
                throw bad("data_offsets \(offsetNumbers) outside the \(bodyLength)-byte data section")
            }
            let tensor = try CheckpointTensor(
                contiguous: data, byteOffset: bodyStart + begin, dtype: dtype,
                shape: shape, name: name)
            guard tensor.elementCount * dtype.itemSize == end - begin else {
                throw bad("shape \(shape) of \(dtypeName) needs \(tensor.elementCount * dtype.itemSize) bytes, data_offsets give \(end - begin)")
            }
            entries.append((name, begin, tensor))
        }
        // JSON objects are unordered: keep the tensors in data order (the order they were written).
        entries.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
        tensors = NamedTensors(entries.map { ($0.name, $0.tensor) })
        self.metadata = metadata
    }

    // MARK: Writing

    /// The file's bytes: tensors in collection order, each stored row-major little-endian.
    public func encoded() throws -> Data {
        var header = [String: Any]()
        var offset = 0
        var blobs = [Data]()
        for (name, tensor) in tensors {
            guard name != "__metadata__" else {
                throw CheckpointError.invalidTensor(name: name, reason: "reserved name")
            }
            let bytes = tensor.contiguousLittleEndianBytes()
            header[name] =
                [
                    "dtype": tensor.dtype.safetensorsName, "shape": tensor.shape,
                    "data_offsets": [offset, offset + bytes.count],
                ] as [String: Any]
            offset += bytes.count
            blobs.append(bytes)
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data section starts 8-byte aligned.
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for blob in blobs { out.append(blob) }
        return out
    }

    /// Writes the file atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws {
        try AtomicFile.write(try encoded(), to: url)
    }
}
