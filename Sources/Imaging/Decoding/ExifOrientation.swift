/// The EXIF orientation tag (0x0112): how the stored pixels must be turned to be shown upright.
///
/// Raw values follow the EXIF/TIFF specification; the transforms match Pillow's
/// `ImageOps.exif_transpose` (2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90° clockwise,
/// 7 transverse, 8 rotate 90° counter-clockwise).
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case up = 1
    case upMirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

    /// Whether applying the orientation swaps width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// Reads IFD0's orientation from a JPEG's APP1 "Exif" segment; nil when absent or malformed.
    /// Every offset is bounds-checked: the segment comes from untrusted files.
    static func fromJPEG(_ bytes: UnsafeRawBufferPointer) -> ExifOrientation? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var position = 2
        while position + 4 <= bytes.count {
            guard bytes[position] == 0xFF else { return nil }
            let marker = bytes[position + 1]
            if marker == 0xFF {  // fill byte before a marker
                position += 1
                continue
            }
            if marker == 0x01 || (0xD0...0xD8).contains(marker) {  // markers without a length
                position += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // image data starts: no EXIF before it
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            let segmentStart = position + 4
            let segmentEnd = position + 2 + length
            guard length >= 2, segmentEnd <= bytes.count else { return nil }
            if marker == 0xE1, length >= 8 {
                let header: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
                if (0..<6).allSatisfy({ bytes[segmentStart + $0] == header[$0] }) {
                    let tiff = UnsafeRawBufferPointer(rebasing: bytes[(segmentStart + 6)..<segmentEnd])
                    if let orientation = fromTIFF(tiff) { return orientation }
                }
            }
            position = segmentEnd
        }
        return nil
    }

    /// Reads the orientation from a PNG's `eXIf` chunk (before the first IDAT); nil when absent.
    static func fromPNG(_ bytes: UnsafeRawBufferPointer) -> ExifOrientation? {
        var position = 8
        while position + 8 <= bytes.count {
            let length = Int(readUInt32(bytes, at: position, bigEndian: true))
            let type = (4..<8).map { bytes[position + $0] }
            let dataStart = position + 8
            guard length >= 0, length <= bytes.count - dataStart else { return nil }
            if type == Array("IDAT".utf8) || type == Array("IEND".utf8) { return nil }
            if type == Array("eXIf".utf8) {
                var tiff = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + length)])
                if tiff.count >= 6, tiff[0] == 0x45, tiff[1] == 0x78, tiff[4] == 0, tiff[5] == 0 {
                    tiff = UnsafeRawBufferPointer(rebasing: tiff[6...])  // some writers keep "Exif\0\0"
                }
                return fromTIFF(tiff)
            }
            position = dataStart + length + 4  // skip data and CRC
        }
        return nil
    }

    /// Parses a TIFF header and IFD0 looking for tag 0x0112 (SHORT, count 1).
    static func fromTIFF(_ tiff: UnsafeRawBufferPointer) -> ExifOrientation? {
        guard tiff.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return nil
        }
        guard readUInt16(tiff, at: 2, bigEndian: bigEndian) == 42 else { return nil }
        let ifdOffset = Int(readUInt32(tiff, at: 4, bigEndian: bigEndian))
        guard ifdOffset >= 8, ifdOffset <= tiff.count - 2 else { return nil }
        let entryCount = Int(readUInt16(tiff, at: ifdOffset, bigEndian: bigEndian))
        for entry in 0..<entryCount {
            let offset = ifdOffset + 2 + entry * 12
            guard offset + 12 <= tiff.count else { return nil }
            guard readUInt16(tiff, at: offset, bigEndian: bigEndian) == 0x0112 else { continue }
            let type = readUInt16(tiff, at: offset + 2, bigEndian: bigEndian)
            guard type == 3 else { return nil }  // SHORT
            let value = Int(readUInt16(tiff, at: offset + 8, bigEndian: bigEndian))
            return ExifOrientation(rawValue: value)
        }
        return nil
    }
}

private func readUInt16(_ bytes: UnsafeRawBufferPointer, at offset: Int, bigEndian: Bool) -> UInt16 {
    let first = UInt16(bytes[offset])
    let second = UInt16(bytes[offset + 1])
    return bigEndian ? first << 8 | second : second << 8 | first
}

private func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int, bigEndian: Bool) -> UInt32 {
    let values = (0..<4).map { UInt32(bytes[offset + $0]) }
    return bigEndian
        ? values[0] << 24 | values[1] << 16 | values[2] << 8 | values[3]
        : values[3] << 24 | values[2] << 16 | values[1] << 8 | values[0]
}

extension RGBImage {
    /// The image turned upright according to an EXIF orientation.
    public func applying(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .up { return self }
        let outWidth = orientation.swapsAxes ? height : width
        let outHeight = orientation.swapsAxes ? width : height
        let (w, h) = (width, height)
        // For each output pixel (x, y), the source pixel it comes from.
        let source: (Int, Int) -> (Int, Int) =
            switch orientation {
            case .up: { x, y in (x, y) }
            case .upMirrored: { x, y in (w - 1 - x, y) }
            case .down: { x, y in (w - 1 - x, h - 1 - y) }
            case .downMirrored: { x, y in (x, h - 1 - y) }
            case .leftMirrored: { x, y in (y, x) }  // transpose
            case .right: { x, y in (y, h - 1 - x) }  // rotate 90° clockwise
            case .rightMirrored: { x, y in (w - 1 - y, h - 1 - x) }  // transverse
            case .left: { x, y in (w - 1 - y, x) }  // rotate 90° counter-clockwise
            }
        var output = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sx, sy) = source(x, y)
                        let from = (sy * w + sx) * 3
                        let to = (y * outWidth + x) * 3
                        out[to] = input[from]
                        out[to + 1] = input[from + 1]
                        out[to + 2] = input[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: output)
    }
}
