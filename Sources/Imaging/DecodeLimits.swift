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

    public init(
        maximumBytes: Int = 50_000_000, maximumPixels: Int = 50_000_000, maximumSide: Int = 20_000,
        minimumSide: Int = 1
    ) {
        self.maximumBytes = maximumBytes
        self.maximumPixels = maximumPixels
        self.maximumSide = maximumSide
        self.minimumSide = minimumSide
    }

    /// Sized for album covers: 50 MB, 50 megapixels, 20,000 pixels a side.
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
    }
}
