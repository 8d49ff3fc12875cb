import Foundation

/// A minimal pickle virtual machine for `torch.save` state dicts.
///
/// It never imports or calls anything: GLOBALs are mapped to `AllowedGlobal` tags (anything else is
/// rejected) and REDUCE on a tag builds the corresponding plain value (`OrderedDict` → dict,
/// `_rebuild_tensor_v2` → tensor reference). The machine is iterative (no recursion), checks every
/// read against the buffer, every pop against the stack and every memo lookup against the memo.
struct PickleMachine {
    private var reader: ByteReader
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Storages seen in persistent ids, by key: tensors that share a storage share one reference.
    var storages: [String: StorageReference]
    private(set) var opcodeOffset = 0

    /// - Parameters:
    ///   - bytes: the buffer holding the pickle (and possibly more after its STOP).
    ///   - baseOffset: absolute file offset of `bytes[0]`, for error messages.
    ///   - storages: storages already known (legacy files share them across pickles).
    init(
        bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, context: String = "pickle",
        storages: [String: StorageReference] = [:]
    ) {
        reader = ByteReader(bytes, baseOffset: baseOffset, context: context)
        self.storages = storages
    }

    /// Bytes consumed so far (after `run`, the offset just past STOP relative to the buffer start).
    var consumed: Int { reader.position }

    /// Bounds on what one pickle may make the machine hold. A state dict's pickle is tens of kilobytes
    /// with a few thousand stack and memo entries (EfficientNet-Lite4: 44 KB); a hostile one of a few
    /// megabytes could otherwise pile up millions of values.
    static let maximumPickleBytes = 64 << 20
    static let maximumStackEntries = 1_000_000
    static let maximumMemoEntries = 1_000_000

    /// Runs until STOP and returns the pickled object.
    mutating func run() throws -> PickleValue {
        while true {
            opcodeOffset = reader.absolutePosition
            guard reader.position <= Self.maximumPickleBytes else {
                throw malformed("the pickle is longer than \(Self.maximumPickleBytes) bytes")
            }
            let byte = try reader.u8()
            guard let op = PickleOpcode(rawValue: byte) else {
                throw CheckpointError.unsupportedOpcode(opcode: byte, offset: opcodeOffset)
            }
            if op == .stop {
                let result = try pop()
                return result
            }
            try execute(op)
        }
    }

    // MARK: - Stack helpers

    func malformed(_ reason: String) -> CheckpointError {
        .malformed(offset: opcodeOffset, reason: reason)
    }

    /// Number of items above the innermost MARK (CPython keeps marked frames separate, too).
    private var itemsAboveMark: Int { stack.count - (marks.last ?? 0) }

