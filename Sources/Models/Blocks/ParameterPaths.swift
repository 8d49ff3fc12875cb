import NeuralNetwork

/// Joins a child's parameters under `prefix` (state-dict convention: `prefix.child.weight`);
/// an empty prefix splices the child's names in unchanged.
func prefixed(_ prefix: String, _ layer: any Layer) -> [(path: String, parameter: Parameter)] {
    if prefix.isEmpty { return layer.namedParameters() }
    return layer.namedParameters().map { (path: prefix + "." + $0.path, parameter: $0.parameter) }
}

/// Joins several named children in order.
func gather(_ children: [(String, any Layer)]) -> [(path: String, parameter: Parameter)] {
    children.flatMap { prefixed($0.0, $0.1) }
}

/// Rounds `value` to a multiple of `divisor`, never going more than 10 % below `value`.
/// torchvision's `_make_divisible` and EfficientNet's `round_filters` both use this rule.
func makeDivisible(_ value: Double, divisor: Int = 8) -> Int {
    let d = Double(divisor)
    var rounded = max(divisor, Int((value + d / 2) / d) * divisor)
    if Double(rounded) < 0.9 * value { rounded += divisor }
    return rounded
}
