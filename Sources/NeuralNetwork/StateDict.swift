import TensorCore

/// Why a state dict could not be loaded.
public enum ParameterLoadError: Error, Equatable, CustomStringConvertible {
    /// The layer has parameters the state dict lacks.
    case missing(keys: [String])
    /// The state dict has keys the layer does not know.
    case unexpected(keys: [String])
    /// A key exists on both sides with different shapes.
    case shapeMismatch(key: String, expected: [Int], actual: [Int])
    /// The value count does not match the stated shape.
    case malformed(key: String, shape: [Int], valueCount: Int)

    public var description: String {
        switch self {
        case .missing(let keys): return "state dict is missing \(keys.count) key(s): \(keys.joined(separator: ", "))"
        case .unexpected(let keys): return "state dict has \(keys.count) unexpected key(s): \(keys.joined(separator: ", "))"
        case .shapeMismatch(let key, let expected, let actual):
            return "state dict key \(key) has shape \(actual), the model expects \(expected)"
        case .malformed(let key, let shape, let count): return "state dict key \(key): shape \(shape) but \(count) values"
        }
    }
}

/// What `loadStateDict` did.
public struct StateDictLoadReport: Sendable, Equatable {
    public var loaded: [String]
    public var skipped: [String]
}

/// Loads a state dict strictly: missing, unexpected and mis-shaped keys are errors unless `skipping`
/// returns true for them (skipped parameters keep their values). Nothing is changed when it throws.
/// "num_batches_tracked" may be absent (older checkpoints), as PyTorch allows.
@discardableResult
public func loadStateDict(
    _ layer: any Layer, _ tensors: [String: (shape: [Int], values: [Float])],
    skipping: (String) -> Bool = { _ in false }
) throws -> StateDictLoadReport {
    let named = layer.namedParameters()
    try checkStateDictKeys(layer, shapes: tensors.mapValues(\.shape), skipping: skipping, checksShapes: false)
    var report = StateDictLoadReport(loaded: [], skipped: [])
    var updates: [(Parameter, Tensor)] = []
    for (path, parameter) in named {
        guard let entry = tensors[path], !skipping(path) else {
            report.skipped.append(path)
            continue
        }
        let expected = parameter.shape
        // A scalar buffer may arrive as [] or [1].
        let compatible = entry.shape == expected || (expected.isEmpty && entry.values.count == 1)
        guard compatible else { throw ParameterLoadError.shapeMismatch(key: path, expected: expected, actual: entry.shape) }
        guard entry.values.count == expected.reduce(1, *) else {
            throw ParameterLoadError.malformed(key: path, shape: entry.shape, valueCount: entry.values.count)
        }
        updates.append((parameter, Tensor(shape: expected, scalars: entry.values)))
        report.loaded.append(path)
    }
    for (parameter, value) in updates { parameter.value = value }
    return report
}

/// The checks of `loadStateDict` that need only names and shapes: missing and unexpected keys, and
/// (with `checksShapes`) mis-shaped ones. Loaders call it before turning a checkpoint's tensors into
/// values, so that a hostile file (say, zero-stride views of a thousand times their storage) is refused
/// before anything is materialised.
public func checkStateDictKeys(
    _ layer: any Layer, shapes: [String: [Int]], skipping: (String) -> Bool = { _ in false },
    checksShapes: Bool = true
) throws {
    let named = layer.namedParameters()
    let known = Set(named.map(\.path))
    let unexpected = shapes.keys.filter { !known.contains($0) && !skipping($0) }.sorted()
    if !unexpected.isEmpty { throw ParameterLoadError.unexpected(keys: unexpected) }
    let missing = named.map(\.path).filter {
        shapes[$0] == nil && !skipping($0) && !$0.hasSuffix("num_batches_tracked")
    }
    if !missing.isEmpty { throw ParameterLoadError.missing(keys: missing) }
    guard checksShapes else { return }
    for (path, parameter) in named where !skipping(path) {
        guard let shape = shapes[path] else { continue }
        let expected = parameter.shape
        // A scalar buffer may arrive as [] or [1].
        guard shape == expected || (expected.isEmpty && shape.reduce(1, *) == 1) else {
            throw ParameterLoadError.shapeMismatch(key: path, expected: expected, actual: shape)
        }
    }
}

/// Every parameter and buffer as plain values, keyed by PyTorch state-dict path.
public func stateDict(_ layer: any Layer) -> [String: (shape: [Int], values: [Float])] {
    var result: [String: (shape: [Int], values: [Float])] = [:]
    for (path, parameter) in layer.namedParameters() { result[path] = (parameter.shape, parameter.value.scalars()) }
    return result
}
