import Foundation

/// A PyTorch `torch.save` checkpoint (legacy or zip container) read as a state dict, without Python.
///
///     let checkpoint = try PyTorchCheckpoint(contentsOf: url)
///     let w = checkpoint.tensors["_conv_stem.weight"]!   // shape [32, 3, 3, 3]
///     let values = w.floats()                            // 864 floats, row-major OIHW
///
/// Only tensors, dicts, lists, tuples and scalars are understood; the file's GLOBALs are checked
/// against an allow-list and never executed, so reading an untrusted file cannot run code.
public struct PyTorchCheckpoint: Sendable {
    public enum ContainerFormat: String, Sendable {
        /// Five pickles + raw storages (torch < 1.6, or `_use_new_zipfile_serialization=False`).
        case legacy
        /// A zip archive with `data.pkl` and one record per storage (torch ≥ 1.6).
        case zip
    }

    public let format: ContainerFormat
    /// The state dict's tensors in file order. Non-tensor entries (e.g. `_extra_state`) are skipped.
    public let tensors: NamedTensors

    /// Keys under which training scripts commonly nest the state dict, tried in this order.
    public static let nestedStateDictKeys = ["state_dict", "model_state_dict", "model", "module", "net", "network"]

    /// Reads a checkpoint file, memory-mapping it when the platform allows.
    public init(contentsOf url: URL, stateDictKey: String? = nil) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, stateDictKey: stateDictKey)
    }

    /// Reads a checkpoint from memory.
    /// - Parameter stateDictKey: the top-level key holding the state dict; `nil` tries
    ///   `nestedStateDictKeys`, then the top-level dict itself.
    public init(data: Data, stateDictKey: String? = nil) throws {
        format = try Self.detectFormat(data)
        let (object, storages) =
            switch format {
            case .legacy: try LegacyContainer.read(data)
            case .zip: try ZipContainer.read(data)
            }
        let stateDict = try Self.findStateDict(object, explicitKey: stateDictKey)
        var tensors = NamedTensors()
        for (key, value) in stateDict.entries {
            guard case let .tensor(reference) = value else { continue }
            let name: String
            switch key {
            case let .string(s): name = s
            case let .int(n): name = String(n)
            default: throw CheckpointError.noStateDict("a state dict key is a \(key.kindName)")
            }
            guard let storage = storages[reference.storage.key] else {
                throw CheckpointError.invalidTensor(name: name, reason: "storage '\(reference.storage.key)' has no data")
            }
            tensors[name] = try CheckpointTensor(
                storage: storage, storageOffset: reference.storageOffset,
                shape: reference.shape, strides: reference.strides, name: name)
        }
        self.tensors = tensors
    }

    /// Tells the container format from the first bytes; rejects the formats we do not read.
    static func detectFormat(_ data: Data) throws -> ContainerFormat {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.starts(with: Array("PYTORCH1".utf8)) {
            throw CheckpointError.unsupportedFormat(
                "'PYTORCH1' is a 2019 preview format that PyTorch itself no longer loads; re-save the state dict with torch.save")
        }
        // Legacy files start with the magic-number pickle: PROTO 2 normally, up to 5 with `pickle_protocol`.
        if head.count >= 2, head[0] == 0x80, (2...5).contains(head[1]) { return .legacy }
        if data.count >= 262, Array(data[(data.startIndex + 257)..<(data.startIndex + 262)]) == Array("ustar".utf8) {
            throw CheckpointError.unsupportedFormat(
                "a tar archive: the pre-2018 torch.save format; load it with old PyTorch and save it again")
        }
        let hex = head.map { String(format: "%02X", $0) }.joined(separator: " ")
        throw CheckpointError.unsupportedFormat("unrecognised first bytes \(hex): not a PyTorch checkpoint")
    }

    /// Picks the dict of tensors out of the unpickled object.
    private static func findStateDict(_ object: PickleValue, explicitKey: String?) throws -> PickleDict {
        guard case let .dict(top) = object else {
            throw CheckpointError.noStateDict("the file holds a \(object.kindName), not a dict")
        }
        func containsTensors(_ dict: PickleDict) -> Bool {
            dict.entries.contains { if case .tensor = $0.value { return true } else { return false } }
        }
        if let explicitKey {
            guard case let .dict(nested)? = top[explicitKey] else {
                throw CheckpointError.noStateDict("no dict under key '\(explicitKey)'")
            }
            return nested
        }
        for key in nestedStateDictKeys {
            if case let .dict(nested)? = top[key], containsTensors(nested) { return nested }
        }
        if containsTensors(top) || top.entries.isEmpty { return top }
        let keys = top.entries.prefix(10).map { entry -> String in
            if case let .string(s) = entry.key { return s } else { return entry.key.kindName }
        }
        throw CheckpointError.noStateDict("no tensors at the top level or under \(nestedStateDictKeys); top-level keys: \(keys)")
    }
}
