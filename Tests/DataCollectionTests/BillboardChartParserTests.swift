import Foundation
import Testing

@testable import DataCollection

/// Saved pages reproducing Billboard's markup per template, with its class-attribute noise.
enum Fixture {
    static func html(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "html"))
        return try String(contentsOf: url, encoding: .utf8)
    }
}

struct BillboardChartParserTests {
    @Test func parsesThe2021TemplatePositionally() throws {
        let chart = try BillboardChartParser.parse(html: Fixture.html("rap-albums-2021-template"))
        #expect(chart.template == .positional2021)
        #expect(chart.title == "Top Rap Albums")
        #expect(chart.date == "2022-03-19")
        #expect(chart.entries.count == 3)
        let first = chart.entries[0]
        #expect(
            first
                == BillboardEntry(
                    rank: 1, title: "I Never Liked You", artist: "Future",
                    imageURL: "https://charts-static.billboard.com/img/2022/03/future-i-never-liked-you-180x180.jpg",
                    lastPosition: 0, peakPosition: 1, weeksOnChart: 1))
        #expect(first.isNew)
        // Entities decoded, the lazy-load fallback treated as no image.
        #expect(chart.entries[1].title == "Un Verano Sin Ti & Friends")
        #expect(chart.entries[1].artist == "Bad Bunny Featuring Tainy & J Balvin")
        #expect(chart.entries[1].imageURL == nil)
        #expect(chart.entries[1].lastPosition == 2)
        #expect(chart.entries[1].weeksOnChart == 44)
        // Class attribute starting with a newline, &#039;, artist wrapped in <a>.
        #expect(chart.entries[2].title == "Don't Stop (Deluxe Edition)")
        #expect(chart.entries[2].artist == "Drake")
        #expect(chart.entries[2].lastPosition == 5)
        #expect(chart.entries[2].weeksOnChart == 27)
    }

    @Test func shiftsStatisticsWhenTheAwardColumnIsAbsent() throws {
        let chart = try BillboardChartParser.parse(html: Fixture.html("rap-albums-2024-no-award-column"))
        #expect(chart.date == "2024-08-10")
        #expect(chart.entries.map(\.lastPosition) == [0, 2, 5])
        #expect(chart.entries.map(\.peakPosition) == [1, 1, 1])
        #expect(chart.entries.map(\.weeksOnChart) == [1, 44, 27])
    }

    @Test func readsThe2025LabelledStatistics() throws {
        let chart = try BillboardChartParser.parse(html: Fixture.html("latin-albums-2025-template"))
        #expect(chart.template == .labelled2025)
        #expect(chart.title == "Top Latin Albums")
        #expect(chart.date == "2025-08-02")
        #expect(chart.entries.map(\.rank) == [1, 2])
        #expect(chart.entries[0].title == "Debi Tirar Mas Fotos")
        #expect(chart.entries[0].artist == "Bad Bunny")
        #expect(chart.entries[0].lastPosition == 0)
        #expect(chart.entries[0].weeksOnChart == 1)
        #expect(chart.entries[1].title == "Manana Sera Bonito")
        #expect(chart.entries[1].lastPosition == 12)
        #expect(chart.entries[1].peakPosition == 1)
        #expect(chart.entries[1].weeksOnChart == 81)
    }

    @Test func readsThe2018OldStyleTemplate() throws {
        let chart = try BillboardChartParser.parse(html: Fixture.html("jazz-albums-2018-old-style"))
        #expect(chart.template == .oldStyle2018)
        #expect(chart.date == "2018-08-04")
        #expect(chart.entries.count == 2)
        #expect(chart.entries[0].title == "Nat \"King\" Cole & Me")
        #expect(chart.entries[0].artist == "Gregory Porter")
        #expect(chart.entries[0].imageURL == "https://charts-static.billboard.com/img/2017/11/gregory-porter-53x53.jpg")
        #expect(chart.entries[0].weeksOnChart == 36)
        #expect(chart.entries[1].lastPosition == 0)
        #expect(chart.entries[1].peakPosition == 2)
        #expect(chart.entries[1].imageURL == nil)
    }

    @Test func readsThe2019NewUITemplate() throws {
        let chart = try BillboardChartParser.parse(html: Fixture.html("country-albums-2020-new-ui"))
        #expect(chart.template == .newUI2019)
        #expect(chart.date == "2020-03-14")
        #expect(chart.entries.map(\.title) == ["What You See Is What You Get", "Cry Pretty"])
        #expect(chart.entries.map(\.weeksOnChart) == [19, 1])
        #expect(chart.entries.map(\.lastPosition) == [1, 0])
    }

    @Test func aPageWithoutRowsIsAnErrorNotAnEmptyWeek() throws {
        #expect(throws: BillboardParseError.noRows) {
            try BillboardChartParser.parse(html: Fixture.html("stripped-bot-page"))
        }
        #expect(throws: BillboardParseError.noRows) { try BillboardChartParser.parse(html: "") }
    }

    @Test func rejectsNonNumericStatistics() {
        let html = """
            <div id="chart-date-picker" data-date="2022-01-01"></div>
            <ul class="o-chart-results-list-row"><li><span class="c-label">1</span></li><li></li>
            <li><ul><li><h3 id="title-of-a-story">T</h3><span class="c-label">A</span></li><li></li><li></li>
            <li>LW 3</li><li>1</li><li>2</li></ul></li></ul>
            """
        #expect(throws: BillboardParseError.badStatistic("LW 3")) { try BillboardChartParser.parse(html: html) }
    }

    @Test func rejectsImpossibleDates() {
        let html = "<div id=\"chart-date-picker\" data-date=\"2022-02-30\"></div><ul class=\"o-chart-results-list-row\"></ul>"
        #expect(throws: BillboardParseError.badDate("2022-02-30")) { try BillboardChartParser.parse(html: html) }
    }
}
