import Checkpoints
import Foundation
import NeuralNetwork

/// Loading ImageNet weights from a PyTorch checkpoint into our models.
extension ImageClassifier {
    /// Loads every backbone tensor of `checkpoint` strictly: a missing, unexpected or mis-shaped key
    /// is an error. The ImageNet classifier is skipped when this model's head has another class
    /// count; `num_batches_tracked` counters carry no information we use and are skipped too, and so
    /// are keys under `unusedPretrainedPrefixes`.
    ///
    /// - Returns: the names that were deliberately skipped.
    @discardableResult
    public func loadPretrained(_ checkpoint: PyTorchCheckpoint, keepHead: Bool? = nil) throws -> [String] {
        let prefix = headPrefix
        let ownHead = Dictionary(
            uniqueKeysWithValues: namedParameters().filter { $0.path.hasPrefix(prefix) }.map { ($0.path, $0.parameter.value.shape) })
        let headMatches = checkpoint.tensors.filter { $0.name.hasPrefix(prefix) }.allSatisfy { ownHead[$0.name] == $0.tensor.shape }
        let loadsHead = keepHead ?? headMatches
        let unused = unusedPretrainedPrefixes
        func skips(_ name: String) -> Bool {
            name.hasSuffix("num_batches_tracked") || (!loadsHead && name.hasPrefix(prefix)) || unused.contains { name.hasPrefix($0) }
        }
        // Names and shapes first: nothing is materialised from a checkpoint that cannot load.
        try checkStateDictKeys(
            self,
            shapes: Dictionary(
                checkpoint.tensors.map { ($0.name, $0.tensor.shape) },
                uniquingKeysWith: { first, _ in first }),
            skipping: skips)
        var skipped: [String] = []
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for (name, tensor) in checkpoint.tensors {
            if skips(name) {
                skipped.append(name)
                continue
            }
            tensors[name] = (tensor.shape, tensor.floats())
        }
        try loadStateDict(self, tensors, skipping: skips)
        return skipped
    }
}
