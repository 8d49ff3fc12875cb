/// Escaping and number formatting shared by the SVG and HTML writers.
///
/// Every string that reaches a report from data (genre names, file paths, run names) passes through
/// `Markup.escapeText` or `Markup.escapeAttribute`; nothing in this module concatenates raw data
/// into markup. The same rules serve HTML5 and XML/SVG, so an inline `<svg>` stays well-formed XML.
public enum Markup {
    /// Escapes `&`, `<`, `>` for element content. Characters XML 1.0 forbids (C0 controls other than
    /// tab, newline, carriage return; lone surrogates cannot occur in a Swift `String`) become U+FFFD,
    /// so a hostile label can never make a chart unparsable.
    public static func escapeText(_ text: String) -> String { escape(text, forAttribute: false) }

    /// Escapes text for a double-quoted attribute value: `&`, `<`, `>`, `"` and `'` (and newline
    /// and tab, which an attribute would otherwise fold into spaces).
    public static func escapeAttribute(_ text: String) -> String { escape(text, forAttribute: true) }

    private static func escape(_ text: String, forAttribute: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where forAttribute: result += "&quot;"
            case "'" where forAttribute: result += "&#39;"
            case "\n" where forAttribute: result += "&#10;"
            case "\t" where forAttribute: result += "&#9;"
            default: appendAllowed(scalar, to: &result)
            }
        }
        return result
    }

    private static func appendAllowed(_ scalar: Unicode.Scalar, to result: inout String) {
        let value = scalar.value
        let isForbiddenControl =
            (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D)
            || value == 0xFFFE || value == 0xFFFF
        result.unicodeScalars.append(isForbiddenControl ? "\u{FFFD}" : scalar)
    }

    /// Whether `name` is safe as an element or attribute name: ASCII letters first, then letters,
    /// digits, `-`, `_`, `:` or `.`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_:.".unicodeScalars.contains($0))
        }
    }

    /// Formats a coordinate with at most two decimals and no trailing zeros (`12`, `12.5`, `-0.25`).
    /// Non-finite values become `0` so a NaN in the data cannot produce invalid SVG.
    public static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Formats `value` with exactly `decimals` decimals (`fixed(0.4912, 3)` → `"0.491"`), `"–"` if
    /// the value is not finite.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(max(0, decimals))f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// Formats a data value for tooltips and text alternatives: whole numbers without decimals and
    /// with grouping (`1 220`), others with three decimals (`0.491`).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value == value.rounded() && abs(value) < 1e15 { return grouped(Int(value)) }
        return fixed(value, 3)
    }

    /// Formats a fraction as a percentage with `decimals` decimals (`percent(0.4912, 1)` → `"49.1 %"`).
    public static func percent(_ fraction: Double, _ decimals: Int = 1) -> String {
        guard fraction.isFinite else { return "–" }
        return fixed(fraction * 100, decimals) + "\u{202F}%"
    }

    /// Formats an integer with thin-space thousands separators (`8183` → `"8 183"`), independent of
    /// the process locale so reports are reproducible.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: "\u{202F}")
    }
}
