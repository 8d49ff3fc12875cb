extension Tensor {
    /// Reverse-mode differentiation of this one-element tensor (a loss).
    ///
    /// Sorts the recorded graph topologically, seeds d(self)/d(self) = 1 and runs every pullback once,
    /// summing the gradients of tensors that feed several ops (residual connections). Intermediate
    /// gradients are released as soon as they are consumed; the result holds the leaves' gradients.
    public func backward() -> Gradients {
        require(elementCount == 1, "backward: the loss must have one element, got shape \(shape)")
        return backward(seed: Tensor(shape: shape, repeating: 1))
    }

    /// Vector-Jacobian product: the gradients of Σ self ⊙ seed (PyTorch `y.backward(seed)`), for a
    /// `seed` of this tensor's shape.
    public func backward(seed: Tensor) -> Gradients {
        require(seed.shape == shape, "backward: seed shape \(seed.shape) differs from tensor shape \(shape)")
        var gradients = Gradients()
        guard requiresGradient else { return gradients }

        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed.detached()]
        for node in topologicalOrder().reversed() {
            guard let gradient = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let origin = node.origin else {
                gradients.set(gradient, for: node)
                continue
            }
            let inputGradients = origin.pullback(gradient)
            require(
                inputGradients.count == origin.inputs.count,
                "backward: \(origin.operation) returned \(inputGradients.count) gradients for \(origin.inputs.count) inputs")
            for (input, inputGradient) in zip(origin.inputs, inputGradients) where input.requiresGradient {
                guard let inputGradient else { continue }
                require(
                    inputGradient.shape == input.shape,
                    "backward: \(origin.operation) gave a gradient of shape \(inputGradient.shape) for an input of shape \(input.shape)")
                let key = ObjectIdentifier(input)
                pending[key] = pending[key].map { accumulate($0, inputGradient) } ?? inputGradient
            }
        }
        return gradients
    }

    /// Every tensor that requires a gradient and that self depends on, inputs before outputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = []
        // Iterative depth-first search: deep networks would overflow a recursive one.
        var stack: [(tensor: Tensor, expanded: Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded {
                order.append(tensor)
                continue
            }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.origin?.inputs ?? [] where input.requiresGradient && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}

/// Sum of two gradients of the same tensor, in the first one's layout.
func accumulate(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (buffer, layout) = binaryAdd(a, b)
    return Tensor(shape: a.shape, layout: layout, buffer: buffer)
}
