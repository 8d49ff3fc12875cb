/// Explicit zero padding of a 2-D window op, possibly asymmetric (TensorFlow "SAME" puts the extra
/// row/column at the bottom/right).
public struct Padding2D: Hashable, Sendable, CustomStringConvertible {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        require(min(top, left, bottom, right) >= 0, "Padding2D: negative padding \((top, left, bottom, right))")
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    /// The same padding `p` on all four sides (PyTorch `padding=p`).
    public static func symmetric(_ p: Int) -> Padding2D { Padding2D(top: p, left: p, bottom: p, right: p) }

    /// TensorFlow "SAME": output size ceil(input / stride); total padding
    /// max((output − 1)·stride + kernel − input, 0) per axis, the smaller half before (top/left).
    public static func tfSame(inputHeight: Int, inputWidth: Int, kernelSize: Int, stride: Int) -> Padding2D {
        require(stride > 0 && kernelSize > 0, "Padding2D.tfSame: kernel \(kernelSize) and stride \(stride) must be positive")
        func split(_ input: Int) -> (before: Int, after: Int) {
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernelSize - input, 0)
            return (total / 2, total - total / 2)
        }
        let vertical = split(inputHeight), horizontal = split(inputWidth)
        return Padding2D(top: vertical.before, left: horizontal.before, bottom: vertical.after, right: horizontal.after)
    }

    public var description: String { "Padding2D(top: \(top), left: \(left), bottom: \(bottom), right: \(right))" }
}