    private mutating func pop() throws -> PickleValue {
        guard itemsAboveMark > 0, let top = stack.popLast() else { throw malformed("stack underflow") }
        return top
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw malformed("no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func top() throws -> PickleValue {
        guard itemsAboveMark > 0, let value = stack.last else { throw malformed("stack underflow") }
        return value
    }

    private mutating func push(_ value: PickleValue) throws {
        guard stack.count < Self.maximumStackEntries else {
            throw malformed("more than \(Self.maximumStackEntries) values on the stack")
        }
        stack.append(value)
    }

    private mutating func remember(_ value: PickleValue, at index: Int) throws {
        guard memo.count < Self.maximumMemoEntries || memo[index] != nil else {
            throw malformed("more than \(Self.maximumMemoEntries) memo entries")
        }
        memo[index] = value
    }

    private mutating func string(_ count: Int, utf8Only: Bool = true) throws -> String {
        try decode(try reader.take(count), utf8Only: utf8Only)
    }

    private func decode(_ raw: UnsafeRawBufferPointer, utf8Only: Bool) throws -> String {
        if let s = String(bytes: raw, encoding: .utf8) { return s }
        if utf8Only { throw malformed("string is not valid UTF-8") }
        return String(raw.map { Character(Unicode.Scalar($0)) })  // Python 2 str: Latin-1
    }

    private mutating func length(width: Int) throws -> Int {
        let raw = try reader.uintLE(width)
        guard raw <= UInt64(reader.remaining) else {
            throw CheckpointError.truncated(
                offset: reader.absolutePosition, needed: Int(clamping: raw),
                context: "pickle string/bytes")
        }
        return Int(raw)
    }

    // MARK: - Opcodes

    private mutating func execute(_ op: PickleOpcode) throws {
        switch op {
        case .proto:
            let version = try reader.u8()
            guard version <= 5 else { throw malformed("pickle protocol \(version)") }
        case .frame:
            _ = try reader.u64()
        case .stop:
            break
        case .mark:
            marks.append(stack.count)
        case .pop:
            if let mark = marks.last, mark == stack.count { _ = try popToMark() } else { _ = try pop() }
        case .popMark:
            _ = try popToMark()
        case .dup:
            try push(try top())
        case .none: try push(.none)
        case .newTrue: try push(.bool(true))
        case .newFalse: try push(.bool(false))
        case .binInt: try push(.int(Int(try reader.i32())))
        case .binInt1: try push(.int(Int(try reader.u8())))
        case .binInt2: try push(.int(Int(try reader.u16())))
        case .long1: try push(try long(byteCount: Int(try reader.u8())))
        case .long4:
            let count = Int(try reader.i32())
            guard count >= 0 else { throw malformed("negative LONG4 length") }
            try push(try long(byteCount: count))
        case .binFloat:
            let bits = try reader.u64().byteSwapped  // big-endian on the wire
            try push(.float(Double(bitPattern: bits)))
        case .binUnicode: try push(.string(try string(try length(width: 4))))
        case .shortBinUnicode: try push(.string(try string(try length(width: 1))))
        case .binUnicode8: try push(.string(try string(try length(width: 8))))
        case .binString: try push(.string(try string(try length(width: 4), utf8Only: false)))
        case .shortBinString: try push(.string(try string(try length(width: 1), utf8Only: false)))
        case .binBytes: try push(.bytes(Data(try reader.take(try length(width: 4)))))
        case .shortBinBytes: try push(.bytes(Data(try reader.take(try length(width: 1)))))
        case .emptyTuple: try push(.tuple([], depth: 1))
        case .tuple: try push(try makeTuple(try popToMark()))
        case .tuple1:
            let a = try pop()
            try push(try makeTuple([a]))
        case .tuple2:
            let b = try pop(), a = try pop()
            try push(try makeTuple([a, b]))
        case .tuple3:
            let c = try pop(), b = try pop(), a = try pop()
            try push(try makeTuple([a, b, c]))
        case .emptyList: try push(.list(PickleList()))
        case .list:
            let list = PickleList()
            try append(try popToMark(), to: list)
            try push(.list(list))
        case .append:
            let item = try pop()
            guard case let .list(list) = try top() else { throw malformed("APPEND to a non-list") }
            try append([item], to: list)
        case .appends:
            let items = try popToMark()
            guard case let .list(list) = try top() else { throw malformed("APPENDS to a non-list") }
            try append(items, to: list)
        case .emptyDict: try push(.dict(PickleDict()))
        case .dict:
            let items = try popToMark()
            let dict = PickleDict()
            try setItems(dict, items)
            try push(.dict(dict))
        case .setItem:
            let value = try pop(), key = try pop()
            guard case let .dict(dict) = try top() else { throw malformed("SETITEM on a non-dict") }
            try setItems(dict, [key, value])
        case .setItems:
            let items = try popToMark()
            guard case let .dict(dict) = try top() else { throw malformed("SETITEMS on a non-dict") }
            try setItems(dict, items)
        case .binPut: try remember(try top(), at: Int(try reader.u8()))
        case .longBinPut: try remember(try top(), at: Int(try reader.u32()))
        case .memoize: try remember(try top(), at: memo.count)
        case .binGet: try push(try memoValue(Int(try reader.u8())))
        case .longBinGet: try push(try memoValue(Int(try reader.u32())))
        case .global:
            let module = try decode(try reader.line(), utf8Only: true)
            let name = try decode(try reader.line(), utf8Only: true)
            try push(try allowedGlobal(module: module, name: name))
        case .stackGlobal:
            guard case let .string(name) = try pop(), case let .string(module) = try pop() else {
                throw malformed("STACK_GLOBAL needs two strings")
            }
            try push(try allowedGlobal(module: module, name: name))
        case .reduce, .newObj:
            let args = try pop(), callable = try pop()
            guard case let .tuple(arguments, _) = args else { throw malformed("REDUCE arguments are not a tuple") }
            try push(try reduce(callable, arguments))
        case .build:
            _ = try pop()  // the state (e.g. a state dict's `_metadata`) is not needed for weights
            _ = try top()
        case .binPersId:
            try push(try persistentLoad(try pop()))
        }
    }

    private func memoValue(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw malformed("memo index \(index) was never stored") }
        return value
    }

