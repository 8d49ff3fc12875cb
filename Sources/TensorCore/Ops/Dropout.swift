import CDNNL

/// Inverted dropout (PyTorch `nn.functional.dropout`): in `.training` each element is zeroed with
/// probability p and the survivors are scaled by 1 / (1 − p); in `.inference` the input is returned.
/// The mask is drawn from `generator`, so a seeded generator makes it reproducible.
public func dropout(
    _ input: Tensor, probability: Float, mode: ForwardMode,
    generator: inout some RandomNumberGenerator
) -> Tensor {
    require(probability >= 0 && probability < 1, "dropout: probability must be in [0, 1), got \(probability)")
    guard mode == .training, probability > 0 else { return input }
    // The mask covers the physical buffer (padding lanes included: they are zero and stay zero).
    // bf16 activations are widened to f32 first: the loop below reads and writes floats.
    let layout = input.layout.isFloat32 ? input.layout : input.layout.converted(to: dnnl_f32)
    let source = input.buffer(in: layout)
    let count = layout.elementCapacity
    let mask = CachingAllocator.current.allocate(byteCount: layout.byteCount)
    let keepScale = 1 / (1 - probability)
    // 24-bit uniform draws, two per 64-bit random word.
    let threshold = UInt64((Double(probability) * Double(1 << 24)).rounded())
    var index = 0
    while index < count {
        let word = generator.next()
        for part in 0..<2 where index < count {
            let draw = (word >> (UInt64(part) * 32)) & 0xFF_FFFF
            mask.floats[index] = draw < threshold ? 0 : keepScale
            index += 1
        }
    }
    let output = multiplied(source, mask, count: count, layout: layout)
    return .result("dropout", shape: input.shape, layout: layout, buffer: output, inputs: [input]) { gradient in
        [
            Tensor(
                shape: input.shape, layout: layout,
                buffer: multiplied(gradient.buffer(in: layout), mask, count: count, layout: layout))
        ]
    }
}

/// Elementwise product of two buffers of `count` floats.
private func multiplied(_ a: Buffer, _ b: Buffer, count: Int, layout: Layout) -> Buffer {
    let output = CachingAllocator.current.allocate(byteCount: layout.byteCount)
    let x = a.floats, y = b.floats, z = output.floats
    for i in 0..<count { z[i] = x[i] * y[i] }
    return output
}
