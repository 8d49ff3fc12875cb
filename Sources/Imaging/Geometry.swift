extension RGBImage {
    /// The `size` rectangle whose top-left corner is (`x`, `y`). Parts outside the image are black,
    /// as torchvision pads a crop larger than its input.
    public func cropped(x: Int, y: Int, size: ImageSize) -> RGBImage {
        precondition(size.width > 0 && size.height > 0, "cropped: size must be positive, got \(size)")
        var output = [UInt8](repeating: 0, count: size.width * size.height * 3)
        let columnStart = max(x, 0)
        let columnEnd = min(x + size.width, width)
        guard columnStart < columnEnd else { return RGBImage(width: size.width, height: size.height, pixels: output) }
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for row in max(y, 0)..<min(y + size.height, height) {
                    let from = (row * width + columnStart) * 3
                    let to = ((row - y) * size.width + (columnStart - x)) * 3
                    let count = (columnEnd - columnStart) * 3
                    out.baseAddress!.advanced(by: to).update(from: input.baseAddress!.advanced(by: from), count: count)
                }
            }
        }
        return RGBImage(width: size.width, height: size.height, pixels: output)
    }

    /// The centred `size` crop, placed like torchvision's `CenterCrop`:
    /// `top = round((height - cropHeight) / 2)` with Python's round-half-to-even.
    public func centerCropped(to size: ImageSize) -> RGBImage {
        let origin = ImageSize(width: width, height: height).centerCropOrigin(for: size)
        return cropped(x: origin.x, y: origin.y, size: size)
    }

    /// The image mirrored left to right.
    public func horizontallyFlipped() -> RGBImage {
        var output = pixels
        output.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { input in
                for row in 0..<height {
                    let rowStart = row * width * 3
                    for column in 0..<width {
                        let from = rowStart + column * 3
                        let to = rowStart + (width - 1 - column) * 3
                        out[to] = input[from]
                        out[to + 1] = input[from + 1]
                        out[to + 2] = input[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// The size with the shorter side scaled to `shorterSide`, as torchvision's `Resize(int)`:
    /// the longer side becomes `Int(shorterSide * long / short)` (truncated).
    public func sizeWithShorterSide(_ shorterSide: Int) -> ImageSize {
        if width <= height {
            return ImageSize(width: shorterSide, height: max(1, shorterSide * height / width))
        }
        return ImageSize(width: max(1, shorterSide * width / height), height: shorterSide)
    }
}

extension ImageSize {
    /// Top-left corner of a centred `crop`, as torchvision's `CenterCrop`:
    /// `round((height - cropHeight) / 2)` with Python's round-half-to-even (negative when padding).
    public func centerCropOrigin(for crop: ImageSize) -> (x: Int, y: Int) {
        let top = (Double(height - crop.height) / 2).rounded(.toNearestOrEven)
        let left = (Double(width - crop.width) / 2).rounded(.toNearestOrEven)
        return (Int(left), Int(top))
    }
}
