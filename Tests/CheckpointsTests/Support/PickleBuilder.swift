import Foundation

/// Assembles protocol-2 pickles opcode by opcode, for pickles torch 1.13 does not write itself
/// (e.g. `_rebuild_from_type_v2`, which newer torch uses for every tensor).
struct PickleBuilder {
    var bytes: [UInt8] = [0x80, 0x02]

    mutating func op(_ byte: UInt8) { bytes.append(byte) }
    mutating func mark() { op(0x28) }
    mutating func global(_ module: String, _ name: String) {
        op(0x63)
        bytes += Array("\(module)\n\(name)\n".utf8)
    }
    mutating func string(_ s: String) {
        op(0x8C)
        bytes.append(UInt8(s.utf8.count))
        bytes += Array(s.utf8)
    }
    mutating func int(_ n: UInt8) {
        op(0x4B)
        bytes.append(n)
    }
    mutating func tuple() { op(0x74) }
    mutating func emptyTuple() { op(0x29) }
    mutating func reduce() { op(0x52) }
    mutating func stop() { op(0x2E) }

    /// `_rebuild_tensor_v2(storage '0' (FloatStorage, numel), offset, size, stride, False, OrderedDict())`
    mutating func rebuildTensor(numel: UInt8, offset: UInt8, size: [UInt8], stride: [UInt8]) {
        global("torch._utils", "_rebuild_tensor_v2")
        rebuildTensorArguments(numel: numel, offset: offset, size: size, stride: stride)
        reduce()
    }

    /// The argument tuple of `_rebuild_tensor_v2` alone.
    mutating func rebuildTensorArguments(numel: UInt8, offset: UInt8, size: [UInt8], stride: [UInt8]) {
        mark()
        mark()
        string("storage")
        global("torch", "FloatStorage")
        string("0")
        string("cpu")
        int(numel)
        tuple()
        op(0x51)  // BINPERSID
        int(offset)
        mark()
        size.forEach { int($0) }
        tuple()
        mark()
        stride.forEach { int($0) }
        tuple()
        op(0x89)  // NEWFALSE
        global("collections", "OrderedDict")
        emptyTuple()
        reduce()
        tuple()
    }
}
