import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A learning rate as a function of the (0-based) step or epoch.
public struct LearningRateSchedule: Sendable {
    public let rate: @Sendable (_ step: Int) -> Float

    public init(_ rate: @escaping @Sendable (_ step: Int) -> Float) { self.rate = rate }

    public func callAsFunction(_ step: Int) -> Float { rate(step) }

    /// The same rate throughout.
    public static func constant(_ value: Float) -> LearningRateSchedule { LearningRateSchedule { _ in value } }

    /// `initial · gamma^⌊step / stepSize⌋` (`torch.optim.lr_scheduler.StepLR`).
    public static func step(initial: Float, stepSize: Int, gamma: Float) -> LearningRateSchedule {
        require(stepSize > 0, "LearningRateSchedule.step: stepSize must be positive")
        return LearningRateSchedule { step in initial * Float(pow(Double(gamma), Double(step / stepSize))) }
    }

    /// `minimum + (initial − minimum)·(1 + cos(π·step / totalSteps)) / 2`, then `minimum`
    /// (`CosineAnnealingLR` without restarts).
    public static func cosine(initial: Float, totalSteps: Int, minimum: Float = 0) -> LearningRateSchedule {
        require(totalSteps > 0, "LearningRateSchedule.cosine: totalSteps must be positive")
        return LearningRateSchedule { step in
            let progress = Double(min(step, totalSteps)) / Double(totalSteps)
            return minimum + (initial - minimum) * Float((1 + cos(Double.pi * progress)) / 2)
        }
    }

    /// Linear warm-up from `then(0)/steps` to `then(0)` over `steps` steps, then `then(step − steps)`.
    public static func warmup(steps: Int, then schedule: LearningRateSchedule) -> LearningRateSchedule {
        require(steps >= 0, "LearningRateSchedule.warmup: steps must not be negative")
        return LearningRateSchedule { step in
            step < steps ? schedule(0) * Float(step + 1) / Float(steps) : schedule(step - steps)
        }
    }
}
