import NeuralNetwork
import TensorCore
import Testing

/// Strict state-dict loading and saving.
struct StateDictTests {
    private func model() -> Sequential {
        var generator = SplitMix64(seed: 2)
        return Sequential([
            Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 1, bias: false, generator: &generator),
            BatchNorm2d(channels: 3),
            Lambda.globalAveragePool,
            Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator),
        ])
    }

    private func checkpoint() -> [String: (shape: [Int], values: [Float])] {
        [
            "0.weight": ([3, 2, 1, 1], [1, 2, 3, 4, 5, 6]),
            "1.weight": ([3], [1, 1, 2]), "1.bias": ([3], [0, 0, 1]),
            "1.running_mean": ([3], [0.5, 0, 0]), "1.running_var": ([3], [1, 2, 3]),
            "1.num_batches_tracked": ([], [12]),
            "3.weight": ([2, 3], [1, 0, 0, 0, 1, 0]), "3.bias": ([2], [0.25, -0.25]),
        ]
    }

    @Test("a complete state dict loads, and stateDict gives it back")
    func roundTrip() throws {
        let layer = model()
        let report = try loadStateDict(layer, checkpoint())
        #expect(report.loaded.count == 8 && report.skipped.isEmpty)
        let saved = stateDict(layer)
        for (key, entry) in checkpoint() {
            #expect(saved[key]?.shape == entry.shape, "\(key)")
            #expect(saved[key]?.values == entry.values, "\(key)")
        }
        #expect(layer.trainableParameters.allSatisfy { $0.value.requiresGradient })
    }

    @Test("missing, unexpected and mis-shaped keys are errors, and nothing is changed")
    func strictErrors() {
        let layer = model()
        let before = stateDict(layer)["0.weight"]!.values
        var missing = checkpoint()
        missing["3.bias"] = nil
        #expect(throws: ParameterLoadError.missing(keys: ["3.bias"])) { try loadStateDict(layer, missing) }
        var unexpected = checkpoint()
        unexpected["classifier.weight"] = ([1], [0])
        #expect(throws: ParameterLoadError.unexpected(keys: ["classifier.weight"])) { try loadStateDict(layer, unexpected) }
        var misshaped = checkpoint()
        misshaped["3.weight"] = ([3, 2], [1, 0, 0, 0, 1, 0])
        #expect(throws: ParameterLoadError.shapeMismatch(key: "3.weight", expected: [2, 3], actual: [3, 2])) {
            try loadStateDict(layer, misshaped)
        }
        #expect(stateDict(layer)["0.weight"]!.values == before)
    }

    @Test("the skip predicate keeps a new classifier head; num_batches_tracked may be absent")
    func skipping() throws {
        let layer = model()
        let head = stateDict(layer)["3.weight"]!.values
        var foreign = checkpoint()
        foreign["3.weight"] = ([1000, 3], [Float](repeating: 0, count: 3000))
        foreign["3.bias"] = ([1000], [Float](repeating: 0, count: 1000))
        foreign["1.num_batches_tracked"] = nil
        let report = try loadStateDict(layer, foreign, skipping: { $0.hasPrefix("3.") })
        #expect(report.skipped.sorted() == ["1.num_batches_tracked", "3.bias", "3.weight"])
        #expect(stateDict(layer)["3.weight"]!.values == head)
        #expect(stateDict(layer)["0.weight"]!.values == [1, 2, 3, 4, 5, 6])
    }
}
