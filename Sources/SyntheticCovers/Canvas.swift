/// A tiny RGB raster for drawing synthetic covers: filled shapes with alpha, gradients and noise.
/// Pixels are interleaved RGB, row-major, 8 bits per channel.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB) {
        self.width = width
        self.height = height
        pixels = Array(repeating: 0, count: width * height * 3)
        fill(background)
    }

    public mutating func fill(_ colour: RGB) {
        for i in 0..<(width * height) { set(i, colour, alpha: 1) }
    }

    /// Vertical gradient from `top` to `bottom`.
    public mutating func verticalGradient(top: RGB, bottom: RGB) {
        for y in 0..<height {
            let t = Float(y) / Float(max(height - 1, 1))
            let c = top.mixed(with: bottom, amount: t)
            for x in 0..<width { set(y * width + x, c, alpha: 1) }
        }
    }

    /// Axis-aligned rectangle in pixel coordinates, clipped to the canvas.
    public mutating func rectangle(x: Int, y: Int, width w: Int, height h: Int, _ colour: RGB, alpha: Float = 1) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { set(yy * width + xx, colour, alpha: alpha) } }
    }

    /// Filled ellipse with centre (cx, cy) and radii (rx, ry).
    public mutating func ellipse(cx: Float, cy: Float, rx: Float, ry: Float, _ colour: RGB, alpha: Float = 1) {
        let y0 = max(0, Int(cy - ry)), y1 = min(height - 1, Int(cy + ry))
        let x0 = max(0, Int(cx - rx)), x1 = min(width - 1, Int(cx + rx))
        guard x0 <= x1, y0 <= y1, rx > 0, ry > 0 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = (Float(x) + 0.5 - cx) / rx, dy = (Float(y) + 0.5 - cy) / ry
                if dx * dx + dy * dy <= 1 { set(y * width + x, colour, alpha: alpha) }
            }
        }
    }

    /// A straight stroke of the given thickness between two points.
    public mutating func line(from a: (Float, Float), to b: (Float, Float), thickness: Float, _ colour: RGB, alpha: Float = 1) {
        let length = max(abs(b.0 - a.0), abs(b.1 - a.1))
        let steps = max(Int(length), 1)
        for i in 0...steps {
            let t = Float(i) / Float(steps)
            ellipse(cx: a.0 + (b.0 - a.0) * t, cy: a.1 + (b.1 - a.1) * t, rx: thickness / 2, ry: thickness / 2, colour, alpha: alpha)
        }
    }

    /// Adds uniform noise of ±`amplitude` to every channel (film grain, print texture).
    public mutating func addNoise(amplitude: Float, generator: inout some RandomNumberGenerator) {
        guard amplitude > 0 else { return }
        for i in pixels.indices {
            let v = Float(pixels[i]) + Float.random(in: -amplitude...amplitude, using: &generator)
            pixels[i] = UInt8(max(0, min(255, v.rounded())))
        }
    }

    private mutating func set(_ index: Int, _ c: RGB, alpha: Float) {
        let base = index * 3
        if alpha >= 1 {
            pixels[base] = c.r
            pixels[base + 1] = c.g
            pixels[base + 2] = c.b
            return
        }
        let old = RGB(r: pixels[base], g: pixels[base + 1], b: pixels[base + 2])
        let mixed = old.mixed(with: c, amount: alpha)
        pixels[base] = mixed.r
        pixels[base + 1] = mixed.g
        pixels[base + 2] = mixed.b
    }
}

/// An 8-bit RGB colour.
public struct RGB: Sendable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }
    public init(_ hex: UInt32) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF))
    }

    /// Linear interpolation towards `other` by `amount` in [0, 1].
    public func mixed(with other: RGB, amount: Float) -> RGB {
        func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8(max(0, min(255, (Float(a) + (Float(b) - Float(a)) * amount).rounded()))) }
        return RGB(r: lerp(r, other.r), g: lerp(g, other.g), b: lerp(b, other.b))
    }

    /// The colour with each channel moved by up to ±`amount` at random.
    public func jittered(_ amount: Int, using generator: inout some RandomNumberGenerator) -> RGB {
        func j(_ v: UInt8) -> UInt8 { UInt8(max(0, min(255, Int(v) + Int.random(in: -amount...amount, using: &generator)))) }
        return RGB(r: j(r), g: j(g), b: j(b))
    }
}
