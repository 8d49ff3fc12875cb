import Foundation

/// Parsers for the templates Billboard served before the 2021-11 redesign, for old cached pages.
extension BillboardChartParser {
    /// 2018-07 → 2021-11: a `<table>` on the page, `div.chart-list-item` rows carrying
    /// `data-rank`, `data-title`, `data-artist`, stats in `div.chart-list-item__ministats-cell`.
    static func parseOldStyle(_ document: HTMLElement, title: String?) throws -> BillboardChart {
        guard let button = document.first("button", classes: "chart-detail-header__date-selector-button") else {
            throw BillboardParseError.missingDate
        }
        guard let day = ChartDate(longForm: button.trimmedText) else { throw BillboardParseError.badDate(button.trimmedText) }
        let rows = document.select("div", classes: "chart-list-item")
        guard !rows.isEmpty else { throw BillboardParseError.noRows }
        let entries = try rows.map { row -> BillboardEntry in
            let rankText = row["data-rank"] ?? ""
            guard let rank = Int(rankText.trimmingWhitespace()) else { throw BillboardParseError.badRank(rankText) }
            var imageURL: String?
            if let image = row.first("img", classes: "chart-list-item__image") {
                imageURL = (image["data-src"] ?? image["src"])?.trimmingWhitespace()
            }
            if let url = imageURL, url.isEmpty || url.contains(fallbackImageMarker) { imageURL = nil }
            var statistics: [StatisticLabel: String] = [:]
            for cell in row.select("div", classes: "chart-list-item__ministats-cell") {
                guard let heading = cell.first("span", classes: "chart-list-item__ministats-cell-heading") else { continue }
                let label = heading.trimmedText.lowercased()
                let value = cell.trimmedText.replacingOccurrences(of: heading.trimmedText, with: "").trimmingWhitespace()
                if label.contains("last") {
                    statistics[.lastWeek] = value
                } else if label.contains("peak") {
                    statistics[.peak] = value
                } else if label.contains("week") || label.contains("wks") {
                    statistics[.weeks] = value
                }
            }
            return BillboardEntry(
                rank: rank, title: decodeEntities(row["data-title"] ?? "").trimmingWhitespace(),
                artist: decodeEntities(row["data-artist"] ?? "").trimmingWhitespace(), imageURL: imageURL,
                lastPosition: try statistic(statistics[.lastWeek]) ?? 0,
                peakPosition: try statistic(statistics[.peak]),
                weeksOnChart: try statistic(statistics[.weeks]) ?? 1)
        }
        return BillboardChart(title: title, date: day.iso, entries: entries, template: .oldStyle2018)
    }

    /// 2019-09 → 2021-11 "new UI": `li.chart-list__element` rows, no images.
    static func parseNewUI(_ document: HTMLElement, title: String?) throws -> BillboardChart {
        guard let button = document.first("button", classes: "date-selector__button") else {
            throw BillboardParseError.missingDate
        }
        guard let day = ChartDate(longForm: button.trimmedText) else { throw BillboardParseError.badDate(button.trimmedText) }
        let rows = document.select("li", classes: "chart-list__element")
        let entries = try rows.map { row -> BillboardEntry in
            let rankText = row.first("span", classes: "chart-element__rank__number")?.trimmedText ?? ""
            guard let rank = Int(rankText) else { throw BillboardParseError.badRank(rankText) }
            func meta(_ modifier: String) -> String? {
                row.select("span", classes: "chart-element__meta").first { $0.hasClasses(modifier) }?.trimmedText
            }
            return BillboardEntry(
                rank: rank,
                title: row.first("span", classes: "chart-element__information__song")?.trimmedText ?? "",
                artist: row.first("span", classes: "chart-element__information__artist")?.trimmedText ?? "",
                imageURL: nil,
                lastPosition: try statistic(meta("text--last")) ?? 0,
                peakPosition: try statistic(meta("text--peak")),
                weeksOnChart: try statistic(meta("text--week")) ?? 1)
        }
        guard !entries.isEmpty else { throw BillboardParseError.noRows }
        return BillboardChart(title: title, date: day.iso, entries: entries, template: .newUI2019)
    }

    /// Attribute values are already entity-decoded by libxml2; this handles double-escaped
    /// values such as `&amp;#039;` that old pages sometimes carried.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return HTMLParser.parse("<p>\(text)</p>").trimmedText
    }
}
