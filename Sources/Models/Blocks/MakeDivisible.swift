import NeuralNetwork

/// Rounds `value` to a multiple of `divisor`, never going more than 10 % below `value`.
/// torchvision's `_make_divisible` and EfficientNet's `round_filters` both use this rule.
func makeDivisible(_ value: Double, divisor: Int = 8) -> Int {
    let d = Double(divisor)
    var rounded = max(divisor, Int((value + d / 2) / d) * divisor)
    if Double(rounded) < 0.9 * value { rounded += divisor }
    return rounded
}
