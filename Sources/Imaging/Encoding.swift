import AtomicFiles
import CPNG
import CTurboJPEG
import Foundation

/// JPEG chroma subsampling for `encodeJPEG`.
public enum ChromaSubsampling: Sendable {
    /// Full-resolution colour (sharper edges, bigger files).
    case none
    /// Colour at half resolution in both directions, the usual photo setting.
    case half

    var turboJPEG: Int32 {
        switch self {
        case .none: Int32(TJSAMP_444.rawValue)
        case .half: Int32(TJSAMP_420.rawValue)
        }
    }
}

extension RGBImage {
    /// The image as a PNG file (8-bit RGB, libpng's simplified writer).
    public func encodePNG() throws(ImagingError) -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(PNG_FORMAT_FLAG_COLOR)
        defer { png_image_free(&image) }
        var size = 0
        let sized = pixels.withUnsafeBytes { raw in
            png_image_write_to_memory(&image, nil, &size, 0, raw.baseAddress, 0, nil)
        }
        guard sized != 0, size > 0 else { throw .encodingFailed(detail: "PNG: \(Self.message(of: &image))") }
        var output = Data(count: size)
        let written = output.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes { raw in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, raw.baseAddress, 0, nil)
            }
        }
        guard written != 0 else { throw .encodingFailed(detail: "PNG: \(Self.message(of: &image))") }
        return output.prefix(size)
    }

    /// The image as a baseline JPEG file.
    ///
    /// - Parameter quality: 1...100 (libjpeg's scale; 75 is a common default, 90 for thumbnails).
    public func encodeJPEG(quality: Int = 90, subsampling: ChromaSubsampling = .half) throws(ImagingError) -> Data {
        precondition((1...100).contains(quality), "encodeJPEG: quality must be in 1...100, got \(quality)")
        guard let handle = tjInitCompress() else {
            throw .encodingFailed(detail: "cannot create a TurboJPEG compressor")
        }
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = pixels.withUnsafeBufferPointer { input in
            tjCompress2(
                handle, input.baseAddress, Int32(width), 0, Int32(height), TJPF_RGB.rawValue, &buffer, &size,
                subsampling.turboJPEG, Int32(quality), TJFLAG_ACCURATEDCT)
        }
        defer { if let buffer { tjFree(buffer) } }
        guard status == 0, let buffer else {
            let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
            throw .encodingFailed(detail: "JPEG: \(message)")
        }
        return Data(bytes: buffer, count: Int(size))
    }

    /// Writes the image as PNG or JPEG (chosen by the extension, `.png` or `.jpg`/`.jpeg`)
    /// atomically (`AtomicFile`).
    public func write(to url: URL, jpegQuality: Int = 90) throws(ImagingError) {
        let data: Data
        switch url.pathExtension.lowercased() {
        case "png": data = try encodePNG()
        case "jpg", "jpeg": data = try encodeJPEG(quality: jpegQuality)
        default: throw .encodingFailed(detail: "\(url.path): unknown image extension '\(url.pathExtension)'")
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw .encodingFailed(detail: "\(error.path): \(error.reason)")
        }
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
