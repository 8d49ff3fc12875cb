import TensorCore

/// PyTorch's default initialisers.
public enum Initializers {
    /// U(−bound, bound) with bound = 1/√fanIn: what `kaiming_uniform_(a=√5)` gives for Conv2d/Linear
    /// weights (gain √(1/3) · √(3/fanIn)), and PyTorch's bias initialisation.
    public static func uniformFanIn(_ shape: [Int], fanIn: Int, generator: inout some RandomNumberGenerator) -> Tensor {
        let bound = 1 / Float(fanIn).squareRoot()
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in Float.random(in: -bound...bound, using: &generator) })
    }
}
