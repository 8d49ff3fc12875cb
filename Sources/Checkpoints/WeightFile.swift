import Foundation

/// Reads the tensors of a weight file of either kind we support, chosen by content, not name:
/// a PyTorch checkpoint (`.pth`, `.pt`, `.bin`; legacy or zip) or a safetensors file.
public enum WeightFile {
    public enum Kind: String, Sendable { case pytorch, safetensors }

    public static func tensors(contentsOf url: URL) throws -> NamedTensors {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
        }
        return try tensors(data: data)
    }

    public static func tensors(data: Data) throws -> NamedTensors {
        switch kind(of: data) {
        case .safetensors: return try SafetensorsFile(data: data).tensors
        case .pytorch: return try PyTorchCheckpoint(data: data).tensors
        }
    }

    /// Safetensors starts with a plausible 8-byte header length followed by `{`; anything else is
    /// treated as PyTorch (whose reader explains what it does not recognise).
    public static func kind(of data: Data) -> Kind {
        let looksLikeSafetensors = data.withUnsafeBytes { raw -> Bool in
            guard let length = raw.leUInt(at: 0, width: 8), raw.count > 8, length <= UInt64(raw.count - 8) else { return false }
            return raw[8] == UInt8(ascii: "{")
        }
        return looksLikeSafetensors ? .safetensors : .pytorch
    }
}
