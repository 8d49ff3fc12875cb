import AtomicFiles
import Checkpoints
import Foundation
import RunArtifacts

/// Per-epoch checkpoints that are complete or absent, never half-written.
///
/// Each epoch gets its own folder `checkpoint/epoch-0007/` holding `weights.safetensors`,
/// `optimizer.safetensors` and, written last, `state.json`: a folder without `state.json` is an
/// interrupted write and is ignored. After a new checkpoint is complete, older ones are deleted.
struct CheckpointStore {
    let folder: URL

    func epochFolder(_ epoch: Int) -> URL {
        folder.appendingPathComponent(String(format: "epoch-%04d", epoch), isDirectory: true)
    }

    func weightsURL(epoch: Int) -> URL { epochFolder(epoch).appendingPathComponent(RunDirectory.FileName.weights) }
    func optimizerURL(epoch: Int) -> URL { epochFolder(epoch).appendingPathComponent(RunDirectory.FileName.optimizer) }
    private func stateURL(epoch: Int) -> URL { epochFolder(epoch).appendingPathComponent(RunDirectory.FileName.state) }

    /// Writes a checkpoint: `writeFiles` fills the epoch folder, then the state seals it.
    func save(_ state: RunState, writeFiles: (URL) throws -> Void) throws {
        let target = epochFolder(state.globalEpoch)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try writeFiles(target)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(state), to: stateURL(epoch: state.globalEpoch))
        for epoch in completeEpochs() where epoch < state.globalEpoch {
            try? FileManager.default.removeItem(at: epochFolder(epoch))
        }
    }

    /// The newest complete checkpoint's state.
    func latestState() -> RunState? {
        for epoch in completeEpochs().reversed() {
            if let data = try? Data(contentsOf: stateURL(epoch: epoch)),
                let state = try? JSONDecoder().decode(RunState.self, from: data)
            {
                return state
            }
        }
        return nil
    }

    private func completeEpochs() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("epoch-"), let epoch = Int(name.dropFirst(6)) else { return nil }
            return FileManager.default.fileExists(atPath: stateURL(epoch: epoch).path) ? epoch : nil
        }.sorted()
    }
}
