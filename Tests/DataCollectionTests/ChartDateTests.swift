import Testing

@testable import DataCollection

struct ChartDateTests {
    @Test func roundTripsISODates() throws {
        for text in ["1970-01-01", "2000-02-29", "2004-11-13", "2025-12-27"] {
            #expect(try #require(ChartDate(iso: text)).iso == text)
        }
        #expect(ChartDate(iso: "2023-02-29") == nil)
        #expect(ChartDate(iso: "2023-2-1") == nil)
        #expect(ChartDate(iso: "20230201") == nil)
    }

    @Test func knowsWeekdaysAndBillboardSaturdays() throws {
        #expect(try #require(ChartDate(iso: "1970-01-01")).weekday == 4)  // a Thursday
        #expect(try #require(ChartDate(iso: "2004-11-13")).weekday == 6)  // Top Rap Albums' first week, a Saturday
        #expect(try #require(ChartDate(iso: "2019-12-31")).nextSaturdayOrSelf.iso == "2020-01-04")
        #expect(try #require(ChartDate(iso: "2020-01-04")).nextSaturdayOrSelf.iso == "2020-01-04")
    }

    @Test func parsesOldTemplateDates() {
        #expect(ChartDate(longForm: "August 5, 2006")?.iso == "2006-08-05")
        #expect(ChartDate(longForm: "Week of March 14, 2020")?.iso == "2020-03-14")
        #expect(ChartDate(longForm: "Smarch 14, 2020") == nil)
    }
}
