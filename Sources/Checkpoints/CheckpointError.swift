import Foundation

/// Every way reading or writing a checkpoint can fail. Offsets are byte offsets into the file
/// (or into the pickle / zip record named in the message), so a bad file can be inspected with `xxd`.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data ends before `needed` more bytes could be read at `offset`.
    case truncated(offset: Int, needed: Int, context: String)
    /// The bytes at `offset` do not follow the format.
    case malformed(offset: Int, reason: String)
    /// A pickle opcode outside the supported subset.
    case unsupportedOpcode(opcode: UInt8, offset: Int)
    /// A pickle GLOBAL that is not on the allow-list (we never import or execute anything).
    case unsupportedGlobal(module: String, name: String, offset: Int)
    /// A file we recognise but do not read (TorchScript, `PYTORCH1`, tar, unknown dtype …).
    case unsupportedFormat(String)
    /// The checkpoint's object holds no state dict (no tensors found at the expected places).
    case noStateDict(String)
    /// A tensor's shape/stride/offset reaches outside its storage, or a storage is missing.
    case invalidTensor(name: String, reason: String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .truncated(offset, needed, context):
            return "checkpoint truncated: \(context) needs \(needed) byte(s) at offset \(offset)"
        case let .malformed(offset, reason):
            return "malformed checkpoint at byte offset \(offset): \(reason)"
        case let .unsupportedOpcode(opcode, offset):
            return "unsupported pickle opcode 0x\(String(opcode, radix: 16)) at byte offset \(offset)"
        case let .unsupportedGlobal(module, name, offset):
            return "pickle refers to '\(module).\(name)' at byte offset \(offset), which is not an allowed "
                + "tensor/state-dict type (only weights are read; no code is executed)"
        case let .unsupportedFormat(message):
            return "unsupported checkpoint format: \(message)"
        case let .noStateDict(message):
            return "no state dict in checkpoint: \(message)"
        case let .invalidTensor(name, reason):
            return "invalid tensor '\(name)': \(reason)"
        case let .io(path, reason):
            return "cannot access \(path): \(reason)"
        }
    }
}
