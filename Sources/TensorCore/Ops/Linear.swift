import COpenBLAS

/// Row-major single-precision GEMM: C[m, n] = op(A) · op(B) (+ C when `accumulate`), through OpenBLAS.
/// op(A) is [m, k] (A stored [k, m] when `transposeA`); op(B) is [k, n] (B stored [n, k] when `transposeB`).
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool = false
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), 1, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
        accumulate ? 1 : 0, c, Int32(n))
}

/// A plain [rows, columns] tensor from a freshly filled buffer.
private func matrix(_ rows: Int, _ columns: Int, fill: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    let layout = Layout.plain([rows, columns])
    let buffer = CachingAllocator.current.allocate(byteCount: layout.byteCount)
    fill(buffer.floats)
    return Tensor(shape: [rows, columns], layout: layout, buffer: buffer)
}

/// Fully connected layer (PyTorch `nn.functional.linear`): y = x · Wᵀ + b.
/// input [N, F], weight [O, F], bias [O] → [N, O].
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    require(input.shape.count == 2, "linear: input must be [N, F], got \(input.shape)")
    require(
        weight.shape.count == 2 && weight.shape[1] == input.shape[1],
        "linear: weight must be [O, \(input.shape[1])] for input \(input.shape), got \(weight.shape)")
    let (n, f, o) = (input.shape[0], input.shape[1], weight.shape[0])
    if let bias { require(bias.shape == [o], "linear: bias must be [\(o)], got \(bias.shape)") }
    let x = input.plainBuffer(), w = weight.plainBuffer(), b = bias?.plainBuffer()
    let output = matrix(n, o) { y in
        if let b {
            for row in 0..<n { (y + row * o).update(from: b.floats, count: o) }
        }
        gemm(transposeA: false, transposeB: true, m: n, n: o, k: f, a: x.floats, b: w.floats, c: y, accumulate: b != nil)
    }
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return .result("linear", shape: [n, o], layout: output.layout, buffer: output.buffer, inputs: inputs) { gradient in
        let dy = gradient.plainBuffer()
        // dx = dy · W [N, F]; dW = dyᵀ · x [O, F]; db = Σ_n dy.
        let dx =
            input.requiresGradient
            ? matrix(n, f) {
                gemm(transposeA: false, transposeB: false, m: n, n: f, k: o, a: dy.floats, b: w.floats, c: $0)
            } : nil
        let dw =
            weight.requiresGradient
            ? matrix(o, f) {
                gemm(transposeA: true, transposeB: false, m: o, n: f, k: n, a: dy.floats, b: x.floats, c: $0)
            } : nil
        var db: Tensor?
        if let bias, bias.requiresGradient {
            var sums = [Float](repeating: 0, count: o)
            for row in 0..<n { for column in 0..<o { sums[column] += dy.floats[row * o + column] } }
            db = Tensor(shape: [o], scalars: sums)
        }
        return [dx, dw] + (bias.map { _ in [db] } ?? [])
    }
}

/// Matrix product: [M, K] · [K, N] → [M, N].
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    require(
        a.shape.count == 2 && b.shape.count == 2 && a.shape[1] == b.shape[0],
        "matmul: inner dimensions differ, \(a.shape) × \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let lhs = a.plainBuffer(), rhs = b.plainBuffer()
    let output = matrix(m, n) {
        gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: lhs.floats, b: rhs.floats, c: $0)
    }
    return .result("matmul", shape: [m, n], layout: output.layout, buffer: output.buffer, inputs: [a, b]) { gradient in
        let dy = gradient.plainBuffer()
        // dA = dY · Bᵀ [M, K]; dB = Aᵀ · dY [K, N].
        let da =
            a.requiresGradient
            ? matrix(m, k) {
                gemm(transposeA: false, transposeB: true, m: m, n: k, k: n, a: dy.floats, b: rhs.floats, c: $0)
            } : nil
        let db =
            b.requiresGradient
            ? matrix(k, n) {
                gemm(transposeA: true, transposeB: false, m: k, n: n, k: m, a: lhs.floats, b: dy.floats, c: $0)
            } : nil
        return [da, db]
    }
}
