/// A flat SVG writer: drawing calls append escaped elements; `document(title:description:)` wraps
/// them in an accessible `<svg>` root.
///
/// Coordinates are user units of a `viewBox` of `width × height`; the HTML stylesheet scales the
/// chart down to the column width (`max-width: 100%; height: auto`), so charts stay readable in a
/// narrow window and in print. Every attribute value and text node is escaped here, so callers can
/// pass untrusted labels directly.
public struct SVGCanvas: Sendable {
    /// Horizontal anchoring of a text node (`text-anchor`).
    public enum TextAnchor: String, Sendable { case start, middle, end }

    /// Width and height of the drawing in user units.
    public let width: Double
    public let height: Double
    private var parts: [String] = []

    /// Font stack for chart text: fonts present on desktop systems and on Debian (DejaVu, Liberation);
    /// nothing is downloaded.
    public static let fontFamily = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"

    /// Creates an empty canvas of `width × height` user units.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Approximate advance width of `text` at `fontSize`, for layout decisions (margins, label
    /// thinning). Uses 0.6 em per character, a slight overestimate for proportional sans fonts.
    public static func estimatedTextWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }

    // MARK: - Shapes

    /// Appends a rectangle. `tooltip` becomes a `<title>` child, which browsers show on hover.
    public mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        stroke: String? = nil, strokeWidth: Double = 1, opacity: Double? = nil,
        cornerRadius: Double = 0, tooltip: String? = nil, attributes: [(String, String)] = []
    ) {
        var list: [(String, String)] = [
            ("x", Markup.coordinate(x)), ("y", Markup.coordinate(y)),
            ("width", Markup.coordinate(max(0, width))), ("height", Markup.coordinate(max(0, height))),
            ("fill", fill),
        ]
        if let stroke { list += [("stroke", stroke), ("stroke-width", Markup.coordinate(strokeWidth))] }
        if let opacity { list.append(("fill-opacity", Markup.coordinate(opacity))) }
        if cornerRadius > 0 { list.append(("rx", Markup.coordinate(cornerRadius))) }
        append("rect", list + attributes, tooltip: tooltip)
    }

    /// Appends a straight line segment.
    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
        strokeWidth: Double = 1, dash: String? = nil, attributes: [(String, String)] = []
    ) {
        var list: [(String, String)] = [
            ("x1", Markup.coordinate(x1)), ("y1", Markup.coordinate(y1)),
            ("x2", Markup.coordinate(x2)), ("y2", Markup.coordinate(y2)),
            ("stroke", stroke), ("stroke-width", Markup.coordinate(strokeWidth)),
        ]
        if let dash { list.append(("stroke-dasharray", dash)) }
        append("line", list + attributes)
    }

    /// Appends an open polyline through `points` (non-finite points are dropped by the caller).
    public mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, strokeWidth: Double = 2,
        dash: String? = nil, attributes: [(String, String)] = []
    ) {
        guard !points.isEmpty else { return }
        var list: [(String, String)] = [
            ("points", Self.pointList(points)), ("fill", "none"), ("stroke", stroke),
            ("stroke-width", Markup.coordinate(strokeWidth)), ("stroke-linejoin", "round"),
            ("stroke-linecap", "round"),
        ]
        if let dash { list.append(("stroke-dasharray", dash)) }
        append("polyline", list + attributes)
    }

    /// Appends a closed, filled polygon.
    public mutating func polygon(
        _ points: [(x: Double, y: Double)], fill: String, opacity: Double? = nil,
        stroke: String? = nil, tooltip: String? = nil
    ) {
        guard points.count >= 3 else { return }
        var list: [(String, String)] = [("points", Self.pointList(points)), ("fill", fill)]
        if let opacity { list.append(("fill-opacity", Markup.coordinate(opacity))) }
        if let stroke { list.append(("stroke", stroke)) }
        append("polygon", list, tooltip: tooltip)
    }

    /// Appends a circle (markers, scatter points).
    public mutating func circle(
        cx: Double, cy: Double, radius: Double, fill: String, stroke: String? = nil,
        strokeWidth: Double = 1, opacity: Double? = nil, tooltip: String? = nil
    ) {
        var list: [(String, String)] = [
            ("cx", Markup.coordinate(cx)), ("cy", Markup.coordinate(cy)),
            ("r", Markup.coordinate(radius)), ("fill", fill),
        ]
        if let stroke { list += [("stroke", stroke), ("stroke-width", Markup.coordinate(strokeWidth))] }
        if let opacity { list.append(("fill-opacity", Markup.coordinate(opacity))) }
        append("circle", list, tooltip: tooltip)
    }

    /// Appends a text node. `rotation` (degrees) turns the text about its anchor point; a vertical
    /// centre is approximated with `dy="0.35em"` because `dominant-baseline` renders inconsistently.
    public mutating func text(
        _ content: String, x: Double, y: Double, anchor: TextAnchor = .start, fontSize: Double = 12,
        weight: String? = nil, fill: String = Palette.ink, rotation: Double = 0,
        centredVertically: Bool = false, attributes: [(String, String)] = []
    ) {
        var list: [(String, String)] = [("x", Markup.coordinate(x)), ("y", Markup.coordinate(y))]
        if anchor != .start { list.append(("text-anchor", anchor.rawValue)) }
        if fontSize != 12 { list.append(("font-size", Markup.coordinate(fontSize))) }
        if let weight { list.append(("font-weight", weight)) }
        if fill != Palette.ink { list.append(("fill", fill)) }
        if centredVertically { list.append(("dy", "0.35em")) }
        if rotation != 0 {
            list.append(("transform", "rotate(\(Markup.coordinate(rotation)) \(Markup.coordinate(x)) \(Markup.coordinate(y)))"))
        }
        parts.append("<text\(Self.attributeString(list + attributes))>\(Markup.escapeText(content))</text>")
    }

    /// Opens a `<g>` group; pair with `endGroup()`.
    public mutating func beginGroup(_ attributes: [(String, String)] = []) {
        parts.append("<g\(Self.attributeString(attributes))>")
    }

    /// Closes the innermost group opened with `beginGroup(_:)`.
    public mutating func endGroup() {
        parts.append("</g>")
    }

    // MARK: - Document

    /// The finished SVG: a root with `role="img"`, an `aria-label`, and `<title>`/`<desc>` children
    /// for assistive technology and for hover text.
    public func document(title: String, description: String? = nil) -> String {
        var root: [(String, String)] = [
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("viewBox", "0 0 \(Markup.coordinate(width)) \(Markup.coordinate(height))"),
            ("width", Markup.coordinate(width)), ("height", Markup.coordinate(height)),
            ("role", "img"), ("aria-label", title), ("class", "chart"),
            // Shrinks with the window down to this width, then the figure scrolls sideways: below it
            // the text would become unreadably small.
            ("style", "min-width: \(Markup.coordinate(width >= 600 ? 600 : (width * 0.8).rounded()))px"),
            ("font-family", Self.fontFamily), ("font-size", "12"), ("fill", Palette.ink),
        ]
        if description != nil { root.append(("aria-description", description ?? "")) }
        var out = "<svg\(Self.attributeString(root))><title>\(Markup.escapeText(title))</title>"
        if let description { out += "<desc>\(Markup.escapeText(description))</desc>" }
        out += parts.joined()
        out += "</svg>"
        return out
    }

    // MARK: - Private

    private mutating func append(_ name: String, _ attributes: [(String, String)], tooltip: String? = nil) {
        if let tooltip {
            parts.append("<\(name)\(Self.attributeString(attributes))><title>\(Markup.escapeText(tooltip))</title></\(name)>")
        } else {
            parts.append("<\(name)\(Self.attributeString(attributes))/>")
        }
    }

    /// Attribute names come from this module, but `attributes:` is public: names that are not plain
    /// XML names are dropped rather than written, so they can never break the markup.
    private static func attributeString(_ attributes: [(String, String)]) -> String {
        attributes.filter { Markup.isValidName($0.0) }
            .map { " \($0.0)=\"\(Markup.escapeAttribute($0.1))\"" }.joined()
    }

    private static func pointList(_ points: [(x: Double, y: Double)]) -> String {
        points.map { "\(Markup.coordinate($0.x)),\(Markup.coordinate($0.y))" }.joined(separator: " ")
    }
}
