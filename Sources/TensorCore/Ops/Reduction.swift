/// The mean of all elements, as a scalar (shape []).
public func mean(_ input: Tensor) -> Tensor {
    let count = input.elementCount
    let values = input.plainBuffer()
    var sum = 0.0
    for i in 0..<count { sum += Double(values.floats[i]) }
    let output = Tensor(shape: [], scalars: [Float(sum / Double(count))])
    return .result("mean", shape: [], layout: output.layout, buffer: output.buffer, inputs: [input]) { gradient in
        [Tensor(shape: input.shape, repeating: gradient.item() / Float(count))]
    }
}
