import DataCollection

/// A deterministic, generated music world behind the fake services: six genre charts from 2004
/// to 2025 with realistic features (charts of different lengths, rap launching 2004-11-13,
/// holiday charts only from October to early January, albums that cross genres, compilations,
/// featured artists, accents stripped by Billboard, deluxe editions on Spotify, missing art).
///
/// Chart model: chart `c` at week index `w` lists the album slots `w·churn ..< w·churn + length`,
/// ordered by a hash of (chart, slot, week); a slot therefore stays `length / churn` weeks.
/// A slot is either the chart's own album or, with a per-genre probability, an album "borrowed"
/// from another genre, which makes that album multi-genre.
public struct FakeWorld: Sendable {
    public struct Chart: Sendable {
        public var slug: String
        public var title: String
        public var length: Int
        public var launch: ChartDate
        /// Percent of slots that hold another genre's album.
        public var borrowPercent: Int
        public var isSeasonal: Bool
    }

    public struct Album: Sendable, Hashable {
        public var genre: String
        public var index: Int
        /// Canonical title with accents; Billboard strips them on the Latin chart.
        public var title: String
        public var artist: String
        public var isCompilation: Bool
    }

    public var charts: [Chart]
    /// New albums per week on every chart.
    public var churn: Int
    /// The last published chart date; later dates answer 404.
    public var lastChartDate: ChartDate
    public var seed: UInt64

    public init(churn: Int = 2, lastChartDate: ChartDate = ChartDate(iso: "2025-12-27")!, seed: UInt64 = 2004) {
        let base = ChartDate(iso: "1990-01-06")!
        charts = [
            Chart(slug: "rock-albums", title: "Top Rock Albums", length: 50, launch: base, borrowPercent: 2, isSeasonal: false),
            Chart(
                slug: "rap-albums", title: "Top Rap Albums", length: 25, launch: ChartDate(iso: "2004-11-13")!,
                borrowPercent: 3, isSeasonal: false),
            Chart(slug: "country-albums", title: "Top Country Albums", length: 50, launch: base, borrowPercent: 2, isSeasonal: false),
            Chart(slug: "jazz-albums", title: "Jazz Albums", length: 25, launch: base, borrowPercent: 2, isSeasonal: false),
            Chart(slug: "holiday-albums", title: "Top Holiday Albums", length: 50, launch: base, borrowPercent: 20, isSeasonal: true),
            Chart(slug: "latin-albums", title: "Top Latin Albums", length: 50, launch: base, borrowPercent: 1, isSeasonal: false),
        ]
        self.churn = churn
        self.lastChartDate = lastChartDate
        self.seed = seed
    }

    public func chart(_ slug: String) -> Chart? { charts.first { $0.slug == slug } }

    /// Whether a Saturday is a published week of the chart (holiday: October to the second
    /// Saturday of January).
    public func isPublished(_ chart: Chart, on date: ChartDate) -> Bool {
        guard date.weekday == 6, date >= chart.launch, date <= lastChartDate else { return false }
        guard chart.isSeasonal else { return true }
        let (_, month, day) = date.components
        return month >= 10 || (month == 1 && day <= 14)
    }

    /// The first published chart date on or after `date`, or nil.
    public func chartDate(roundingUp date: ChartDate, in chart: Chart) -> ChartDate? {
        var candidate = max(date, chart.launch).nextSaturdayOrSelf
        while candidate <= lastChartDate {
            if isPublished(chart, on: candidate) { return candidate }
            candidate = candidate.adding(days: 7)
        }
        return nil
    }

    /// Index of a published week since launch, counting only published weeks for seasonal charts
    /// (approximated by season: 15 weeks a season) so slots keep moving forward across seasons.
    func weekIndex(_ chart: Chart, _ date: ChartDate) -> Int {
        let weeks = (date.dayNumber - chart.launch.dayNumber) / 7
        guard chart.isSeasonal else { return weeks }
        let (year, month, _) = date.components
        let season = month == 1 ? year - 1 : year
        let seasonStart = ChartDate(year: season, month: 10, day: 1)!.nextSaturdayOrSelf
        return (season - 1990) * 15 + (date.dayNumber - seasonStart.dayNumber) / 7
    }

    /// One chart row in the world, before rendering.
    public struct Row: Sendable {
        public var rank: Int
        public var album: Album
        public var lastWeek: Int?
        public var peak: Int
        public var weeks: Int
    }

