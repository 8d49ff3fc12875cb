import TensorCore

/// Anything that owns parameters. Paths are PyTorch state-dict keys relative to the layer.
public protocol Layer: AnyObject {
    /// Every parameter and buffer under this layer, keyed by its PyTorch state-dict path relative to the
    /// layer ("weight", "bias", "running_mean", "running_var"; composites prefix "0.", "conv.1." ...).
    func namedParameters() -> [(path: String, parameter: Parameter)]
}

/// A layer with a single-tensor forward pass, so that it can be chained in `Sequential`.
public protocol SequentialLayer: Layer {
    func forward(_ input: Tensor, mode: ForwardMode) -> Tensor
}

extension Layer {
    /// Parameters and buffers in registration order.
    public var parameters: [Parameter] { namedParameters().map(\.parameter) }

    /// The parameters an optimizer should update.
    public var trainableParameters: [Parameter] { parameters.filter(\.isTrainable) }

    /// Freezes (isTrainable = false) every non-buffer parameter whose path matches.
    public func freeze(where matches: (String) -> Bool = { _ in true }) {
        for (path, parameter) in namedParameters() where !parameter.isBuffer && matches(path) { parameter.isTrainable = false }
    }

    /// Unfreezes every non-buffer parameter whose path matches.
    public func unfreeze(where matches: (String) -> Bool = { _ in true }) {
        for (path, parameter) in namedParameters() where !parameter.isBuffer && matches(path) { parameter.isTrainable = true }
    }

    /// Total element count of the non-buffer parameters.
    public var parameterCount: Int { parameters.filter { !$0.isBuffer }.reduce(0) { $0 + $1.value.elementCount } }
}

/// Prefixes child paths: `prefixed("features.3", child.namedParameters())` → "features.3.weight" ...
public func prefixed(_ prefix: String, _ entries: [(path: String, parameter: Parameter)]) -> [(path: String, parameter: Parameter)] {
    entries.map { (prefix.isEmpty ? $0.path : "\(prefix).\($0.path)", $0.parameter) }
}

/// A layer built from named sublayers, listed once in `children`: its parameters are theirs under
/// their names (PyTorch state-dict paths, `name.weight`; an empty name splices a child's paths in
/// unchanged), and folding batch norm reaches every child that can fold. A composite that folds
/// differently (a convolution with the batch norm after it) keeps `children` for its parameters
/// and implements `foldBatchNorms` itself.
public protocol CompositeLayer: Layer, BatchNormFoldable {
    var children: [(name: String, layer: any Layer)] { get }
}

extension CompositeLayer {
    public func namedParameters() -> [(path: String, parameter: Parameter)] {
        children.flatMap { prefixed($0.name, $0.layer.namedParameters()) }
    }

    public func foldBatchNorms() {
        for child in children { (child.layer as? any BatchNormFoldable)?.foldBatchNorms() }
    }
}
