import TensorCore

/// Layers applied in order; parameter paths are prefixed with the index ("0.weight", "1.running_mean"),
/// as in `torch.nn.Sequential`.
public final class Sequential: SequentialLayer, CompositeLayer {
    public let layers: [any SequentialLayer]

    public init(_ layers: [any SequentialLayer]) { self.layers = layers }

    public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor {
        layers.reduce(input) { $1.forward($0, mode: mode) }
    }

    public func callAsFunction(_ input: Tensor, mode: ForwardMode) -> Tensor { forward(input, mode: mode) }

    public var children: [(name: String, layer: any Layer)] { layers.enumerated().map { (String($0.offset), $0.element) } }
}

/// A parameter-free function as a layer (ReLU6, pooling, flattening) for use in `Sequential`.
public final class Lambda: SequentialLayer {
    private let body: (Tensor, ForwardMode) -> Tensor

    public init(_ body: @escaping (Tensor) -> Tensor) { self.body = { input, _ in body(input) } }
    public init(_ body: @escaping (Tensor, ForwardMode) -> Tensor) { self.body = body }

    public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor { body(input, mode) }
    public func namedParameters() -> [(path: String, parameter: Parameter)] { [] }

    public static var relu: Lambda { Lambda { TensorCore.relu($0) } }
    public static var relu6: Lambda { Lambda { TensorCore.relu6($0) } }
    public static var globalAveragePool: Lambda { Lambda { globalAveragePool2d($0) } }
    public static var flatten: Lambda { Lambda { flattened($0) } }
}
