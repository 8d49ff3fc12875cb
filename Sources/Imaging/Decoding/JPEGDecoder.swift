import CTurboJPEG

/// JPEG decoding through TurboJPEG (libjpeg-turbo 2.1 API: `tjDecompressHeader3` / `tjDecompress2`).
///
/// Decodes with the accurate integer IDCT and fancy upsampling, libjpeg's defaults and Pillow's, so
/// pixels agree with Pillow on the same libjpeg-turbo. Grayscale JPEGs come out replicated to RGB;
/// CMYK and YCCK JPEGs are decoded to CMYK and converted with Pillow's formula (see `cmykToRGB`).
enum JPEGDecoder {
    /// Decodes `bytes`, optionally downscaling in the DCT domain.
    ///
    /// - Parameter minimumSize: when given, the strongest of the reductions 1/2, 1/4, 1/8 that keeps
    ///   the decoded width ≥ `minimumSize.width` and height ≥ `minimumSize.height`, both measured
    ///   in the stored (pre-orientation) frame; none when even 1/2 is too small.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, name: String, limits: DecodeLimits, minimumSize: ImageSize?
    ) throws(ImagingError) -> RGBImage {
        guard let handle = tjInitDecompress() else {
            throw .corrupt(name: name, detail: "cannot create a TurboJPEG decompressor")
        }
        defer { tjDestroy(handle) }
        let source = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let size = UInt(bytes.count)

        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = 0
        var colorspace: Int32 = 0
        if tjDecompressHeader3(handle, source, size, &width, &height, &subsampling, &colorspace) != 0 {
            throw error(from: handle, name: name, bytes: bytes)
        }
        try limits.check(width: Int(width), height: Int(height), name: name)

        let scale = minimumSize.map { scalingFactor(width: Int(width), height: Int(height), minimum: $0) }
        let outWidth = scale.map { scaled(Int(width), $0) } ?? Int(width)
        let outHeight = scale.map { scaled(Int(height), $0) } ?? Int(height)

        let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
        let channels = isCMYK ? 4 : 3
        try limits.check(pixels: outWidth * outHeight, channels: channels, bytesPerSample: 1, name: name)
        let pixelFormat = isCMYK ? TJPF_CMYK : TJPF_RGB
        var status: Int32 = 0
        // Zero-filled, not uninitialised: TurboJPEG fills what it could not decode on a warning, but
        // nothing guarantees it writes every byte of a buffer of its own scaled size on every path.
        var output = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        output.withUnsafeMutableBufferPointer { out in
            // LIMITSCANS: a progressive file of thousands of tiny scans (a few KB that cost seconds of
            // CPU) is refused past 500 scans, far more than any encoder writes.
            status = tjDecompress2(
                handle, source, size, out.baseAddress, Int32(outWidth), 0, Int32(outHeight),
                pixelFormat.rawValue, TJFLAG_ACCURATEDCT | TJFLAG_LIMITSCANS)
        }
        if status != 0 {
            // Warnings (e.g. "extraneous bytes before marker") still give a full image, and Pillow
            // accepts them too; a premature end of file means a truncated download: refuse it.
            let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
            let failure = error(from: handle, name: name, bytes: bytes)
            if !isWarning { throw failure }
            if case .truncated = failure { throw failure }
        }
        let rgb = isCMYK ? cmykToRGB(output) : output
        return RGBImage(width: outWidth, height: outHeight, pixels: rgb)
    }

    /// The strongest DCT-domain reduction keeping both sides ≥ the minimum.
    ///
    /// Only 1/2, 1/4 and 1/8 are candidates: libjpeg-turbo 2.1 has SIMD inverse DCTs for those, while
    /// its other factors (7/8, 3/4, 5/8, ...) run plain C and were measured slower than a full decode
    /// (300x300 cover: 1 → 253 µs, 7/8 → 503 µs, 3/4 → 370 µs, 1/2 → 183 µs).
    static func scalingFactor(width: Int, height: Int, minimum: ImageSize) -> tjscalingfactor {
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return tjscalingfactor(num: 1, denom: 1) }
        var best = tjscalingfactor(num: 1, denom: 1)
        for index in 0..<Int(count) {
            let factor = factors[index]
            guard factor.num == 1, [1, 2, 4, 8].contains(factor.denom) else { continue }
            guard scaled(width, factor) >= minimum.width, scaled(height, factor) >= minimum.height else { continue }
            if Int(factor.num) * Int(best.denom) < Int(best.num) * Int(factor.denom) { best = factor }
        }
        return best
    }

    /// TurboJPEG's `TJSCALED`: ceil(dimension * num / denom).
    static func scaled(_ dimension: Int, _ factor: tjscalingfactor) -> Int {
        (dimension * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
    }

    /// CMYK → RGB as Pillow does it (`CMYK;I` raw mode, then `cmyk2rgb`).
    ///
    /// Photoshop and Pillow store CMYK JPEGs inverted (Adobe convention), so the stored byte is
    /// `255 - ink`. With `c = 255 - stored` and `k = 255 - storedK`:
    /// `R = clip(255 - k - c * (255 - k) / 255)`, the division rounded as Pillow's `MULDIV255`.
    static func cmykToRGB(_ cmyk: [UInt8]) -> [UInt8] {
        let pixelCount = cmyk.count / 4
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        cmyk.withUnsafeBufferPointer { input in
            rgb.withUnsafeMutableBufferPointer { output in
                for index in 0..<pixelCount {
                    let notK = Int(input[index * 4 + 3])  // 255 - k
                    for channel in 0..<3 {
                        let ink = 255 - Int(input[index * 4 + channel])
                        let value = notK - mulDiv255(ink, notK)
                        output[index * 3 + channel] = UInt8(clamping: value)
                    }
                }
            }
        }
        return rgb
    }

    /// a * b / 255 rounded, exactly as Pillow's `MULDIV255` macro.
    @inline(__always)
    static func mulDiv255(_ a: Int, _ b: Int) -> Int {
        let product = a * b + 128
        return ((product >> 8) + product) >> 8
    }

    /// Classifies a TurboJPEG failure. A file that fails and has no end-of-image marker near its end
    /// is reported as truncated: an interrupted download, whatever libjpeg tripped over first.
    private static func error(from handle: tjhandle, name: String, bytes: UnsafeRawBufferPointer) -> ImagingError {
        let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown TurboJPEG error"
        if message.contains("Premature end of JPEG file") || !hasEndMarker(bytes) {
            return .truncated(name: name, detail: message)
        }
        return .corrupt(name: name, detail: message)
    }

    /// Whether an EOI marker (FF D9) appears in the last kilobyte. Entropy-coded data cannot contain
    /// it (0xFF is byte-stuffed), so a file cut inside the scan never has one there.
    static func hasEndMarker(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 2 else { return false }
        let start = max(0, bytes.count - 1024)
        for index in stride(from: bytes.count - 2, through: start, by: -1)
        where bytes[index] == 0xFF && bytes[index + 1] == 0xD9 {
            return true
        }
        return false
    }
}
