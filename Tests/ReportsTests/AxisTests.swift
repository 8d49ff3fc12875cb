import Testing

@testable import Reports

struct AxisTests {
    @Test(
        arguments: [
            (0.03, 0.05), (0.1, 0.1), (0.11, 0.2), (0.3, 0.5), (0.7, 1.0), (1.0, 1.0), (1.5, 2.0), (2.0, 2.0),
            (2.1, 5.0), (4.7, 5.0), (5.1, 10.0), (464.6, 500.0), (1234.0, 2000.0), (0.3 / 3, 0.1),
        ] as [(Double, Double)])
    func stepsAreOneTwoFive(rough: Double, expected: Double) {
        let step = NiceAxis.niceStep(atLeast: rough)
        #expect(abs(step - expected) < expected * 1e-12, "step \(step) for \(rough)")
    }

    @Test func accuracyRange() {
        let axis = NiceAxis(covering: 0, 0.978)
        #expect(axis.step == 0.2)
        #expect(axis.lowerBound == 0)
        #expect(abs(axis.upperBound - 1) < 1e-12)
        #expect(axis.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(axis.ticks.map(axis.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func countRange() {
        let axis = NiceAxis(covering: 0, 2323, includeZero: true)
        #expect(axis.step == 500)
        #expect(axis.ticks == [0, 500, 1000, 1500, 2000, 2500])
        #expect(axis.fractionDigits == 0)
    }

    @Test func rangeNotStartingAtZero() {
        let axis = NiceAxis(covering: 0.83, 1.79)
        // (1.79 − 0.83) / 5 = 0.192 → step 0.2; bounds snap outward to multiples of the step.
        #expect(axis.step == 0.2)
        #expect(abs(axis.lowerBound - 0.8) < 1e-12)
        #expect(abs(axis.upperBound - 1.8) < 1e-12)
        #expect(axis.ticks.count == 6)
    }

    @Test func negativeRangeAndZero() {
        let axis = NiceAxis(covering: -3, 7, includeZero: true)
        #expect(axis.step == 2)
        #expect(axis.ticks == [-4, -2, 0, 2, 4, 6, 8])
    }

    @Test func degenerateRanges() {
        let empty = NiceAxis(covering: .nan, .nan)
        #expect(empty.lowerBound == 0 && empty.upperBound == 1)
        let single = NiceAxis(covering: 5, 5)
        #expect(single.lowerBound < 5 && single.upperBound > 5)
        let zero = NiceAxis(covering: 0, 0, includeZero: true)
        #expect(zero.ticks.first == 0 && zero.ticks.last == 1)
        let reversed = NiceAxis(covering: 10, 0)
        #expect(reversed.lowerBound == 0 && reversed.upperBound == 10)
    }

    @Test func integerEpochAxis() {
        let axis = NiceAxis(covering: 0.5, 3.5, targetTickCount: 8, integerSteps: true)
        #expect(axis.step == 1)
        #expect(axis.ticks == [0, 1, 2, 3, 4])
    }

    @Test func ticksHaveNoBinaryNoise() {
        let axis = NiceAxis(covering: 0, 0.7, targetTickCount: 7)
        #expect(axis.ticks == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
    }

    @Test func hugeValuesDoNotCrash() {
        let axis = NiceAxis(covering: 1e20, 1e20 + 1e19)
        #expect(!axis.ticks.isEmpty)
        #expect(axis.ticks.count <= 1001)
        _ = axis.ticks.map(axis.label)
    }

    @Test func linearScaleMapsAndInverts() {
        let scale = LinearScale(domain: 0...1, start: 300, end: 100)
        #expect(scale(0) == 300)
        #expect(scale(1) == 100)
        #expect(scale(0.25) == 250)
    }
}
