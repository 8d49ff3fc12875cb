import Foundation

/// The zip `torch.save` format (torch ≥ 1.6): `<a>/data.pkl` (the object pickle), `<a>/data/<key>`
/// (raw storages, no count prefix, 64-byte aligned), `<a>/byteorder`, `<a>/version`.
enum ZipContainer {
    static func read(_ data: Data) throws -> (object: PickleValue, storages: [String: CheckpointStorage]) {
        let archive = try ZipArchive(data: data)
        guard let first = archive.entries.first else {
            throw CheckpointError.malformed(offset: 0, reason: "empty zip archive")
        }
        // The archive folder: before the first '/' of the first name (as PyTorchStreamReader does).
        let folder = first.name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if archive.entry(named: "\(folder)/constants.pkl") != nil
            || archive.entries.contains(where: { $0.name.hasPrefix("\(folder)/code/") })
        {
            throw CheckpointError.unsupportedFormat(
                "this is a TorchScript archive (torch.jit.save), not a state dict; in Python, load it and "
                    + "save `model.state_dict()` with torch.save")
        }
        guard let pickleEntry = archive.entry(named: "\(folder)/data.pkl") else {
            throw CheckpointError.unsupportedFormat("zip archive has no '\(folder)/data.pkl': not a torch.save file")
        }
        var bigEndian = false
        if let orderEntry = archive.entry(named: "\(folder)/byteorder") {
            let order = String(decoding: try archive.contents(of: orderEntry), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            switch order {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default:
                throw CheckpointError.malformed(offset: orderEntry.dataOffset, reason: "byteorder is '\(order)'")
            }
        }

        let pickle = try archive.contents(of: pickleEntry)
        let (object, references) = try pickle.withUnsafeBytes { raw -> (PickleValue, [String: StorageReference]) in
            var machine = PickleMachine(
                bytes: raw, baseOffset: pickleEntry.method == 0 ? pickleEntry.dataOffset : 0,
                context: "\(folder)/data.pkl")
            return (try machine.run(), machine.storages)
        }

        var storages = [String: CheckpointStorage]()
        for (key, reference) in references {
            let name = "\(folder)/data/\(key)"
            guard let entry = archive.entry(named: name) else {
                throw CheckpointError.invalidTensor(name: "storage \(key)", reason: "zip member '\(name)' is missing")
            }
            storages[key] = try CheckpointStorage(
                data: try archive.contents(of: entry), byteOffset: 0, count: reference.elementCount,
                dtype: reference.dtype, bigEndian: bigEndian, key: key)
        }
        return (object, storages)
    }
}
