import Foundation

/// Minimal RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled.
///
/// Formula injection: a text cell that starts like a formula (`=`, `+`, `-`, `@`, tab or carriage
/// return; a file named `=HYPERLINK(…).jpg`, an album titled `+1`) is written with a leading apostrophe,
/// which spreadsheets show as text; plain numbers are left alone, and `parse` removes the apostrophe.
public enum CSV {
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    /// One cell, escaped as described above.
    public static func field(_ text: String) -> String {
        let safe = needsApostrophe(text) ? "'" + text : text
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func startsLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        return "=+-@\t\r".unicodeScalars.contains(first)
    }

    /// Whether `field` prefixes an apostrophe: text that, past any apostrophes of its own, starts like
    /// a formula and is not a number. Text that already starts with apostrophes before such a
    /// formula gets one more, so that reading back (which removes one) restores it exactly.
    private static func needsApostrophe(_ text: String) -> Bool {
        let core = String(text.drop(while: { $0 == "'" }))
        return startsLikeFormula(core) && Double(core) == nil
    }

    /// A cell as read back: the apostrophe `field` put before a formula-like text removed.
    private static func unescaped(_ cell: String) -> String {
        guard cell.hasPrefix("'"), needsApostrophe(String(cell.dropFirst())) else { return cell }
        return String(cell.dropFirst())
    }

    /// Parses a whole document into rows of fields.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var inQuotes = false, pendingQuote = false, fieldStarted = false
        for character in text {
            if inQuotes {
                if pendingQuote {
                    pendingQuote = false
                    if character == "\"" {
                        field.append("\"")
                        continue
                    }
                    inQuotes = false
                } else if character == "\"" {
                    pendingQuote = true
                    continue
                } else {
                    field.append(character)
                    continue
                }
            }
            switch character {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                row.append(field)
                field = ""
                fieldStarted = true
            case "\n", "\r\n", "\r":
                if fieldStarted || !field.isEmpty || !row.isEmpty {
                    row.append(field)
                    rows.append(row)
                }
                row = []
                field = ""
                fieldStarted = false
            default:
                field.append(character)
                fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows.map { $0.map(unescaped) }
    }
}
