import Foundation

/// Resampling filters with Pillow's definitions (`Image.BOX`, `BILINEAR`, `BICUBIC`, `LANCZOS`).
///
/// Each is a kernel `k(x)` with a support radius; when downscaling by a factor `s > 1` the kernel is
/// stretched to `k(x / s)` with support `radius * s`, which is what antialiases.
public enum ResampleFilter: Sendable, CaseIterable {
    /// Area averaging: `k(x) = 1` on [-0.5, 0.5).
    case box
    /// Triangle: `k(x) = max(0, 1 - |x|)`.
    case bilinear
    /// Keys cubic with a = -0.5 (Pillow's choice; OpenCV and PyTorch tensors use -0.75).
    case bicubic
    /// Windowed sinc with 3 lobes.
    case lanczos

    var support: Double {
        switch self {
        case .box: 0.5
        case .bilinear: 1
        case .bicubic: 2
        case .lanczos: 3
        }
    }

    func weight(_ x: Double) -> Double {
        switch self {
        case .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let t = abs(x)
            return t < 1 ? 1 - t : 0
        case .bicubic:
            let a = -0.5
            let t = abs(x)
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
            return 0
        case .lanczos:
            let t = abs(x)
            guard t < 3 else { return 0 }
            return sinc(t) * sinc(t / 3)
        }
    }

    private func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = Double.pi * x
        return sin(px) / px
    }
}

/// A rectangle in source pixel coordinates (may be fractional), as Pillow's `resize(box:)`.
public struct SourceRegion: Sendable, Hashable {
    public var left, top, right, bottom: Double
    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}

extension RGBImage {
    /// Resamples the image (or `region` of it) to `size` the way Pillow's `Image.resize` does.
    ///
    /// A separable convolution: a horizontal pass over only the rows the vertical pass reads, then
    /// a vertical pass. For output pixel `i` along an axis the source centre is
    /// `c = start + (i + 0.5) * scale` with `scale = regionLength / outputLength`; taps
    /// `j ∈ [c - r + 0.5, c + r + 0.5)` with `r = support * max(scale, 1)` get weights
    /// `k((j - c + 0.5) / max(scale, 1))`, normalised to sum 1. Weights are rounded to 22-bit fixed
    /// point and sums rounded then clipped to 0...255 after each pass, as Pillow does for 8-bit
    /// images, so outputs match Pillow's exactly or within 1.
    public func resized(to size: ImageSize, filter: ResampleFilter = .bicubic, region: SourceRegion? = nil)
        -> RGBImage
    {
        resized(to: size, filter: filter, region: region, window: nil)
    }

    /// `resized(to:filter:region:)` followed by `cropped(x:y:size:)`, computing only the pixels the
    /// crop keeps (identical results; the crop must lie inside the resized image).
    public func resized(
        to size: ImageSize, filter: ResampleFilter = .bicubic, region: SourceRegion? = nil,
        thenCroppedTo crop: (x: Int, y: Int, size: ImageSize)
    ) -> RGBImage {
        precondition(
            crop.x >= 0 && crop.y >= 0 && crop.x + crop.size.width <= size.width
                && crop.y + crop.size.height <= size.height && crop.size.width > 0 && crop.size.height > 0,
            "resized(thenCroppedTo:): crop \(crop) outside \(size)")
        return resized(to: size, filter: filter, region: region, window: crop)
    }

    private func resized(
        to size: ImageSize, filter: ResampleFilter, region: SourceRegion?, window: (x: Int, y: Int, size: ImageSize)?
    ) -> RGBImage {
        precondition(size.width > 0 && size.height > 0, "resized: target size must be positive, got \(size)")
        let box = region ?? SourceRegion(left: 0, top: 0, right: Double(width), bottom: Double(height))
        precondition(
            box.left >= 0 && box.top >= 0 && box.right <= Double(width) && box.bottom <= Double(height)
                && box.left < box.right && box.top < box.bottom,
            "resized: region \(box) outside \(width)x\(height)")
        let needsHorizontal = size.width != width || box.left != 0 || box.right != Double(width)
        let needsVertical = size.height != height || box.top != 0 || box.bottom != Double(height)
        let columns = window.map { $0.x..<($0.x + $0.size.width) } ?? 0..<size.width
        let rows = window.map { $0.y..<($0.y + $0.size.height) } ?? 0..<size.height
        // A pass Pillow skips is an identity on that axis, so the window becomes a plain crop there.
        if !needsHorizontal && !needsVertical {
            return window == nil ? self : cropped(x: columns.lowerBound, y: rows.lowerBound, size: window!.size)
        }
        var current = self
        var verticalFirstRow = 0
        if needsHorizontal {
            let horizontal = ResampleCoefficients(
                inputLength: width, start: box.left, end: box.right, outputLength: size.width, filter: filter
            ).restricted(to: columns)
            var firstRow = rows.lowerBound
            var endRow = rows.upperBound
            if needsVertical {  // only the rows the vertical pass will read
                let vertical = ResampleCoefficients(
                    inputLength: height, start: box.top, end: box.bottom, outputLength: size.height, filter: filter
                ).restricted(to: rows)
                firstRow = vertical.first[0]
                endRow = vertical.first[rows.count - 1] + vertical.count[rows.count - 1]
            }
            current = resampleHorizontally(rows: firstRow..<endRow, coefficients: horizontal)
            verticalFirstRow = firstRow
        } else if window != nil {
            current = cropped(x: columns.lowerBound, y: 0, size: ImageSize(width: columns.count, height: height))
        }
        if needsVertical {
            let vertical = ResampleCoefficients(
                inputLength: height, start: box.top, end: box.bottom, outputLength: size.height, filter: filter
            ).restricted(to: rows)
            current = current.resampleVertically(coefficients: vertical, rowOffset: verticalFirstRow)
        }
        return current
    }

