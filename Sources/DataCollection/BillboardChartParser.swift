/// Reads a Billboard chart page into a `BillboardChart`. A pure function of the HTML: every
/// markup assumption lives in this file and its template-specific extensions.
///
/// Dispatch follows billboard.py 7.1.0: any `<table>` → the 2018 old-style parser; rows
/// `li.chart-list__element` → the 2019 "new UI" parser; otherwise the current parser, which reads
/// LW/PEAK/WEEKS by label when `span.c-span` labels exist (2025) and by position otherwise (2021).
public enum BillboardChartParser {
    /// URL Billboard uses in `data-lazy-src` when it has no art.
    static let fallbackImageMarker = "lazyload-fallback"

    public static func parse(html: String) throws -> BillboardChart {
        let document = HTMLParser.parse(html)
        let title = chartTitle(document)
        if document.first("table") != nil {
            return try parseOldStyle(document, title: title)
        }
        if document.first("li", classes: "chart-list__element") != nil {
            return try parseNewUI(document, title: title)
        }
        return try parseCurrent(document, title: title)
    }

    /// `og:title` up to the first `|`, trimmed, without a trailing " Chart".
    static func chartTitle(_ document: HTMLElement) -> String? {
        guard let meta = document.select("meta").first(where: { $0["property"] == "og:title" }),
            let content = meta["content"]
        else { return nil }
        var title = String(content.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingWhitespace()
        if title.hasSuffix(" Chart") { title.removeLast(" Chart".count) }
        return title.isEmpty ? nil : title
    }

    // MARK: - 2021 and 2025 templates

    static func parseCurrent(_ document: HTMLElement, title: String?) throws -> BillboardChart {
        guard let picker = document.first(id: "chart-date-picker"), let rawDate = picker["data-date"] else {
            if document.first("ul", classes: "o-chart-results-list-row") == nil { throw BillboardParseError.noRows }
            throw BillboardParseError.missingDate
        }
        let date = try validatedDate(rawDate)
        let rows = document.select("ul", classes: "o-chart-results-list-row")
        guard !rows.isEmpty else { throw BillboardParseError.noRows }
        let hasAwardColumn = document.select("div", classes: "o-chart-results-list-header__item")
            .contains { $0.trimmedText.lowercased().contains("award") }
        let isLabelled = rows.contains { row in
            row.select("span", classes: "c-span").contains { statisticLabel($0.trimmedText) != nil }
        }
        let entries = try rows.map { row in
            try parseCurrentRow(row, labelled: isLabelled, hasAwardColumn: hasAwardColumn)
        }
        return BillboardChart(
            title: title, date: date, entries: entries,
            template: isLabelled ? .labelled2025 : .positional2021)
    }

    static func parseCurrentRow(_ row: HTMLElement, labelled: Bool, hasAwardColumn: Bool) throws -> BillboardEntry {
        guard let rankText = row.first("li")?.first("span", classes: "c-label")?.trimmedText else {
            throw BillboardParseError.badRank("")
        }
        guard let rank = leadingInteger(rankText) else { throw BillboardParseError.badRank(rankText) }
        let (title, artist) = titleAndArtist(row)
        let artwork = row.elementChildren.filter { $0.name == "li" }.dropFirst().first
        var imageURL = artwork?.first("img")?["data-lazy-src"]?.trimmingWhitespace()
        if let url = imageURL, url.isEmpty || url.contains(fallbackImageMarker) { imageURL = nil }

        var statistics: [StatisticLabel: String] = [:]
        if labelled {
            for label in row.select("span", classes: "c-span") {
                guard let kind = statisticLabel(label.trimmedText) else { continue }
                if statistics[kind] != nil { continue }  // mobile duplicates repeat the cells
                statistics[kind] = valueNextTo(label)
            }
        } else if let inner = row.first("ul") {
            let cells = inner.select("li")
            let offset = hasAwardColumn ? 0 : -1
            for (kind, index) in [(StatisticLabel.lastWeek, 3), (.peak, 4), (.weeks, 5)] where index + offset < cells.count {
                statistics[kind] = cells[index + offset].trimmedText
            }
        }
        return BillboardEntry(
            rank: rank, title: title, artist: artist, imageURL: imageURL,
            lastPosition: try statistic(statistics[.lastWeek]) ?? 0,
            peakPosition: try statistic(statistics[.peak]),
            weeksOnChart: try statistic(statistics[.weeks]) ?? 1)
    }

    /// `#title-of-a-story` and the `span.c-label` right after it; swapped when the artist is empty.
    static func titleAndArtist(_ row: HTMLElement) -> (String, String) {
        guard let heading = row.first(id: "title-of-a-story") else { return ("", "") }
        let title = heading.trimmedText
        var artist = ""
        if let next = heading.nextElementSibling, next.name == "span", next.hasClasses("c-label") {
            artist = next.trimmedText
        }
        return artist.isEmpty ? (artist, title) : (title, artist)
    }

    enum StatisticLabel: Hashable { case lastWeek, peak, weeks }

    static func statisticLabel(_ text: String) -> StatisticLabel? {
        switch text.uppercased() {
        case "LW", "LAST WEEK": .lastWeek
        case "PEAK", "PEAK POS.", "PEAK POSITION": .peak
        case "WEEKS", "WKS ON CHART", "WEEKS ON CHART": .weeks
        default: nil
        }
    }

    /// The `span.c-label` that shares a parent with the label span.
    static func valueNextTo(_ label: HTMLElement) -> String? {
        label.parent?.elementChildren.first { $0.name == "span" && $0.hasClasses("c-label") }?.trimmedText
    }

    /// billboard.py's rule: "-" means no value; anything else must be an integer.
    static func statistic(_ text: String?) throws -> Int? {
        guard let text, text != "-", !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw BillboardParseError.badStatistic(text) }
        return value
    }

    static func leadingInteger(_ text: String) -> Int? {
        Int(text.prefix { $0.isASCII && $0.isNumber })
    }

    /// Checks `YYYY-MM-DD` with a real calendar day.
    static func validatedDate(_ text: String) throws -> String {
        let trimmed = text.trimmingWhitespace()
        guard let day = ChartDate(iso: trimmed) else { throw BillboardParseError.badDate(text) }
        return day.iso
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // Index-based: reversing twice copied every cell's text into arrays of characters.
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
