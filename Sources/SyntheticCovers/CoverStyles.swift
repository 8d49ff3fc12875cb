/// Procedural "genre styles" for the synthetic demo covers.
///
/// Each genre has a palette and a few motifs, loosely after real cover conventions (dark, jagged
/// rock; portrait-and-gold rap; landscape country; geometric, typographic jazz; red-green holiday
/// with snow; saturated latin with suns). Styles deliberately overlap: every cover has a chance
/// of borrowing a palette or a motif from another genre, plus jitter and noise, so the task is
/// learnable but not trivial (a linear probe on good features lands well below 100 %).
public enum CoverStyle: String, CaseIterable, Sendable {
    case rock, rap, country, jazz, holiday, latin

    var palette: [RGB] {
        switch self {
        case .rock: [RGB(0x111111), RGB(0x8B0000), RGB(0xE8E8E8), RGB(0x3A3A3A), RGB(0xC41E3A)]
        case .rap: [RGB(0x0D0D0D), RGB(0xD4AF37), RGB(0x8E5B3E), RGB(0xF2F2F2), RGB(0x4B2E83)]
        case .country: [RGB(0x87CEEB), RGB(0x8B5A2B), RGB(0xDEB887), RGB(0x556B2F), RGB(0xF5DEB3)]
        case .jazz: [RGB(0x1F3A5F), RGB(0x2E8B8B), RGB(0xF0EAD6), RGB(0xE1A21B), RGB(0x202020)]
        case .holiday: [RGB(0xB22222), RGB(0x0B6623), RGB(0xFFFFFF), RGB(0xFFD700), RGB(0x8B0000)]
        case .latin: [RGB(0xFF1493), RGB(0xFF8C00), RGB(0xFFD700), RGB(0x00A86B), RGB(0x8A2BE2)]
        }
    }
}

/// Draws covers of a given style.
public struct CoverPainter: Sendable {
    public var size: Int
    /// Probability of borrowing the palette of another genre.
    public var paletteBorrowing: Float
    /// Probability of adding a motif of another genre.
    public var motifBorrowing: Float

    public init(size: Int = 128, paletteBorrowing: Float = 0.25, motifBorrowing: Float = 0.35) {
        self.size = size
        self.paletteBorrowing = paletteBorrowing
        self.motifBorrowing = motifBorrowing
    }

    public func paint(_ style: CoverStyle, generator: inout some RandomNumberGenerator) -> Canvas {
        let paletteStyle =
            Float.random(in: 0..<1, using: &generator) < paletteBorrowing
            ? CoverStyle.allCases.randomElement(using: &generator)! : style
        let palette = paletteStyle.palette.map { $0.jittered(24, using: &generator) }
        var canvas = Canvas(width: size, height: size, background: palette[0])
        drawMotif(style, palette: palette, on: &canvas, generator: &generator)
        if Float.random(in: 0..<1, using: &generator) < motifBorrowing {
            let other = CoverStyle.allCases.randomElement(using: &generator)!
            drawMotif(other, palette: palette, on: &canvas, generator: &generator)
        }
        drawTextBlocks(on: &canvas, colour: palette.randomElement(using: &generator)!, generator: &generator)
        canvas.addNoise(amplitude: Float.random(in: 2...18, using: &generator), generator: &generator)
        return canvas
    }

