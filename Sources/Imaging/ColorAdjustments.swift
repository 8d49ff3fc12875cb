import Foundation

/// Colour adjustments on 8-bit pixels, each rounding to nearest and clipping (as PIL's enhancers):
/// brightness `v·f`; contrast `m + f·(v - m)` with `m` the image's mean luma; saturation
/// `L + f·(v - L)` with `L = 0.299 R + 0.587 G + 0.114 B` of the pixel; hue a rotation in HSV.
extension RGBImage {
    /// Every channel multiplied by `factor`, rounded and clipped.
    public func adjustingBrightness(by factor: Double) -> RGBImage {
        mapping { value in Double(value) * factor }
    }

    /// Blended with its mean luma: `m + factor · (v - m)`.
    public func adjustingContrast(by factor: Double) -> RGBImage {
        var total = 0
        pixels.withUnsafeBufferPointer { input in
            for index in stride(from: 0, to: input.count, by: 3) { total += Self.fixedLuma(input, index) }
        }
        let mean = Double(total) / Double(1 << 16) / Double(width * height)
        return mapping { value in mean + factor * (Double(value) - mean) }
    }

    /// Blended with each pixel's luma: `L + factor · (v - L)`; 0 gives greyscale.
    ///
    /// Fixed point (luma weights and factor scaled by 2^16), so the result can differ from the
    /// real-valued formula by one level where it lands on a half.
    public func adjustingSaturation(by factor: Double) -> RGBImage {
        let scaledFactor = Int((factor * 65536).rounded())
        var output = pixels
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for index in stride(from: 0, to: input.count, by: 3) {
                    let gray = Self.fixedLuma(input, index)  // luma · 2^16
                    for channel in index..<(index + 3) {
                        let difference = (Int(input[channel]) << 16) - gray
                        let blended = gray + ((difference * scaledFactor) >> 16)
                        out[channel] = UInt8(clamping: (blended + 32768) >> 16)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// ITU-R 601 luma of the pixel starting at byte `index`.
    @inline(__always)
    func luma(at index: Int) -> Double {
        0.299 * Double(pixels[index]) + 0.587 * Double(pixels[index + 1]) + 0.114 * Double(pixels[index + 2])
    }

    /// ITU-R 601 luma scaled by 2^16 (weights 19595, 38470, 7471 sum to 65536).
    @inline(__always)
    static func fixedLuma(_ pixels: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        19595 * Int(pixels[index]) + 38470 * Int(pixels[index + 1]) + 7471 * Int(pixels[index + 2])
    }

    /// Rotates every pixel's hue by `shift` turns (−0.5...0.5) in HSV space, keeping saturation and
    /// value; greys are unchanged. Channels are rounded to nearest after the round trip.
    public func shiftingHue(by shift: Double) -> RGBImage {
        var output = pixels
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for index in stride(from: 0, to: input.count, by: 3) {
                    let red = Double(input[index])
                    let green = Double(input[index + 1])
                    let blue = Double(input[index + 2])
                    let maximum = Swift.max(red, green, blue)
                    let minimum = Swift.min(red, green, blue)
                    let chroma = maximum - minimum
                    guard chroma > 0 else { continue }
                    // Hue in turns [0, 1): which sector of the hexagon, and where within it.
                    var hue: Double
                    if maximum == red {
                        hue = (green - blue) / chroma / 6
                    } else if maximum == green {
                        hue = ((blue - red) / chroma + 2) / 6
                    } else {
                        hue = ((red - green) / chroma + 4) / 6
                    }
                    hue = (hue + shift).truncatingRemainder(dividingBy: 1)
                    if hue < 0 { hue += 1 }
                    let sector = hue * 6
                    // Each channel as a function of hue: max, falling, min, min, rising, max (shifted).
                    func channel(_ offset: Double) -> UInt8 {
                        let k = (offset + sector).truncatingRemainder(dividingBy: 6)
                        let weight = Swift.max(0, Swift.min(k, 4 - k, 1))
                        return roundedByte(maximum - chroma * weight)
                    }
                    out[index] = channel(5)
                    out[index + 1] = channel(3)
                    out[index + 2] = channel(1)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// Applies a per-value function through a 256-entry table.
    private func mapping(_ transform: (UInt8) -> Double) -> RGBImage {
        let table = (0...255).map { roundedByte(transform(UInt8($0))) }
        var output = pixels
        table.withUnsafeBufferPointer { lookup in
            output.withUnsafeMutableBufferPointer { out in
                for index in out.indices { out[index] = lookup[Int(out[index])] }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }
}

@inline(__always)
func roundedByte(_ value: Double) -> UInt8 {
    UInt8(clamping: Int((value).rounded()))
}
