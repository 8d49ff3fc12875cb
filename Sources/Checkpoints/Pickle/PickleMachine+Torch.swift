import Foundation

/// The PyTorch-specific part of the pickle machine: what REDUCE on an allowed GLOBAL produces, and
/// how a persistent id becomes a storage reference.
extension PickleMachine {
    /// REDUCE / NEWOBJ: `callable(*arguments)` for the few allowed callables, built without running code.
    mutating func reduce(_ callable: PickleValue, _ arguments: [PickleValue]) throws -> PickleValue {
        guard case let .global(global) = callable else {
            throw malformed("REDUCE on a \(callable.kindName), which is not callable")
        }
        switch global {
        case .orderedDict:
            let dict = PickleDict()
            // `OrderedDict()` or `OrderedDict([(k, v), …])`.
            if let first = arguments.first {
                let pairs: [PickleValue]
                switch first {
                case let .list(list): pairs = list.items
                case let .tuple(items, _): pairs = items
                default: throw malformed("OrderedDict argument is a \(first.kindName)")
                }
                var flat = [PickleValue]()
                for pair in pairs {
                    guard case let .tuple(kv, _) = pair, kv.count == 2 else { throw malformed("OrderedDict item is not a pair") }
                    flat += kv
                }
                try setItems(dict, flat)
            }
            return .dict(dict)
        case .rebuildTensorV2:
            return .tensor(try rebuildTensor(arguments))
        case .rebuildParameter, .rebuildParameterWithState:
            // (data, requires_grad, backward_hooks[, state]): a Parameter is its data tensor.
            guard let data = arguments.first, case .tensor = data else {
                throw malformed("_rebuild_parameter without a tensor")
            }
            return data
        case .rebuildFromTypeV2:
            // (func, type, args, state): apply func to args; the subclass type and state are dropped.
            guard arguments.count >= 3, case let .tuple(inner, _) = arguments[2] else {
                throw malformed("_rebuild_from_type_v2 needs (func, type, args, state)")
            }
            if case .global(.rebuildFromTypeV2) = arguments[0] { throw malformed("nested _rebuild_from_type_v2") }
            return try reduce(arguments[0], inner)
        case .storageType, .tensorClass:
            throw malformed("\(global) is not callable in a state dict")
        }
    }

    private func integer(_ value: PickleValue, _ what: String) throws -> Int {
        guard case let .int(n) = value else { throw malformed("\(what) is a \(value.kindName), expected int") }
        return n
    }

    private func integers(_ value: PickleValue, _ what: String) throws -> [Int] {
        let items: [PickleValue]
        switch value {
        case let .tuple(t, _): items = t
        case let .list(l): items = l.items
        default: throw malformed("\(what) is a \(value.kindName), expected a tuple of ints")
        }
        return try items.map { try integer($0, what) }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`.
    private func rebuildTensor(_ arguments: [PickleValue]) throws -> TensorReference {
        guard arguments.count >= 4, case let .storage(storage) = arguments[0] else {
            throw malformed("_rebuild_tensor_v2 needs (storage, offset, size, stride, …)")
        }
        let offset = try integer(arguments[1], "storage offset")
        let shape = try integers(arguments[2], "size")
        let strides = try integers(arguments[3], "stride")
        guard shape.count == strides.count else { throw malformed("size and stride differ in length") }
        return TensorReference(storage: storage, storageOffset: offset, shape: shape, strides: strides)
    }

    /// BINPERSID: `('storage', <storage type>, key, location, numel[, view_metadata])`.
    mutating func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        guard case let .tuple(fields, _) = pid, fields.count == 5 || fields.count == 6,
            case .string("storage") = fields[0]
        else {
            throw malformed("persistent id is not ('storage', type, key, location, numel)")
        }
        guard case let .global(.storageType(dtype)) = fields[1] else {
            throw malformed("persistent id storage type is a \(fields[1].kindName)")
        }
        let key: String
        switch fields[2] {
        case let .string(s): key = s
        case let .int(n): key = String(n)
        default: throw malformed("storage key is a \(fields[2].kindName)")
        }
        let count = try integer(fields[4], "storage element count")
        guard count >= 0 else { throw malformed("negative storage element count \(count)") }
        if fields.count == 6, case .tuple = fields[5] {
            throw CheckpointError.unsupportedFormat("pre-1.0 storage views (view_metadata) at offset \(opcodeOffset)")
        }
        if let known = storages[key] {
            guard known.dtype == dtype, known.elementCount == count else {
                throw malformed("storage '\(key)' declared twice with different type or size")
            }
            return .storage(known)
        }
        let reference = StorageReference(key: key, dtype: dtype, elementCount: count)
        storages[key] = reference
        return .storage(reference)
    }
}