    /// The chart published on `date` (which must be published).
    public func rows(_ chart: Chart, on date: ChartDate) -> [Row] {
        let week = weekIndex(chart, date)
        func ranking(_ w: Int) -> [Int: Int] {
            guard w >= 0 else { return [:] }
            let slots = (w * churn)..<(w * churn + chart.length)
            let ordered = slots.map { (slot: $0, key: hash(chart.slug, $0, w / 3)) }.sorted { $0.key < $1.key }
            return Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.slot, $0 + 1) })
        }
        let lifetime = (chart.length + churn - 1) / churn
        let history = (max(0, week - lifetime)...week).map { ranking($0) }
        let current = history.last!
        let previous = history.count > 1 ? history[history.count - 2] : [:]
        return current.sorted { $0.value < $1.value }.map { slot, rank in
            let firstWeek = max(0, (slot - chart.length + churn) / churn)
            let peak = history.compactMap { $0[slot] }.min() ?? rank
            return Row(
                rank: rank, album: album(forSlot: slot, in: chart), lastWeek: week > firstWeek ? previous[slot] : nil,
                peak: peak, weeks: week - firstWeek + 1)
        }
    }

    /// A slot's album. A borrowed slot takes the album the other chart shows around the same
    /// date, so the album really appears on both charts.
    func album(forSlot slot: Int, in chart: Chart) -> Album {
        if Int(hash(chart.slug, slot, -1) % 100) < chart.borrowPercent {
            let others = charts.filter { $0.slug != chart.slug && !$0.isSeasonal }
            let other = others[Int(hash(chart.slug, slot, -2) % UInt64(others.count))]
            let date = approximateDate(ofSlot: slot, in: chart)
            let otherSlot = max(0, weekIndex(other, max(date, other.launch)) * churn) + Int(hash(chart.slug, slot, -4) % UInt64(other.length))
            return album(genre: other.slug, index: otherSlot)
        }
        return album(genre: chart.slug, index: slot)
    }

    /// When a slot is on its chart (the inverse of `weekIndex`, roughly).
    func approximateDate(ofSlot slot: Int, in chart: Chart) -> ChartDate {
        let week = slot / churn
        guard chart.isSeasonal else { return chart.launch.adding(days: 7 * week) }
        let season = 1990 + week / 15
        return ChartDate(year: season, month: 10, day: 1)!.nextSaturdayOrSelf.adding(days: 7 * (week % 15))
    }

    static let adjectives = [
        "Midnight", "Golden", "Broken", "Electric", "Quiet", "Wild", "Silver", "Lonely", "Burning",
        "Endless", "Sweet", "Rough", "Heavy", "Blue", "Hollow", "Neon",
    ]
    static let nouns = [
        "Highway", "Heart", "River", "Season", "Kingdom", "Shadows", "Summer", "Letters", "Echoes",
        "Streets", "Fire", "Horizon", "Dreams", "Stories", "Roads", "Winter",
    ]
    static let latinWords = ["Corazón", "Canción", "Pasión", "Mañana", "Sueños", "Ilusión", "Camión", "Fantasía"]
    static let syllables = ["ka", "lo", "mi", "ra", "ven", "do", "su", "te", "ni", "bo", "la", "zu", "fer", "no", "qui", "sa"]
    static let firstNames = [
        "Jake", "Maria", "Dee", "Lil", "Sam", "Carla", "Big", "Johnny", "Ana", "Kenny", "Rosa",
        "Miles", "Luke", "Bea", "Nico", "Tess",
    ]

    /// A pronounceable word unique to `index` (base-16 over syllables).
    static func word(_ index: Int, minimumSyllables: Int = 2) -> String {
        var parts: [String] = []
        var value = index
        repeat {
            parts.append(syllables[value % 16])
            value /= 16
        } while value > 0 || parts.count < minimumSyllables
        let joined = parts.joined()
        return joined.prefix(1).uppercased() + joined.dropFirst()
    }

    /// The album of a genre's slot: title and artist are unique per (genre, index).
    public func album(genre: String, index: Int) -> Album {
        let genreNumber = charts.firstIndex { $0.slug == genre } ?? 0
        let h = hash(genre, index, -3)
        let unique = Self.word(index * 8 + genreNumber)
        if h % 61 == 0 {
            return Album(
                genre: genre, index: index, title: "Hits \(unique) Volume \(index % 9 + 1)",
                artist: "Various Artists", isCompilation: true)
        }
        var title = "\(Self.adjectives[Int(h % 16)]) \(unique)"
        if genre == "latin-albums" { title = "\(Self.latinWords[Int(h / 16 % 8)]) \(unique)" }
        if genre == "holiday-albums" { title = "\(Self.nouns[Int(h / 16 % 16)]) Christmas \(unique)" }
        if h % 37 == 0 { title += " (Soundtrack)" }
        if h % 23 == 0 { title = "Don't \(title)" }
        var artist = "\(Self.firstNames[Int(h / 256 % 16)]) \(Self.word(index * 8 + genreNumber + 3, minimumSyllables: 3))"
        if h % 11 == 0 { artist += " & The \(Self.nouns[Int(h / 4096 % 16)])" }
        if h % 13 == 0 { artist += " Featuring \(Self.firstNames[Int(h / 65_536 % 16)]) \(Self.word(index + 5))" }
        return Album(genre: genre, index: index, title: title, artist: artist, isCompilation: false)
    }

    /// Every album a chart can show between `start` and `lastChartDate`, for the search indexes.
    public func allAlbums(from start: ChartDate = ChartDate(iso: "2003-06-01")!) -> [Album] {
        var seen = Set<Album>()
        var albums: [Album] = []
        for chart in charts {
            let first = max(0, weekIndex(chart, max(start, chart.launch)) * churn - chart.length)
            let last = weekIndex(chart, lastChartDate) * churn + chart.length
            for slot in first..<last {
                let album = album(forSlot: slot, in: chart)
                if seen.insert(album).inserted { albums.append(album) }
            }
        }
        return albums
    }

    /// SplitMix64-style hash of the world seed and the arguments.
    public func hash(_ text: String, _ a: Int, _ b: Int) -> UInt64 {
        var value = seed &+ 0x9E37_79B9_7F4A_7C15
        for byte in text.utf8 { value = mix(value ^ UInt64(byte)) }
        value = mix(value ^ UInt64(bitPattern: Int64(a)))
        return mix(value ^ UInt64(bitPattern: Int64(b)))
    }

    func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
