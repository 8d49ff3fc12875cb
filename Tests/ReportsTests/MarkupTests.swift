import Foundation
import Testing

@testable import Reports

struct MarkupTests {
    static let hostile = #"<script>alert("x")</script> & 'quotes' "double" ]]> <!-- -->"#

    @Test func textEscapingNeutralisesTags() {
        let escaped = Markup.escapeText(Self.hostile)
        #expect(!escaped.contains("<"))
        #expect(!escaped.contains(">"))
        #expect(escaped.contains("&lt;script&gt;"))
        #expect(escaped.contains("&amp;"))
    }

    @Test func attributeEscapingNeutralisesQuotes() {
        let escaped = Markup.escapeAttribute(Self.hostile)
        #expect(!escaped.contains("\""))
        #expect(!escaped.contains("'"))
        #expect(!escaped.contains("<"))
        #expect(escaped.contains("&quot;double&quot;"))
        #expect(escaped.contains("&#39;quotes&#39;"))
    }

    @Test func controlCharactersBecomeReplacementCharacters() {
        #expect(Markup.escapeText("a\u{0}b\u{1B}c\td\n") == "a\u{FFFD}b\u{FFFD}c\td\n")
        // The escaped text must be parseable XML even though the input was not.
        #expect(XMLCollector.wellFormednessError("<p>\(Markup.escapeText("x\u{0}\u{8}y"))</p>") == nil)
    }

    @Test func escapedHostileTextParsesBackToTheOriginal() throws {
        let markup = "<root a=\"\(Markup.escapeAttribute(Self.hostile))\">\(Markup.escapeText(Self.hostile))</root>"
        let parsed = try #require(XMLCollector.parse(markup))
        let root = try #require(parsed.elements(named: "root").first)
        #expect(root.text == Self.hostile)
        #expect(root.attributes["a"] == Self.hostile)
    }

    @Test(
        arguments: [
            (0.0, "0"), (12.0, "12"), (12.5, "12.5"), (-0.25, "-0.25"), (3.14159, "3.14"), (-0.001, "0"),
            (Double.nan, "0"), (Double.infinity, "0"),
        ] as [(Double, String)])
    func coordinates(value: Double, expected: String) {
        #expect(Markup.coordinate(value) == expected)
    }

    @Test func numberFormatting() {
        #expect(Markup.grouped(8183) == "8\u{202F}183")
        #expect(Markup.grouped(-1234567) == "-1\u{202F}234\u{202F}567")
        #expect(Markup.grouped(999) == "999")
        #expect(Markup.fixed(0.4912, 3) == "0.491")
        #expect(Markup.fixed(-0.0001, 2) == "0.00")
        #expect(Markup.fixed(.nan, 2) == "–")
        #expect(Markup.percent(0.4912) == "49.1\u{202F}%")
        #expect(Markup.number(1220) == "1\u{202F}220")
        #expect(Markup.number(0.5789) == "0.579")
    }

    @Test func validNames() {
        #expect(Markup.isValidName("data-value"))
        #expect(Markup.isValidName("aria-label"))
        #expect(!Markup.isValidName("onclick=\"x\""))
        #expect(!Markup.isValidName("1abc"))
        #expect(!Markup.isValidName(""))
    }
}
