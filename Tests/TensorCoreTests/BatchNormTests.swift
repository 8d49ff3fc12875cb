import Testing

@testable import TensorCore

/// batchNorm2d against PyTorch `F.batch_norm` (f32, tolerance 1e-4 relative to each tensor's scale).
struct BatchNormTests {
    @Test(
        "training: output, gradients and running-statistics update (unbiased variance, momentum)",
        arguments: ["bn_train", "bn_train_b1_c40", "bn_inference"])
    func matchesPyTorch(_ name: String) {
        let f = OpFixtures.shared.fixture(name)
        // Feed the op a channel-blocked input, as it gets from a convolution.
        let plain = f.tensor("x")
        let x = relaid(plain, .channelBlocked16(plain.shape), requiresGradient: true)
        let scale = f.tensor("scale", requiresGradient: true), shift = f.tensor("shift", requiresGradient: true)
        let statistics = RunningStatistics(mean: f.tensor("runningMean"), variance: f.tensor("runningVar"))
        let mode: ForwardMode = f.bool("training") ? .training : .inference
        let y = batchNorm2d(
            x, scale: scale, shift: shift, statistics: statistics, mode: mode,
            momentum: f.float("momentum"), eps: f.float("eps"))
        expectClose(y.scalars(), f.values("y"), "\(name) y")
        expectClose(statistics.mean.scalars(), f.values("newRunningMean"), "\(name) running mean")
        expectClose(statistics.variance.scalars(), f.values("newRunningVar"), "\(name) running variance")
        let gradients = y.backward(seed: f.tensor("dy"))
        expectClose(gradients[x]!.scalars(), f.values("dx"), "\(name) dx")
        expectClose(gradients[scale]!.scalars(), f.values("dscale"), "\(name) dscale")
        expectClose(gradients[shift]!.scalars(), f.values("dshift"), "\(name) dshift")
    }

    @Test("a plain NCHW input gives the same result as a blocked one")
    func plainInput() {
        let f = OpFixtures.shared.fixture("bn_train")
        let x = f.tensor("x", requiresGradient: true)
        let statistics = RunningStatistics(mean: f.tensor("runningMean"), variance: f.tensor("runningVar"))
        let y = batchNorm2d(
            x, scale: f.tensor("scale"), shift: f.tensor("shift"), statistics: statistics,
            mode: .training, momentum: 0.1, eps: 1e-5)
        expectClose(y.scalars(), f.values("y"), "plain y")
        expectClose(y.backward(seed: f.tensor("dy"))[x]!.scalars(), f.values("dx"), "plain dx")
    }

    @Test("inference leaves the running statistics untouched and records no graph")
    func inferenceIsPure() {
        let f = OpFixtures.shared.fixture("bn_inference")
        let statistics = RunningStatistics(mean: f.tensor("runningMean"), variance: f.tensor("runningVar"))
        let y = batchNorm2d(
            f.tensor("x"), scale: f.tensor("scale"), shift: f.tensor("shift"), statistics: statistics,
            mode: .inference, momentum: 0.1, eps: 1e-5)
        #expect(!y.requiresGradient && y.origin == nil)
        #expect(statistics.mean.scalars() == f.values("runningMean"))
        #expect(statistics.variance.scalars() == f.values("runningVar"))
    }
}
