/// An 8-bit RGB image, pixels interleaved row by row (`[r, g, b, r, g, b, ...]`, top row first).
///
/// `pixels.count == width * height * 3`. Value type: copies are cheap until mutated.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Interleaved RGB bytes; the pixel at column `x`, row `y` starts at `(y * width + x) * 3`.
    /// Read-only outside the module so the count always matches the size; build a new image instead.
    public internal(set) var pixels: [UInt8]

    /// Wraps existing interleaved RGB bytes. `pixels.count` must be `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "RGBImage: size must be positive, got \(width)x\(height)")
        precondition(
            pixels.count == width * height * 3,
            "RGBImage: \(pixels.count) bytes for \(width)x\(height)x3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, filledWith color: RGBColor) {
        precondition(width > 0 && height > 0, "RGBImage: size must be positive, got \(width)x\(height)")
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in stride(from: 0, to: pixels.count, by: 3) {
            pixels[index] = color.red
            pixels[index + 1] = color.green
            pixels[index + 2] = color.blue
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The colour at column `x`, row `y` (bounds are preconditions).
    public subscript(x: Int, y: Int) -> RGBColor {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "RGBImage: (\(x), \(y)) outside \(width)x\(height)")
        let offset = (y * width + x) * 3
        return RGBColor(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
    }
}

/// One 8-bit RGB colour.
public struct RGBColor: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    public static let black = RGBColor(red: 0, green: 0, blue: 0)
}
