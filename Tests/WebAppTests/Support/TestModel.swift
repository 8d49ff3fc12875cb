import Foundation
import Imaging
import Inference
import Models
import RunArtifacts
import Testing

/// A small random-initialised model written as a run folder (`model.json` + `weights.safetensors`)
/// in a temporary directory: the web app loads it exactly like a trained run, in milliseconds.
enum TestModel {
    static let genres = ["country", "electronic", "hiphop", "pop", "rock"]

    /// `CoverNet` at 64 px with seeded weights; shared by the tests (created once per process).
    static let predictor: GenrePredictor = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webapp-model-\(UUID().uuidString)", isDirectory: true)
        // The predictor holds everything it needs once loaded: the folder is not left behind.
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try writeRunFolder(to: folder)
            return try GenrePredictor(runFolder: folder)
        } catch {
            fatalError("cannot build the test model: \(error)")
        }
    }()

    /// An ensemble of two test models, "small" (64 px, seed 7) and "large" (96 px, seed 8), in a new
    /// temporary folder `root` (the caller removes it); with `mirrorsViews`, each also sees the mirror.
    static func ensemblePredictor(mirrorsViews: Bool = false) throws -> (predictor: GenrePredictor, root: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("webapp-ensemble-\(UUID().uuidString)", isDirectory: true)
        let runs = [root.appendingPathComponent("small"), root.appendingPathComponent("large")]
        try writeRunFolder(to: runs[0], resolution: 64, seed: 7)
        try writeRunFolder(to: runs[1], resolution: 96, seed: 8)
        _ = try ModelArchive.writeEnsemble(at: root.appendingPathComponent("pair"), sources: runs, mirrorsViews: mirrorsViews)
        return (try GenrePredictor(runFolder: root.appendingPathComponent("pair")), root)
    }

    static func writeRunFolder(
        to folder: URL, kind: ModelKind = .coverNet, resolution: Int = 64, views: [TestTimeView]? = nil, seed: UInt64 = 7, genres: [String] = genres
    ) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = kind.make(classCount: genres.count, seed: seed, resolution: resolution)
        try ModelArchive.save(model, to: folder.appendingPathComponent("weights.safetensors"))
        var description = ModelDescription(
            model: kind, classNames: genres, resolution: resolution, input: model.inputSpecification, epoch: 3, validationMacroF1: 0.25)
        description.testTimeViews = views
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(description).write(to: folder.appendingPathComponent("model.json"))
    }
}

/// Test covers made with Imaging's encoders, and malformed files made by hand.
enum TestImages {
    /// A deterministic picture: gradients plus a seed-dependent block, so different seeds give
    /// different predictions.
    static func picture(seed: Int, width: Int = 120, height: Int = 100) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                let inBlock = (x / 20 + y / 20 + seed) % 3 == 0
                pixels[i] = UInt8((x * 255 / width + seed * 37) % 256)
                pixels[i + 1] = UInt8((y * 255 / height + seed * 91) % 256)
                pixels[i + 2] = inBlock ? 230 : UInt8((seed * 53) % 256)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func jpeg(seed: Int = 1) -> Data { try! picture(seed: seed).encodeJPEG(quality: 90) }
    static func png(seed: Int = 1) -> Data { try! picture(seed: seed).encodePNG() }

    /// The first 60 % of a JPEG: no EOI marker, scan data cut short.
    static func truncatedJPEG() -> Data { Data(jpeg().prefix(jpeg().count * 6 / 10)) }

    /// A real PNG whose IHDR chunk is rewritten (with a correct CRC) to claim `width × height`
    /// pixels: a few hundred bytes that would decode to `3 · width · height` bytes.
    static func pngClaiming(width: UInt32, height: UInt32, from original: Data = png()) -> Data {
        var bytes = [UInt8](original)
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), 5 bytes, CRC (4).
        precondition(Array(bytes[12..<16]) == Array("IHDR".utf8))
        for (offset, value) in [(16, width), (20, height)] {
            for k in 0..<4 { bytes[offset + k] = UInt8((value >> (24 - 8 * k)) & 0xFF) }
        }
        let crc = CRC32.checksum(Data(bytes[12..<29]))
        for k in 0..<4 { bytes[29 + k] = UInt8((crc >> (24 - 8 * k)) & 0xFF) }
        return Data(bytes)
    }

    static func hugePNGHeader(side: UInt32 = 30_000) -> Data { pngClaiming(width: side, height: side) }

    /// A real JPEG whose start-of-frame marker is patched to claim `side × side` pixels.
    static func hugeJPEGHeader(side: UInt16 = 30_000) -> Data {
        var bytes = [UInt8](jpeg())
        // SOF0 (FFC0) or SOF2 (FFC2): length(2) precision(1) height(2) width(2).
        guard let sof = (0..<(bytes.count - 9)).first(where: { bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2) })
        else { fatalError("the encoder wrote no SOF marker") }
        bytes[sof + 5] = UInt8(side >> 8)
        bytes[sof + 6] = UInt8(side & 0xFF)
        bytes[sof + 7] = UInt8(side >> 8)
        bytes[sof + 8] = UInt8(side & 0xFF)
        return Data(bytes)
    }

    /// A GIF header: a real image format the app does not decode.
    static let gif =
        Data("GIF89a".utf8) + Data([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B])

    /// A `multipart/form-data` body with a text field and a file field.
    static func multipart(file: Data, boundary: String, fileName: String = "cover.jpg") -> Data {
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8))
        body.append(
            Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"\(fileName)\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
        )
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return body
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as PNG chunks use.
enum CRC32 {
    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Expects every prediction to be, genre by genre, the mean of the parts' predictions of the same
/// cover (views of one model, or members of an ensemble), and to differ from the first part's.
func expectMean(_ predictions: [CoverPrediction], of parts: [[CoverPrediction]], sourceLocation: SourceLocation = #_sourceLocation) {
    for (index, prediction) in predictions.enumerated() {
        for score in prediction.scores {
            let mean = parts.map { $0[index].scores.first { $0.genre == score.genre }!.probability }.reduce(0, +) / Double(parts.count)
            #expect(abs(score.probability - mean) < 1e-5, "\(score.genre): \(score.probability) vs \(mean)", sourceLocation: sourceLocation)
        }
    }
    // The parts disagree on the test pictures, so the mean is not the first part alone.
    #expect(predictions.map(\.scores) != parts[0].map(\.scores), sourceLocation: sourceLocation)
}
