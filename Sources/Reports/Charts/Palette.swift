import Foundation

/// Colours used by every chart and by the stylesheet.
///
/// Genre colours come from the Okabe–Ito colour-blind-safe set for the study's six genres, so
/// "rock" is the same vermilion in every chart of every report. Genres outside the study (the
/// covers-dev set has pop, electronic, hiphop) get fixed colours too; names nobody anticipated get
/// one from `fallbackColours`, chosen per palette so that no two classes in one report share a colour.
public struct Palette: Sendable {
    /// Text colour.
    public static let ink = "#222222"
    /// Secondary text (axis labels, captions).
    public static let mutedInk = "#555555"
    /// Axis lines.
    public static let axis = "#888888"
    /// Grid lines.
    public static let grid = "#e3e3e3"
    /// Shading for phase regions in line charts, alternating.
    public static let regionFills = ["#f1f4f8", "#fbf3e6", "#eef6ef", "#f6eef6"]

    /// Fixed colours of the study's genres and of the covers-dev genres.
    public static let genreColours: [String: String] = [
        "rock": "#D55E00", "rap": "#0072B2", "country": "#E69F00",
        "jazz": "#009E73", "holiday": "#CC79A7", "latin": "#56B4E9",
        "pop": "#7F3C8D", "electronic": "#4D4D4D", "hiphop": "#332288",
    ]

    /// Colours for classes without a fixed colour, in order of use.
    public static let fallbackColours = [
        "#999933", "#882255", "#44AA99", "#A6761D", "#1B9E77", "#E7298A", "#666666", "#117733",
        "#AA4499", "#88CCEE",
    ]

    /// Colours for generic series (train/validation curves), distinct from each other in grey scale.
    public static let seriesColours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

    private let assigned: [String: String]

    /// A palette for a report whose classes are `classNames` (case-insensitive). Known genres keep
    /// their fixed colour; the others take unused fallback colours in sorted-name order, so the
    /// assignment depends only on the set of names.
    public init(classNames: [String]) {
        var assigned: [String: String] = [:]
        var used = Set<String>()
        for name in classNames {
            let key = name.lowercased()
            if let colour = Self.genreColours[key] {
                assigned[key] = colour
                used.insert(colour)
            }
        }
        var fallbacks = Self.fallbackColours.filter { !used.contains($0) }
        for key in Set(classNames.map { $0.lowercased() }).sorted() where assigned[key] == nil {
            assigned[key] = fallbacks.isEmpty ? Self.hashedColour(key) : fallbacks.removeFirst()
        }
        self.assigned = assigned
    }

    /// The colour of `className`; names the palette was not built with get a stable hashed colour.
    public func colour(for className: String) -> String {
        let key = className.lowercased()
        return assigned[key] ?? Self.genreColours[key] ?? Self.hashedColour(key)
    }

    /// A colour from `fallbackColours` chosen by an FNV-1a hash of `key` (stable across runs, unlike
    /// `Hasher`).
    static func hashedColour(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return fallbackColours[Int(hash % UInt64(fallbackColours.count))]
    }

    // MARK: - Sequential scale

    /// Stops of the sequential scale used by heat maps: near-white to dark blue, monotonic in
    /// lightness so it also reads in grey-scale print.
    static let sequentialStops: [(position: Double, rgb: (Double, Double, Double))] = [
        (0.00, (247, 251, 255)), (0.25, (198, 219, 239)), (0.50, (107, 174, 214)),
        (0.75, (33, 113, 181)), (1.00, (8, 48, 107)),
    ]

    /// The sequential colour at `fraction` ∈ [0, 1] (clamped), linearly interpolated between stops.
    public static func sequential(_ fraction: Double) -> String {
        let t = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let rgb = sequentialRGB(t)
        return hex(rgb)
    }

    /// Text colour readable on `sequential(fraction)`: white on dark cells, ink on light ones,
    /// using WCAG relative luminance with a threshold of 0.35.
    public static func textColour(onSequential fraction: Double) -> String {
        let t = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let (r, g, b) = sequentialRGB(t)
        func linear(_ channel: Double) -> Double {
            let c = channel / 255
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055).power(2.4)
        }
        let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
        return luminance < 0.35 ? "#ffffff" : ink
    }

    /// An HSV colour as `#rrggbb` (hue in degrees, saturation and value in [0, 1]); used to tint
    /// hue-histogram bins with the hue they count.
    public static func hsv(hue: Double, saturation: Double, value: Double) -> String {
        let h = (hue.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
        let c = value * saturation
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let m = value - c
        let (r, g, b): (Double, Double, Double) =
            switch Int(h) {
            case 0: (c, x, 0)
            case 1: (x, c, 0)
            case 2: (0, c, x)
            case 3: (0, x, c)
            case 4: (x, 0, c)
            default: (c, 0, x)
            }
        return hex(((r + m) * 255, (g + m) * 255, (b + m) * 255))
    }

    private static func sequentialRGB(_ t: Double) -> (Double, Double, Double) {
        let stops = sequentialStops
        var index = 0
        while index < stops.count - 2 && t > stops[index + 1].position { index += 1 }
        let lower = stops[index], upper = stops[index + 1]
        let u = (t - lower.position) / (upper.position - lower.position)
        func mix(_ a: Double, _ b: Double) -> Double { a + (b - a) * u }
        return (mix(lower.rgb.0, upper.rgb.0), mix(lower.rgb.1, upper.rgb.1), mix(lower.rgb.2, upper.rgb.2))
    }

    private static func hex(_ rgb: (Double, Double, Double)) -> String {
        func byte(_ v: Double) -> String {
            let clamped = Int(min(255, max(0, v.rounded())))
            let digits = String(clamped, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "#" + byte(rgb.0) + byte(rgb.1) + byte(rgb.2)
    }
}

extension Double {
    fileprivate func power(_ exponent: Double) -> Double {
        Foundation.pow(self, exponent)
    }
}
