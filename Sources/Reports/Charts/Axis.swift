import Foundation

/// A "nice" axis: bounds and ticks on a 1-2-5 grid that cover a data range.
///
/// For a data range [a, b] and a target of n ticks, the step is the smallest value of the form
/// {1, 2, 5} × 10^k that is at least (b − a) / n; the axis then runs from ⌊a / step⌋·step to
/// ⌈b / step⌉·step. Example: [0, 0.978] with n = 5 → step 0.2, ticks 0, 0.2, …, 1.0;
/// [0, 2 323] → step 500, ticks 0, 500, …, 2 500.
public struct NiceAxis: Sendable, Equatable {
    /// Lower end of the axis, a multiple of `step`.
    public let lowerBound: Double
    /// Upper end of the axis, a multiple of `step`.
    public let upperBound: Double
    /// Distance between ticks, {1, 2, 5} × 10^k.
    public let step: Double

    /// Creates an axis covering `minimum...maximum` with about `targetTickCount` intervals.
    ///
    /// - Parameters:
    ///   - includeZero: extend the range to 0 (bar charts must start at zero).
    ///   - integerSteps: never step by less than 1 (counts, epochs).
    /// Non-finite inputs are ignored; an empty or single-valued range is widened so the axis is
    /// never degenerate ([0, 1] for no data, [v − 1, v + 1]-ish for a single value v).
    public init(
        covering minimum: Double, _ maximum: Double, targetTickCount: Int = 5,
        includeZero: Bool = false, integerSteps: Bool = false
    ) {
        var low = minimum.isFinite ? minimum : (maximum.isFinite ? maximum : 0)
        var high = maximum.isFinite ? maximum : low
        if low > high { swap(&low, &high) }
        if includeZero {
            low = Swift.min(low, 0)
            high = Swift.max(high, 0)
        }
        if high == low {
            if low == 0 {
                high = 1
            } else {
                let pad = abs(low) * 0.1
                low -= pad
                high += pad
            }
        }
        var step = Self.niceStep(atLeast: (high - low) / Double(Swift.max(1, targetTickCount)))
        if integerSteps { step = Swift.max(step, 1) }
        self.step = step
        self.lowerBound = (low / step).rounded(.down) * step
        self.upperBound = (high / step).rounded(.up) * step
    }

    /// The smallest {1, 2, 5} × 10^k that is ≥ `rough` (`rough` ≤ 0 or non-finite gives 1).
    public static func niceStep(atLeast rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let magnitude = Foundation.pow(10, (log10(rough)).rounded(.down))
        let fraction = rough / magnitude
        // Tolerate rounding in `rough / magnitude` (e.g. 0.3 / 0.1 = 2.9999999999999996).
        let epsilon = 1e-9
        let nice: Double = fraction <= 1 + epsilon ? 1 : fraction <= 2 + epsilon ? 2 : fraction <= 5 + epsilon ? 5 : 10
        return nice * magnitude
    }

    /// Tick values from `lowerBound` to `upperBound` inclusive, each computed from its index (not by
    /// repeated addition) so they do not accumulate rounding error. At most 1 001 ticks.
    public var ticks: [Double] {
        let intervals = ((upperBound - lowerBound) / step).rounded()
        guard intervals.isFinite, intervals >= 1 else { return [lowerBound] }
        return (0...Int(Swift.min(intervals, 1000))).map { Self.clean(lowerBound + Double($0) * step, step: step) }
    }

    /// Decimals needed to print a tick: 0 for steps ≥ 1, 1 for 0.1–0.5, 2 for 0.01–0.05, …
    public var fractionDigits: Int {
        Swift.max(0, -Int(log10(step).rounded(.down)))
    }

    /// The label of tick value `value`, with `fractionDigits` decimals; integers of 10 000 and more
    /// get thin-space grouping.
    public func label(_ value: Double) -> String {
        if fractionDigits == 0 && abs(value) >= 10_000 { return Markup.number(value.rounded()) }
        return Markup.fixed(value, fractionDigits)
    }

    /// Rounds away binary noise such as 0.6000000000000001 to the tick's decimal precision.
    private static func clean(_ value: Double, step: Double) -> Double {
        let digits = Swift.max(0, -Int(log10(step).rounded(.down))) + 2
        let scale = Foundation.pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}

/// A linear map from a data interval to a pixel interval (either may be reversed: SVG y grows down).
public struct LinearScale: Sendable {
    /// Data interval.
    public let domain: ClosedRange<Double>
    /// Pixel coordinates of `domain.lowerBound` and `domain.upperBound`.
    public let start: Double
    public let end: Double

    /// Maps `domain` onto `start...end` (or `end...start`).
    public init(domain: ClosedRange<Double>, start: Double, end: Double) {
        self.domain = domain
        self.start = start
        self.end = end
    }

    /// Maps an axis onto the pixel interval.
    public init(axis: NiceAxis, start: Double, end: Double) {
        self.init(domain: axis.lowerBound...axis.upperBound, start: start, end: end)
    }

    /// The pixel position of `value`; a degenerate domain maps everything to `start`.
    public func callAsFunction(_ value: Double) -> Double {
        let width = domain.upperBound - domain.lowerBound
        guard width > 0 else { return start }
        return start + (value - domain.lowerBound) / width * (end - start)
    }
}
