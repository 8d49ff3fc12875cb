import Foundation

/// A value on the pickle machine's stack. Lists and dicts are reference types (`PickleList`,
/// `PickleDict`) because the memo must hand back the *same* object that later opcodes mutate.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int` (little-endian two's complement bytes), e.g. the legacy magic.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes(Data)
    /// Items and nesting depth (1 + the deepest item's depth).
    case tuple([PickleValue], depth: Int)
    case list(PickleList)
    case dict(PickleDict)
    /// An allowed GLOBAL, never executed.
    case global(AllowedGlobal)
    /// A storage reference from a persistent id; resolved to bytes by the container.
    case storage(StorageReference)
    /// A tensor rebuilt from `_rebuild_tensor_v2` (not yet bound to storage bytes).
    case tensor(TensorReference)
    /// An object we do not need but must carry (e.g. an `OrderedDict` of backward hooks' type).
    case opaque(String)

    /// How many containers deep this value is (0 for scalars). Bounded by `PickleMachine.maximumNesting`.
    var nestingDepth: Int {
        switch self {
        case let .tuple(_, depth): return depth
        case let .list(list): return list.depth
        case let .dict(dict): return dict.depth
        default: return 0
        }
    }

    var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case let .global(g): return "global \(g)"
        case .storage: return "storage"
        case .tensor: return "tensor"
        case let .opaque(name): return name
        }
    }
}

final class PickleList {
    var items: [PickleValue] = []
    /// See `PickleValue.nestingDepth`; `isNested` is set once the list is inside another container.
    var depth = 1
    var isNested = false
}

/// An insertion-ordered dict (Python dicts and `OrderedDict` keep insertion order). Keys that are
/// strings or ints are indexed so a repeated SETITEM replaces the earlier value, as in Python.
final class PickleDict {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var stringIndex: [String: Int] = [:]
    private var intIndex: [Int: Int] = [:]
    var depth = 1
    var isNested = false

    func set(_ key: PickleValue, _ value: PickleValue) {
        switch key {
        case let .string(s):
            if let i = stringIndex[s] {
                entries[i].value = value
                return
            }
            stringIndex[s] = entries.count
        case let .int(n):
            if let i = intIndex[n] {
                entries[i].value = value
                return
            }
            intIndex[n] = entries.count
        default:
            break
        }
        entries.append((key, value))
    }

    subscript(key: String) -> PickleValue? {
        stringIndex[key].map { entries[$0].value }
    }
}

/// The GLOBALs a state dict legitimately needs (what `torch.load(weights_only=True)` allows).
enum AllowedGlobal: Equatable, CustomStringConvertible {
    case orderedDict
    case rebuildTensorV2
    case rebuildParameter
    case rebuildParameterWithState
    case rebuildFromTypeV2
    case storageType(CheckpointDType)
    /// A class used only as a tag (e.g. `torch.nn.parameter.Parameter` in `_rebuild_from_type_v2`).
    case tensorClass(String)

    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch._tensor", "_rebuild_from_type_v2"): self = .rebuildFromTypeV2
        case ("torch.nn.parameter", "Parameter"), ("torch", "Tensor"), ("torch._tensor", "Tensor"):
            self = .tensorClass("\(module).\(name)")
        case ("torch", _):
            guard let dtype = CheckpointDType(storageClassName: name) else { return nil }
            self = .storageType(dtype)
        default:
            return nil
        }
    }

    var description: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .rebuildFromTypeV2: return "torch._tensor._rebuild_from_type_v2"
        case let .storageType(dtype): return "storage type \(dtype)"
        case let .tensorClass(name): return name
        }
    }
}

/// `('storage', type, key, location, numel[, view_metadata])` from a BINPERSID.
final class StorageReference {
    let key: String
    let dtype: CheckpointDType
    let elementCount: Int
    init(key: String, dtype: CheckpointDType, elementCount: Int) {
        self.key = key
        self.dtype = dtype
        self.elementCount = elementCount
    }
}

/// The arguments of `_rebuild_tensor_v2(storage, offset, size, stride, …)`, in elements.
struct TensorReference {
    let storage: StorageReference
    let storageOffset: Int
    let shape: [Int]
    let strides: [Int]
}
