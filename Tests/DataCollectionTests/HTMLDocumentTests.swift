import Testing

@testable import DataCollection

/// The element views over libxml2's tree: the queries the chart parsers rely on.
struct HTMLDocumentTests {
    let page = """
        <html><head><meta property="og:title" content="Top Rap Albums | Billboard"></head><body>
        <ul class="o-chart-results-list-row   // js-chart-row
           lrv-u-flex" id="row1"><li class="x"><span class="c-label a">1</span></li>
          <li><h3 id="title-of-a-story">  Un Verano\n Sin Ti &amp; Friends </h3> <span class="c-label">Bad Bunny</span></li></ul>
        <ul class="o-chart-results-list-row-extra"><li>not a row</li></ul>
        <p>caf&eacute;&nbsp;au lait<!-- a comment --></p>
        </body></html>
        """

    @Test func matchesClassesTokenByTokenAcrossNoiseAndNewlines() {
        let document = HTMLParser.parse(page)
        let rows = document.select("ul", classes: "o-chart-results-list-row")
        #expect(rows.count == 1)
        #expect(rows.first?["id"] == "row1")
        #expect(rows.first?.classTokens == ["o-chart-results-list-row", "//", "js-chart-row", "lrv-u-flex"])
        #expect(rows.first?.hasClasses("js-chart-row", "lrv-u-flex") == true)
        #expect(rows.first?.hasClasses("js-chart") == false)
        #expect(document.select("span", classes: "c-label").count == 2)
        #expect(document.first("span", classes: "c-label", "a")?.trimmedText == "1")
    }

    @Test func walksToSiblingsParentsAndDecodedText() throws {
        let document = HTMLParser.parse(page)
        let heading = try #require(document.first(id: "title-of-a-story"))
        #expect(heading.name == "h3")
        #expect(heading.trimmedText == "Un Verano Sin Ti & Friends")
        #expect(heading.nextElementSibling?.trimmedText == "Bad Bunny")
        #expect(heading.parent?.name == "li")
        #expect(heading.parent?.parent?.elementChildren.count == 2)
        // Entities decoded; a non-breaking space is whitespace too; comments are not text.
        #expect(document.first("p")?.trimmedText == "café au lait")
        let meta = try #require(document.select("meta").first)
        #expect(meta["property"] == "og:title" && meta["PROPERTY"] == "og:title")
        #expect(meta["missing"] == nil)
    }

    /// Text and queries walk the tree without recursion: 20,000 nested elements (a hostile page;
    /// libxml2 keeps what its depth limit allows) are read without touching the stack, and at a depth
    /// it keeps, the walk finds the innermost text.
    @Test func deeplyNestedPagesAreWalkedIteratively() {
        func nested(_ depth: Int) -> String {
            String(repeating: "<div><b>", count: depth) + "deep" + String(repeating: "</b></div>", count: depth)
        }
        let hostile = HTMLParser.parse(nested(20_000))
        _ = hostile.text
        #expect(hostile.first("b") != nil)
        #expect(HTMLParser.parse(nested(100)).trimmedText == "deep")
        let mixed = HTMLParser.parse("<p>one <b>two <i>three</i></b> four</p><p>five</p>")
        #expect(mixed.text == "one two three fourfive")
    }

    @Test func readsEmptyAndBrokenInputAsAnEmptyOrRepairedTree() {
        #expect(HTMLParser.parse("").select().isEmpty)
        let broken = HTMLParser.parse("<div class=a><p>one<div class=a>two")
        #expect(broken.select("div", classes: "a").map(\.trimmedText) == ["onetwo", "two"])
    }

    @Test func elementsKeepTheirDocumentAlive() {
        let cell = HTMLParser.parse("<table><tr><td class=c>kept</td></tr></table>").first("td", classes: "c")
        #expect(cell?.trimmedText == "kept")
    }
}
