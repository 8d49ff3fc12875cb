/// Bounds checked before any pixel memory is allocated, against decompression bombs and giant files.
///
/// A JPEG or PNG header can claim 65535x65535 pixels in a few hundred bytes; the decoder reads the
/// header first and refuses before allocating `width * height * 3` bytes.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest accepted encoded size in bytes.
    public var maximumBytes: Int
    /// Largest accepted `width * height` of the decoded image (before DCT scaling).
    public var maximumPixels: Int
    /// Largest accepted width or height.
    public var maximumSide: Int
    /// Smallest accepted width or height. 1 accepts everything; a dataset can raise it to refuse
    /// placeholder images (1x1 pixels, tiny icons) with `ImagingError.tooSmall`.
    public var minimumSide: Int
    /// Largest accepted long side / short side. A cover is about square; a 20000x1 strip is 138 bytes
    /// of PNG that would cost hundreds of megabytes to resize.
    public var maximumAspectRatio: Int
    /// Largest buffer a decoder may allocate for the decoded samples, in bytes: pixels × channels ×
    /// bytes per sample (a 16-bit RGBA PNG needs 8 bytes a pixel, 2.7× an 8-bit RGB one), checked from
    /// the header before anything is allocated.
    public var maximumDecodedBytes: Int

    public init(
        maximumBytes: Int = 50_000_000, maximumPixels: Int = 50_000_000, maximumSide: Int = 20_000,
        minimumSide: Int = 1, maximumAspectRatio: Int = 20, maximumDecodedBytes: Int = 400_000_000
    ) {
        self.maximumBytes = maximumBytes
        self.maximumPixels = maximumPixels
        self.maximumSide = maximumSide
        self.minimumSide = minimumSide
        self.maximumAspectRatio = maximumAspectRatio
        self.maximumDecodedBytes = maximumDecodedBytes
    }

    /// Sized for album covers: 50 MB, 50 megapixels, 20,000 pixels a side, 20:1, 400 MB of samples.
    public static let covers = DecodeLimits()

    func check(byteCount: Int, name: String) throws(ImagingError) {
        if byteCount > maximumBytes {
            throw .limitExceeded(name: name, detail: "\(byteCount) bytes > limit \(maximumBytes)")
        }
    }

    func check(width: Int, height: Int, name: String) throws(ImagingError) {
        guard width > 0, height > 0 else {
            throw .corrupt(name: name, detail: "header declares \(width)x\(height) pixels")
        }
        if max(width, height) > maximumSide {
            throw .limitExceeded(name: name, detail: "\(width)x\(height) has a side > \(maximumSide)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maximumPixels {
            throw .limitExceeded(name: name, detail: "\(width)x\(height) > \(maximumPixels) pixels")
        }
        if min(width, height) < minimumSide {
            throw .tooSmall(name: name, detail: "\(width)x\(height) has a side < \(minimumSide)")
        }
        if max(width, height) / min(width, height) > maximumAspectRatio {
            throw .limitExceeded(name: name, detail: "\(width)x\(height) is more than \(maximumAspectRatio) times longer than wide")
        }
    }

    /// Checks the decoded buffer a decoder is about to allocate: `pixels` × `channels` × `bytesPerSample`.
    func check(pixels: Int, channels: Int, bytesPerSample: Int, name: String) throws(ImagingError) {
        let (bytes, overflow) = pixels.multipliedReportingOverflow(by: channels * bytesPerSample)
        if overflow || bytes > maximumDecodedBytes {
            throw .limitExceeded(
                name: name,
                detail: "decoding needs \(bytes) bytes (\(channels) channels of \(8 * bytesPerSample) bits) > limit \(maximumDecodedBytes)")
        }
    }
}