    private func drawMotif(_ style: CoverStyle, palette: [RGB], on canvas: inout Canvas, generator g: inout some RandomNumberGenerator) {
        let s = Float(size)
        func r(_ range: ClosedRange<Float>) -> Float { Float.random(in: range, using: &g) }
        switch style {
        case .rock:
            // Jagged strokes and a hard-edged band.
            for _ in 0..<Int.random(in: 4...9, using: &g) {
                canvas.line(from: (r(0...s), r(0...s)), to: (r(0...s), r(0...s)), thickness: r(2...6), palette[Int.random(in: 1...4, using: &g)])
            }
            canvas.rectangle(x: 0, y: Int(r(0.6...0.8) * s), width: size, height: Int(r(0.05...0.15) * s), palette[1], alpha: 0.8)
        case .rap:
            // A portrait: head and shoulders silhouette, gold frame.
            let cx = r(0.35...0.65) * s
            canvas.ellipse(cx: cx, cy: r(0.85...1.0) * s, rx: r(0.3...0.45) * s, ry: r(0.25...0.35) * s, palette[2])
            canvas.ellipse(cx: cx, cy: r(0.4...0.55) * s, rx: r(0.14...0.2) * s, ry: r(0.18...0.24) * s, palette[2])
            let border = Int(r(0.02...0.05) * s)
            canvas.rectangle(x: 0, y: 0, width: size, height: border, palette[1])
            canvas.rectangle(x: 0, y: size - border, width: size, height: border, palette[1])
        case .country:
            // Sky gradient over a horizon and fields.
            let horizon = Int(r(0.45...0.7) * s)
            canvas.rectangle(x: 0, y: 0, width: size, height: horizon, palette[0])
            canvas.rectangle(x: 0, y: horizon, width: size, height: size - horizon, palette[Int.random(in: 1...3, using: &g)])
            canvas.ellipse(cx: r(0.2...0.8) * s, cy: Float(horizon), rx: r(0.1...0.2) * s, ry: r(0.05...0.1) * s, palette[4], alpha: 0.7)
        case .jazz:
            // Blue Note-like blocks: a few large flat rectangles, clean.
            for _ in 0..<Int.random(in: 2...5, using: &g) {
                canvas.rectangle(
                    x: Int(r(0...0.7) * s), y: Int(r(0...0.7) * s), width: Int(r(0.1...0.6) * s), height: Int(r(0.05...0.5) * s),
                    palette[Int.random(in: 1...4, using: &g)])
            }
        case .holiday:
            // Snowfall and a star.
            for _ in 0..<Int.random(in: 25...70, using: &g) {
                let radius = r(0.6...2.2)
                canvas.ellipse(cx: r(0...s), cy: r(0...s), rx: radius, ry: radius, RGB(0xFFFFFF), alpha: 0.9)
            }
            let (cx, cy, arm) = (r(0.3...0.7) * s, r(0.15...0.4) * s, r(0.06...0.12) * s)
            canvas.line(from: (cx - arm, cy), to: (cx + arm, cy), thickness: 2, palette[3])
            canvas.line(from: (cx, cy - arm), to: (cx, cy + arm), thickness: 2, palette[3])
        case .latin:
            // A sun of concentric saturated rings on a warm gradient.
            canvas.verticalGradient(top: palette[0], bottom: palette[1])
            let (cx, cy) = (r(0.3...0.7) * s, r(0.3...0.7) * s)
            var radius = r(0.25...0.4) * s
            for ring in 0..<Int.random(in: 2...4, using: &g) {
                canvas.ellipse(cx: cx, cy: cy, rx: radius, ry: radius, palette[(ring + 2) % palette.count], alpha: 0.85)
                radius *= r(0.55...0.8)
            }
        }
    }

    /// Rows of small blocks standing in for a title and an artist name.
    private func drawTextBlocks(on canvas: inout Canvas, colour: RGB, generator g: inout some RandomNumberGenerator) {
        let lines = Int.random(in: 1...3, using: &g)
        var y = Int.random(in: 0...(size / 4), using: &g)
        let glyph = max(2, size / Int.random(in: 24...40, using: &g))
        for _ in 0..<lines {
            var x = Int.random(in: size / 16...size / 4, using: &g)
            for _ in 0..<Int.random(in: 4...14, using: &g) where x < size - glyph {
                canvas.rectangle(x: x, y: y, width: glyph, height: glyph * 2, colour)
                x += glyph + max(1, glyph / 2) + (Bool.random(using: &g) ? glyph : 0)
            }
            y += glyph * 3
        }
    }
}
