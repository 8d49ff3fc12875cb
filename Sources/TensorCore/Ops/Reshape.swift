extension Tensor {
    /// The same values in row-major order with a new shape of equal element count; one dimension may
    /// be −1 (inferred). Blocked data is reordered to plain first.
    public func reshaped(to newShape: [Int]) -> Tensor {
        let inferred = newShape.filter { $0 == -1 }.count
        require(
            inferred <= 1 && newShape.allSatisfy { $0 > 0 || $0 == -1 },
            "reshaped: invalid target shape \(newShape) for \(shape)")
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        let resolved = newShape.map { $0 == -1 ? elementCount / max(known, 1) : $0 }
        require(
            resolved.reduce(1, *) == elementCount,
            "reshaped: cannot reshape \(shape) (\(elementCount) elements) to \(newShape)")
        let source = self
        return .result("reshaped", shape: resolved, layout: .plain(resolved), buffer: plainBuffer(), inputs: [self]) { gradient in
            [Tensor(shape: source.shape, layout: .plain(source.shape), buffer: gradient.plainBuffer())]
        }
    }
}

/// [N, d1, d2, …] → [N, d1·d2·…] in row-major (NCHW) order, like PyTorch `flatten(1)`.
public func flattened(_ input: Tensor) -> Tensor {
    require(input.shape.count >= 2, "flattened: expected at least 2 dimensions, got \(input.shape)")
    return input.reshaped(to: [input.shape[0], input.shape.dropFirst().reduce(1, *)])
}
