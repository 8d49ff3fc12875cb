import Testing

@testable import SyntheticCovers

struct CoverPainterTests {
    struct FixedGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    @Test func theSameSeedPaintsTheSameCover() {
        var a = FixedGenerator(state: 7)
        var b = FixedGenerator(state: 7)
        let painter = CoverPainter(size: 48)
        #expect(painter.paint(.jazz, generator: &a).pixels == painter.paint(.jazz, generator: &b).pixels)
    }

    @Test func stylesDifferInTheirMeanColour() {
        // Holiday covers are redder and greener than jazz covers' blues on average.
        var generator = FixedGenerator(state: 1)
        let painter = CoverPainter(size: 32, paletteBorrowing: 0, motifBorrowing: 0)
        func meanBlueShare(_ style: CoverStyle) -> Double {
            var blue = 0.0, total = 0.0
            for _ in 0..<20 {
                let pixels = painter.paint(style, generator: &generator).pixels
                for i in stride(from: 0, to: pixels.count, by: 3) {
                    blue += Double(pixels[i + 2])
                    total += Double(pixels[i]) + Double(pixels[i + 1]) + Double(pixels[i + 2])
                }
            }
            return blue / total
        }
        #expect(meanBlueShare(.jazz) > meanBlueShare(.latin))
    }

    @Test func shapesStayInsideTheCanvas() {
        var canvas = Canvas(width: 10, height: 6, background: RGB(0x000000))
        canvas.rectangle(x: -5, y: -5, width: 100, height: 100, RGB(0xFFFFFF))
        canvas.ellipse(cx: -100, cy: 3, rx: 2, ry: 2, RGB(0xFF0000))
        #expect(canvas.pixels.count == 10 * 6 * 3)
        #expect(canvas.pixels.allSatisfy { $0 == 255 })
    }
}
