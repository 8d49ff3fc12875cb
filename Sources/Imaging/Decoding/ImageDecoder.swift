import Foundation

/// A width and height in pixels.
public struct ImageSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)x\(height)" }
}

/// Decodes JPEG and PNG bytes into upright `RGBImage`s, refusing everything else with an
/// `ImagingError` that names the file.
///
/// The format is sniffed from the bytes, never taken from the file name. Limits are checked before
/// pixel memory is allocated. EXIF orientation (JPEG APP1, PNG eXIf) is applied by default, like
/// Pillow's `ImageOps.exif_transpose`. Stateless and `Sendable`: share one across threads.
public struct ImageDecoder: Sendable {
    public var limits: DecodeLimits
    /// Whether to turn images upright by their EXIF orientation tag.
    public var appliesExifOrientation: Bool

    public init(limits: DecodeLimits = .covers, appliesExifOrientation: Bool = true) {
        self.limits = limits
        self.appliesExifOrientation = appliesExifOrientation
    }

    /// Decodes an encoded image.
    ///
    /// - Parameters:
    ///   - name: how errors name the source (a path, a URL, an upload name).
    ///   - minimumSize: for JPEGs, lets libjpeg-turbo downscale in the DCT domain (by 1/2, 1/4 or
    ///     1/8) to the smallest size whose width and height (after orientation) are still ≥ these.
    ///     Faster when the target is at most half the file's size; pixels then differ from a full
    ///     decode followed by a resize. PNGs ignore it.
    public func decode(_ data: Data, name: String = "<memory>", minimumSize: ImageSize? = nil) throws(ImagingError)
        -> RGBImage
    {
        let result: Result<RGBImage, ImagingError> = data.withUnsafeBytes { bytes in
            Result { () throws(ImagingError) -> RGBImage in try decode(bytes, name: name, minimumSize: minimumSize) }
        }
        return try result.get()
    }

    /// Reads and decodes a file, refusing files over `limits.maximumBytes` before reading them.
    public func decode(contentsOf url: URL, minimumSize: ImageSize? = nil) throws(ImagingError) -> RGBImage {
        let name = url.path
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: name)
            if let size = (attributes[.size] as? NSNumber)?.intValue { try limits.check(byteCount: size, name: name) }
            data = try Data(contentsOf: url)
        } catch let error as ImagingError {
            throw error
        } catch {
            throw .readFailed(name: name, detail: (error as NSError).localizedDescription)
        }
        return try decode(data, name: name, minimumSize: minimumSize)
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, name: String, minimumSize: ImageSize?) throws(ImagingError)
        -> RGBImage
    {
        try limits.check(byteCount: bytes.count, name: name)
        let format = ImageFormat(sniffing: bytes)
        switch format {
        case .jpeg:
            let orientation = appliesExifOrientation ? ExifOrientation.fromJPEG(bytes) ?? .up : .up
            let storedMinimum = minimumSize.map {
                orientation.swapsAxes ? ImageSize(width: $0.height, height: $0.width) : $0
            }
            let image = try JPEGDecoder.decode(bytes, name: name, limits: limits, minimumSize: storedMinimum)
            return image.applying(orientation)
        case .png:
            let orientation = appliesExifOrientation ? ExifOrientation.fromPNG(bytes) ?? .up : .up
            return try PNGDecoder.decode(bytes, name: name, limits: limits).applying(orientation)
        case .empty:
            throw .emptyFile(name: name)
        case _ where format.isImage:
            throw .unsupportedFormat(name: name, format: format)
        default:
            throw .notAnImage(name: name, format: format)
        }
    }
}
