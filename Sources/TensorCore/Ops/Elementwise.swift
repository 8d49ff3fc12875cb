import CDNNL

// MARK: - Shared eltwise machinery

/// A oneDNN eltwise function with its two parameters (`alpha`, `beta` as oneDNN defines them).
struct EltwiseFunction {
    var algorithm: dnnl_alg_kind_t
    var alpha: Float = 0
    var beta: Float = 0
    var name: String

    static let relu = EltwiseFunction(algorithm: dnnl_eltwise_relu, name: "relu")
    /// min(max(x, 0), 6) as oneDNN's clip_v2 (gradient 1 strictly inside (0, 6], as PyTorch's hardtanh
    /// up to the measure-zero boundary).
    static let relu6 = EltwiseFunction(algorithm: dnnl_eltwise_clip_v2, alpha: 0, beta: 6, name: "relu6")
    static func linear(scale: Float) -> EltwiseFunction {
        EltwiseFunction(algorithm: dnnl_eltwise_linear, alpha: scale, beta: 0, name: "scaled")
    }

    var key: String { "\(algorithm.rawValue)|\(alpha)|\(beta)" }
}

/// The forward primitive for `function` on data laid out as `layout` (eltwise works in place of any
/// layout, so activations stay blocked).
private func eltwiseForwardPrimitive(_ function: EltwiseFunction, layout: Layout, training: Bool) -> Primitive {
    let propagation = training ? dnnl_forward_training : dnnl_forward_inference
    return PrimitiveCache.shared.primitive("eltwise.fwd|\(function.key)|\(propagation.rawValue)|\(layout.key)") {
        Primitive(name: "\(function.name) forward") { descriptor, engine, _, attributes in
            agdnnl_eltwise_forward_pd_create(
                &descriptor, engine, propagation, function.algorithm, layout.handle,
                function.alpha, function.beta, attributes)
        }
    }
}

/// Applies `function` to every element of `input`; the output keeps the input's layout.
func eltwise(_ input: Tensor, _ function: EltwiseFunction, training: Bool) -> (Buffer, Layout) {
    let primitive = eltwiseForwardPrimitive(function, layout: input.layout, training: training)
    let output = CachingAllocator.current.allocate(byteCount: input.layout.byteCount)
    DNNLContext.shared.execute(
        primitive,
        [
            DNNLArgument(index: DNNL_ARG_SRC, layout: input.layout, buffer: input.buffer),
            DNNLArgument(index: DNNL_ARG_DST, layout: input.layout, buffer: output),
        ])
    return (output, input.layout)
}

/// dL/dx for y = function(x), given dL/dy (`gradient`) and the forward input `source`.
private func eltwiseBackward(_ gradient: Tensor, source: Tensor, _ function: EltwiseFunction) -> Tensor {
    let layout = source.layout
    let forward = eltwiseForwardPrimitive(function, layout: layout, training: true)
    let primitive = PrimitiveCache.shared.primitive("eltwise.bwd|\(function.key)|\(layout.key)") {
        Primitive(name: "\(function.name) backward", hint: forward) { descriptor, engine, hint, attributes in
            agdnnl_eltwise_backward_pd_create(
                &descriptor, engine, function.algorithm, layout.handle, function.alpha,
                function.beta, hint, attributes)
        }
    }
    let outputGradient = gradient.buffer(in: layout)
    let inputGradient = CachingAllocator.current.allocate(byteCount: layout.byteCount)
    DNNLContext.shared.execute(
        primitive,
        [
            DNNLArgument(index: DNNL_ARG_SRC, layout: layout, buffer: source.buffer),
            DNNLArgument(index: DNNL_ARG_DIFF_DST, layout: layout, buffer: outputGradient),
            DNNLArgument(index: DNNL_ARG_DIFF_SRC, layout: layout, buffer: inputGradient),
        ])
    return Tensor(shape: source.shape, layout: layout, buffer: inputGradient)
}

private func activation(_ input: Tensor, _ function: EltwiseFunction) -> Tensor {
    let (buffer, layout) = eltwise(input, function, training: recordsGradient([input]))
    return .result(function.name, shape: input.shape, layout: layout, buffer: buffer, inputs: [input]) { gradient in
        [eltwiseBackward(gradient, source: input, function)]
    }
}

// MARK: - Public ops

/// max(x, 0), elementwise. Gradient: dy where x > 0, else 0.
public func relu(_ input: Tensor) -> Tensor { activation(input, .relu) }

/// min(max(x, 0), 6), elementwise (MobileNetV2 / EfficientNet-Lite). Gradient: dy where 0 < x < 6.
public func relu6(_ input: Tensor) -> Tensor { activation(input, .relu6) }

/// x · factor, elementwise.
public func scaled(_ input: Tensor, by factor: Float) -> Tensor {
    let (buffer, layout) = eltwise(input, .linear(scale: factor), training: false)
    return .result("scaled", shape: input.shape, layout: layout, buffer: buffer, inputs: [input]) { gradient in
        [scaled(gradient, by: factor)]
    }
}

/// a + b for tensors of the same shape (residual connections). The output takes `a`'s layout.
public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    require(a.shape == b.shape, "add: shapes differ, \(a.shape) vs \(b.shape)")
    let (buffer, layout) = binaryAdd(a, b)
    return .result("add", shape: a.shape, layout: layout, buffer: buffer, inputs: [a, b]) { gradient in
        [a.requiresGradient ? gradient : nil, b.requiresGradient ? gradient : nil]
    }
}

/// a + b on raw buffers: b is reordered to a's layout, then oneDNN's binary add runs.
func binaryAdd(_ a: Tensor, _ b: Tensor) -> (Buffer, Layout) {
    let layout = a.layout
    let primitive = PrimitiveCache.shared.primitive("binary.add|\(layout.key)") {
        Primitive(name: "add") { descriptor, engine, _, attributes in
            agdnnl_binary_pd_create(&descriptor, engine, dnnl_binary_add, layout.handle, attributes)
        }
    }
    let other = b.buffer(in: layout)
    let output = CachingAllocator.current.allocate(byteCount: layout.byteCount)
    DNNLContext.shared.execute(
        primitive,
        [
            DNNLArgument(index: DNNL_ARG_SRC_0, layout: layout, buffer: a.buffer),
            DNNLArgument(index: DNNL_ARG_SRC_1, layout: layout, buffer: other),
            DNNLArgument(index: DNNL_ARG_DST, layout: layout, buffer: output),
        ])
    return (output, layout)
}
