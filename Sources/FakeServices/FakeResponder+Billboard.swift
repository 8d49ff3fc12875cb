import DataCollection

extension FakeResponder {
    /// `GET /charts/{slug}` and `/charts/{slug}/{date}`, with or without a trailing slash.
    func billboard(_ request: FakeRequest, firstAttempt: Bool, key: String) -> FakeReply {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts.count <= 3, let chart = configuration.world.chart(parts[1]) else {
            return .status(404, "Chart not found")
        }
        let world = configuration.world
        var requested = world.lastChartDate
        if parts.count == 3 {
            guard let date = ChartDate(iso: parts[2]) else { return .status(404, "bad date") }
            requested = date
            let agent = request.headers["user-agent"] ?? ""
            if configuration.forbidNonBrowserUserAgents && !agent.hasPrefix("Mozilla/") {
                return .status(403, "Forbidden")
            }
        }
        let week = requested.nextSaturdayOrSelf
        let isPrelaunch = week < chart.launch || !world.isPublished(chart, on: week)
        if isPrelaunch && configuration.prelaunch == .notFound { return .status(404, "Chart not found") }
        guard let chartDate = world.chartDate(roundingUp: requested, in: chart) else { return .status(404, "Chart not found") }
        if firstAttempt && chosen(key, every: configuration.malformedEvery, salt: 5) {
            return .html("<html><head><title>Billboard</title></head><body><div class=\"pmc-paywall\">Please enable JavaScript</div></body></html>")
        }
        let rows = world.rows(chart, on: chartDate)
        let entries = rows.map { row -> BillboardPages.Entry in
            let album = row.album
            var title = album.title
            if chart.slug == "latin-albums" { title = BillboardPages.strippingDiacritics(title) }
            let hasArt = world.hash(album.genre, album.index, 14) % 10 != 0
            let (year, month, _) = chartDate.components
            let slug = FakeIndex.fold(album.artist + " " + title).split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                .joined(separator: "-")
            let image =
                hasArt
                ? "https://charts-static.billboard.com/img/\(year)/\(month < 10 ? "0" : "")\(month)/\(slug)-180x180.jpg" : nil
            return BillboardPages.Entry(
                rank: row.rank, title: title, artist: album.artist, imageURL: image,
                lastWeek: row.lastWeek, peak: row.weeks == 1 ? nil : row.peak, weeks: row.weeks)
        }
        let template: BillboardPages.Template =
            switch configuration.template {
            case .positional2021: .positional2021
            case .labelled2025: .labelled2025
            case .byDate: chartDate >= ChartDate(iso: "2025-07-01")! ? .labelled2025 : .positional2021
            }
        return .html(
            BillboardPages.page(
                title: chart.title, date: chartDate.iso, entries: entries, template: template,
                awardColumn: configuration.awardColumn))
    }
}
