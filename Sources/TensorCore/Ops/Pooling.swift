import CDNNL

/// Max pooling over kernelSize×kernelSize windows (PyTorch `MaxPool2d(kernelSize, stride, padding)`,
/// floor mode). input [N, C, H, W] → [N, C, (H + 2p − k) / s + 1, (W + 2p − k) / s + 1].
/// The gradient goes to the arg-max of each window.
public func maxPool2d(_ input: Tensor, kernelSize: Int, stride: Int, padding: Int = 0) -> Tensor {
    let (n, c, h, w) = input.nchw("maxPool2d")
    require(
        kernelSize >= 1 && stride >= 1 && padding >= 0 && padding * 2 <= kernelSize,
        "maxPool2d: invalid kernel \(kernelSize), stride \(stride), padding \(padding)")
    let outputHeight = (h + 2 * padding - kernelSize) / stride + 1
    let outputWidth = (w + 2 * padding - kernelSize) / stride + 1
    require(
        outputHeight >= 1 && outputWidth >= 1,
        "maxPool2d: input \(input.shape) is smaller than the \(kernelSize)x\(kernelSize) window")
    let window = PoolingWindow(
        algorithm: dnnl_pooling_max, source: input.layout, output: [n, c, outputHeight, outputWidth],
        kernel: [kernelSize, kernelSize], stride: stride, padding: padding)
    let (buffer, layout, backward) = window.run(input)
    return .result("maxPool2d", shape: window.output, layout: layout, buffer: buffer, inputs: [input]) { gradient in
        [backward(gradient)]
    }
}

/// Mean over H and W: [N, C, H, W] → [N, C] (PyTorch `adaptive_avg_pool2d(x, 1).flatten(1)`).
public func globalAveragePool2d(_ input: Tensor) -> Tensor {
    let (n, c, h, w) = input.nchw("globalAveragePool2d")
    let window = PoolingWindow(
        algorithm: dnnl_pooling_avg_exclude_padding, source: input.layout, output: [n, c, 1, 1],
        kernel: [h, w], stride: 1, padding: 0)
    let (pooled, pooledLayout, backward) = window.run(input)
    // [N, C, 1, 1] in plain order is exactly [N, C] row-major; bf16 pooling results become f32 here.
    let plain = Reorder.convert(pooled, from: pooledLayout, to: .plain([n, c, 1, 1]))
    return .result("globalAveragePool2d", shape: [n, c], layout: .plain([n, c]), buffer: plain, inputs: [input]) { gradient in
        let asPooled = Tensor(shape: [n, c, 1, 1], layout: .plain([n, c, 1, 1]), buffer: gradient.plainBuffer())
        return [backward(asPooled)]
    }
}

/// One oneDNN pooling configuration, forward and backward.
private struct PoolingWindow {
    let algorithm: dnnl_alg_kind_t
    let source: Layout
    let output: [Int]
    let kernel: [Int]
    let stride: Int
    let padding: Int

    private var key: String {
        "\(algorithm.rawValue)|k\(kernel)s\(stride)p\(padding)|\(source.key)"
    }
    private var strides: [Int64] { [Int64(stride), Int64(stride)] }
    private var kernelDims: [Int64] { kernel.map { Int64($0) } }
    private var paddings: [Int64] { [Int64(padding), Int64(padding)] }

    private func forwardPrimitive(training: Bool) -> Primitive {
        let propagation = training ? dnnl_forward_training : dnnl_forward_inference
        return PrimitiveCache.shared.primitive("pool.fwd|\(propagation.rawValue)|\(key)") {
            let destination = Layout.any(output, dataType: source.dataType)
            return Primitive(name: "pooling forward \(key)") { descriptor, engine, _, attributes in
                agdnnl_pooling_forward_pd_create(
                    &descriptor, engine, propagation, algorithm, source.handle,
                    destination.handle, strides, kernelDims, paddings, paddings, attributes)
            }
        }
    }

    /// Runs the forward pass; returns the output and a closure computing dL/dx from dL/dy.
    func run(_ input: Tensor) -> (Buffer, Layout, (Tensor) -> Tensor) {
        let training = recordsGradient([input])
        let forward = forwardPrimitive(training: training)
        let destinationLayout = forward.layout(DNNL_ARG_DST)
        let destination = CachingAllocator.current.allocate(byteCount: destinationLayout.byteCount)
        var arguments = [
            DNNLArgument(index: DNNL_ARG_SRC, layout: source, buffer: input.buffer),
            DNNLArgument(index: DNNL_ARG_DST, layout: destinationLayout, buffer: destination),
        ]
        let workspaceLayout = forward.layout(DNNL_ARG_WORKSPACE)
        var workspace: Buffer?
        if training && forward.uses(DNNL_ARG_WORKSPACE) {
            let buffer = CachingAllocator.current.allocate(byteCount: workspaceLayout.byteCount)
            workspace = buffer
            arguments.append(DNNLArgument(index: DNNL_ARG_WORKSPACE, layout: workspaceLayout, buffer: buffer))
        }
        DNNLContext.shared.execute(forward, arguments)
        let window = self
        return (
            destination, destinationLayout,
            { gradient in
                // Gradients in the forward layouts: with `any`, oneDNN 2.6 picks acdB16b and a ref: kernel.
                let backward = PrimitiveCache.shared.primitive("pool.bwd|\(window.key)|\(destinationLayout.key)") {
                    Primitive(name: "pooling backward \(window.key)", hint: forward) { descriptor, engine, hint, attributes in
                        agdnnl_pooling_backward_pd_create(
                            &descriptor, engine, window.algorithm, window.source.handle,
                            destinationLayout.handle, window.strides, window.kernelDims,
                            window.paddings, window.paddings, hint, attributes)
                    }
                }
                let outputGradientLayout = backward.layout(DNNL_ARG_DIFF_DST)
                let outputGradient = gradient.buffer(in: outputGradientLayout)
                let inputGradientLayout = backward.layout(DNNL_ARG_DIFF_SRC)
                let inputGradient = CachingAllocator.current.allocate(byteCount: inputGradientLayout.byteCount)
                var arguments = [
                    DNNLArgument(index: DNNL_ARG_DIFF_DST, layout: outputGradientLayout, buffer: outputGradient),
                    DNNLArgument(index: DNNL_ARG_DIFF_SRC, layout: inputGradientLayout, buffer: inputGradient),
                ]
                if let workspace {
                    arguments.append(DNNLArgument(index: DNNL_ARG_WORKSPACE, layout: workspaceLayout, buffer: workspace))
                }
                DNNLContext.shared.execute(backward, arguments)
                return Tensor(shape: window.source.dimensions, layout: inputGradientLayout, buffer: inputGradient)
            }
        )
    }
}