    // MARK: - Containers and their nesting depth

    /// Deepest allowed nesting of tuples, lists and dicts. State dicts nest a handful of levels; the
    /// bound matters because Swift releases nested values recursively, so a hostile file of a
    /// million TUPLE1 opcodes would otherwise overflow the stack when its value is dropped.
    static let maximumNesting = 256

    /// The depth of a container holding `items`, checked against the limit.
    private func depth(containing items: [PickleValue]) throws -> Int {
        let depth = 1 + (items.map(\.nestingDepth).max() ?? 0)
        guard depth <= Self.maximumNesting else {
            throw malformed("containers nested more than \(Self.maximumNesting) deep")
        }
        return depth
    }

    /// Marks lists and dicts placed inside a container: from then on they may not get deeper, so the
    /// depth recorded in every enclosing container stays an upper bound.
    private func markNested(_ items: [PickleValue]) {
        for item in items {
            switch item {
            case let .list(list): list.isNested = true
            case let .dict(dict): dict.isNested = true
            default: break
            }
        }
    }

    private func makeTuple(_ items: [PickleValue]) throws -> PickleValue {
        let depth = try depth(containing: items)
        markNested(items)
        return .tuple(items, depth: depth)
    }

    private func append(_ items: [PickleValue], to list: PickleList) throws {
        let depth = max(list.depth, try depth(containing: items))
        guard depth == list.depth || !list.isNested else {
            throw malformed("a list grew deeper after being nested (recursive structures are not supported)")
        }
        list.depth = depth
        markNested(items)
        list.items.append(contentsOf: items)
    }

    /// Adds `items` (key, value, key, value, …) to `dict`.
    func setItems(_ dict: PickleDict, _ items: [PickleValue]) throws {
        guard items.count % 2 == 0 else { throw malformed("odd number of items for a dict") }
        let depth = max(dict.depth, try depth(containing: items))
        guard depth == dict.depth || !dict.isNested else {
            throw malformed("a dict grew deeper after being nested (recursive structures are not supported)")
        }
        dict.depth = depth
        markNested(items)
        for i in stride(from: 0, to: items.count, by: 2) { dict.set(items[i], items[i + 1]) }
    }

    private mutating func long(byteCount: Int) throws -> PickleValue {
        let raw = Array(try reader.take(byteCount))
        guard byteCount <= 8 else { return .bigInt(raw) }
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        if byteCount > 0, byteCount < 8, raw[byteCount - 1] & 0x80 != 0 {
            value |= ~UInt64(0) << (8 * UInt64(byteCount))  // sign-extend
        }
        return .int(Int(Int64(bitPattern: value)))
    }

    private func allowedGlobal(module: String, name: String) throws -> PickleValue {
        guard let global = AllowedGlobal(module: module, name: name) else {
            throw CheckpointError.unsupportedGlobal(module: module, name: name, offset: opcodeOffset)
        }
        return .global(global)
    }
}
