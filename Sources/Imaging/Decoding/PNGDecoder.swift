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
