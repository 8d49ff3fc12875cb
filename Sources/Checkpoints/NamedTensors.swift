/// An insertion-ordered collection of named tensors (a state dict). Order is the file's order.
public struct NamedTensors: Sendable, RandomAccessCollection {
    public typealias Element = (name: String, tensor: CheckpointTensor)

    public private(set) var entries: [Element]
    private var index: [String: Int]

    public init(_ entries: [Element] = []) {
        self.entries = []
        self.index = [:]
        for entry in entries { self[entry.name] = entry.tensor }
    }

    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> Element { entries[position] }

    /// The tensor called `name`; setting replaces it in place or appends it.
    public subscript(name: String) -> CheckpointTensor? {
        get { index[name].map { entries[$0].tensor } }
        set {
            if let position = index[name] {
                if let newValue { entries[position].tensor = newValue } else { remove(at: position) }
            } else if let newValue {
                index[name] = entries.count
                entries.append((name, newValue))
            }
        }
    }

    public var names: [String] { entries.map(\.name) }

    private mutating func remove(at position: Int) {
        entries.remove(at: position)
        index = [:]
        for (i, entry) in entries.enumerated() { index[entry.name] = i }
    }
}
