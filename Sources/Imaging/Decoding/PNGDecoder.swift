import CPNG

/// PNG decoding through libpng's simplified API (`png_image_*`).
///
/// That API reports errors in `png_image.message` instead of `longjmp`ing out of the caller, which
/// must never happen across Swift frames. It expands palettes, tRNS, grayscale and 16-bit samples;
/// 16-bit files are read as sRGB-encoded (flag `PNG_IMAGE_FLAG_16BIT_sRGB`, what Pillow assumes) and
/// scaled to 8 bits with rounding. Alpha is composited on white here, in 8-bit integer maths:
/// `out = (c * a + 255 * (255 - a) + 127) / 255`.
///
/// Known difference from Pillow: libpng converts files whose `gAMA` is far from sRGB to sRGB, while
/// Pillow ignores gamma.
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, name: String, limits: DecodeLimits) throws(ImagingError)
        -> RGBImage
    {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        if png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) == 0 {
            throw error(from: &image, name: name)
        }
        let width = Int(image.width)
        let height = Int(image.height)
        try limits.check(width: width, height: height, name: name)

        let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let isSixteenBit = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        let isInterlaced = bytes.count > 28 && bytes[28] != 0  // IHDR's interlace byte; IHDR comes first
        // The 16-bit interlaced path below reads 16-bit samples; the other reads 8-bit ones.
        try limits.check(
            pixels: width * height, channels: hasAlpha ? 4 : 3,
            bytesPerSample: isSixteenBit && isInterlaced ? 2 : 1, name: name)
        if isSixteenBit && isInterlaced {
            return try decodeSixteenBitInterlaced(&image, name: name, hasAlpha: hasAlpha)
        }
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        image.format = UInt32(PNG_FORMAT_FLAG_COLOR) | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        let channels = hasAlpha ? 4 : 3
        var buffer = [UInt8](repeating: 0, count: width * height * channels)
        let finished = buffer.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
        }
        if finished == 0 { throw error(from: &image, name: name) }
        let rgb = hasAlpha ? compositeOnWhite(buffer) : buffer
        return RGBImage(width: width, height: height, pixels: rgb)
    }

    /// Works around libpng bug #853 (1.6.39 as patched by Debian): the simplified API's 16 → 8-bit
    /// path corrupts about half the samples of Adam7-interlaced 16-bit files. Such files are read as
    /// 16-bit "linear" instead, which for a file without gamma chunks is the stored samples
    /// unchanged (alpha premultiplied), then rounded to 8 bits here: `(v + 128) / 257`.
    /// A 16-bit interlaced file with a gAMA/sRGB/iCCP chunk comes out gamma-decoded (too dark).
    private static func decodeSixteenBitInterlaced(_ image: inout png_image, name: String, hasAlpha: Bool)
        throws(ImagingError) -> RGBImage
    {
        let width = Int(image.width)
        let height = Int(image.height)
        let channels = hasAlpha ? 4 : 3
        image.format =
            UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_LINEAR) | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        var samples = [UInt16](repeating: 0, count: width * height * channels)
        let finished = samples.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
        }
        if finished == 0 { throw error(from: &image, name: name) }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<(width * height) {
            // Premultiplied colour over white: c·a/65535 + 65535·(1 − a/65535) = c_pm + 65535 − a.
            let background = hasAlpha ? 65535 - Int(samples[index * 4 + 3]) : 0
            for channel in 0..<3 {
                let value = Int(samples[index * channels + channel]) + background
                rgb[index * 3 + channel] = UInt8(min((value + 128) / 257, 255))
            }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }

    /// RGBA (straight alpha) → RGB over a white background.
    static func compositeOnWhite(_ rgba: [UInt8]) -> [UInt8] {
        let pixelCount = rgba.count / 4
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        rgba.withUnsafeBufferPointer { input in
            rgb.withUnsafeMutableBufferPointer { output in
                for index in 0..<pixelCount {
                    let alpha = Int(input[index * 4 + 3])
                    let background = 255 * (255 - alpha)
                    for channel in 0..<3 {
                        let value = (Int(input[index * 4 + channel]) * alpha + background + 127) / 255
                        output[index * 3 + channel] = UInt8(value)
                    }
                }
            }
        }
        return rgb
    }

    private static func error(from image: inout png_image, name: String) -> ImagingError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let detail = message.isEmpty ? "libpng failed without a message" : message
        if detail.contains("end of data") || detail.contains("Not enough image data") || detail.contains("EOF") {
            return .truncated(name: name, detail: detail)
        }
        return .corrupt(name: name, detail: detail)
    }
}