    private func resampleHorizontally(rows: Range<Int>, coefficients: ResampleCoefficients) -> RGBImage {
        let outWidth = coefficients.outputLength
        var output = [UInt8](repeating: 0, count: outWidth * rows.count * 3)
        let taps = coefficients.maximumTaps
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                coefficients.weights.withUnsafeBufferPointer { weights in
                    for (outRow, row) in rows.enumerated() {
                        let inRow = row * width * 3
                        let outRowStart = outRow * outWidth * 3
                        for x in 0..<outWidth {
                            let first = coefficients.first[x]
                            var red = ResampleCoefficients.rounding
                            var green = red
                            var blue = red
                            for tap in 0..<coefficients.count[x] {
                                let weight = weights[x * taps + tap]
                                let offset = inRow + (first + tap) * 3
                                red &+= Int32(input[offset]) &* weight
                                green &+= Int32(input[offset + 1]) &* weight
                                blue &+= Int32(input[offset + 2]) &* weight
                            }
                            let to = outRowStart + x * 3
                            out[to] = ResampleCoefficients.clip(red)
                            out[to + 1] = ResampleCoefficients.clip(green)
                            out[to + 2] = ResampleCoefficients.clip(blue)
                        }
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: rows.count, pixels: output)
    }

    private func resampleVertically(coefficients: ResampleCoefficients, rowOffset: Int) -> RGBImage {
        let outHeight = coefficients.outputLength
        let rowLength = width * 3
        var output = [UInt8](repeating: 0, count: rowLength * outHeight)
        var accumulator = [Int32](repeating: 0, count: rowLength)
        let taps = coefficients.maximumTaps
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                accumulator.withUnsafeMutableBufferPointer { sums in
                    for y in 0..<outHeight {
                        for index in 0..<rowLength { sums[index] = ResampleCoefficients.rounding }
                        // Row by row, so the inner loop runs over contiguous bytes and vectorises.
                        for tap in 0..<coefficients.count[y] {
                            let weight = coefficients.weights[y * taps + tap]
                            let inRow = (coefficients.first[y] + tap - rowOffset) * rowLength
                            for index in 0..<rowLength {
                                sums[index] &+= Int32(input[inRow + index]) &* weight
                            }
                        }
                        let outRow = y * rowLength
                        for index in 0..<rowLength { out[outRow + index] = ResampleCoefficients.clip(sums[index]) }
                    }
                }
            }
        }
        return RGBImage(width: width, height: outHeight, pixels: output)
    }
}

/// Per-output-pixel tap ranges and fixed-point weights along one axis.
struct ResampleCoefficients {
    /// Fractional bits of the weights: 32 - 8 (pixel) - 2 (headroom for negative lobes), as Pillow.
    static let precisionBits: Int32 = 22
    static let rounding: Int32 = 1 << (precisionBits - 1)

    let outputLength: Int
    let maximumTaps: Int
    /// First source index of each output pixel's taps.
    var first: [Int]
    /// Number of taps of each output pixel.
    var count: [Int]
    /// `outputLength * maximumTaps` weights scaled by 2^22, row-major by output pixel.
    var weights: [Int32]

    init(inputLength: Int, start: Double, end: Double, outputLength: Int, filter: ResampleFilter) {
        let scale = (end - start) / Double(outputLength)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let inverseScale = 1 / filterScale
        let maximumTaps = Int(support.rounded(.up)) * 2 + 1
        self.outputLength = outputLength
        self.maximumTaps = maximumTaps
        first = [Int](repeating: 0, count: outputLength)
        count = [Int](repeating: 0, count: outputLength)
        weights = [Int32](repeating: 0, count: outputLength * maximumTaps)
        var real = [Double](repeating: 0, count: maximumTaps)
        for index in 0..<outputLength {
            let center = start + (Double(index) + 0.5) * scale
            // C casts truncate towards zero; negative starts then clamp to 0 as in Pillow.
            let low = max(Int(center - support + 0.5), 0)
            let high = min(Int(center + support + 0.5), inputLength)
            let taps = max(high - low, 0)
            var total = 0.0
            for tap in 0..<taps {
                let weight = filter.weight((Double(tap + low) - center + 0.5) * inverseScale)
                real[tap] = weight
                total += weight
            }
            for tap in 0..<taps {
                let normalised = total != 0 ? real[tap] / total : real[tap]
                let fixed = normalised * Double(1 << Self.precisionBits)
                weights[index * maximumTaps + tap] = Int32(fixed < 0 ? fixed - 0.5 : fixed + 0.5)
            }
            first[index] = low
            count[index] = taps
        }
    }

    /// The coefficients of output pixels `range` only (for resizing straight into a crop).
    func restricted(to range: Range<Int>) -> ResampleCoefficients {
        if range == 0..<outputLength { return self }
        return ResampleCoefficients(
            outputLength: range.count, maximumTaps: maximumTaps, first: Array(first[range]), count: Array(count[range]),
            weights: Array(weights[(range.lowerBound * maximumTaps)..<(range.upperBound * maximumTaps)]))
    }

    private init(outputLength: Int, maximumTaps: Int, first: [Int], count: [Int], weights: [Int32]) {
        self.outputLength = outputLength
        self.maximumTaps = maximumTaps
        self.first = first
        self.count = count
        self.weights = weights
    }

    @inline(__always)
    static func clip(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> precisionBits)
    }
}
