import DataCollection
import Foundation

/// Renders chart pages in Billboard's markup (data-sources.md §1.6 and §1.7), including the
/// real noise: `//` tokens, double spaces and newlines inside `class`, padded and entity-escaped
/// titles, the lazy-load fallback GIF for missing art, mobile duplicate cells, no `<table>`.
public enum BillboardPages {
    public enum Template: String, Sendable, Codable {
        case positional2021, labelled2025
    }

    public static let fallbackGIF =
        "https://www.billboard.com/wp-content/themes/vip/pmc-billboard-2021/assets/public/lazyload-fallback.gif"

    /// HTML-escapes text the way WordPress does (`&#039;` for apostrophes).
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#039;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Diacritics removed, as Billboard prints Latin titles ("El Baño" → "El Bano").
    public static func strippingDiacritics(_ text: String) -> String {
        text.folding(options: .diacriticInsensitive, locale: Locale(identifier: "en_US_POSIX"))
    }

    public struct Entry: Sendable {
        public var rank: Int
        public var title: String
        public var artist: String
        public var imageURL: String?
        public var lastWeek: Int?
        public var peak: Int?
        public var weeks: Int?
        public var isNew: Bool { weeks == 1 }

        public init(rank: Int, title: String, artist: String, imageURL: String?, lastWeek: Int?, peak: Int?, weeks: Int?) {
            self.rank = rank
            self.title = title
            self.artist = artist
            self.imageURL = imageURL
            self.lastWeek = lastWeek
            self.peak = peak
            self.weeks = weeks
        }
    }

    static func value(_ number: Int?) -> String { number.map(String.init) ?? "-" }

    /// A full chart page. `awardColumn` false drops the Award header and cells (billboard.py 7.1.0
    /// then shifts stat indexes by one).
    public static func page(title: String, date: String, entries: [Entry], template: Template, awardColumn: Bool = true) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en-US"><head>
            <meta charset="UTF-8">
            <meta property="og:title" content="\(escape(title)) | Billboard">
            <title>\(escape(title)) | Billboard</title>
            <script>var pmc_meta = {"env":"production","chart":"\(date)"};</script>
            </head><body class="page-template chart // a-font-primary">
            <div class="pmc-header // lrv-u-flex"><a href="/">Billboard</a></div>
            <div id="chart-date-picker" class="lrv-u-flex  u-flex-direction-column@mobile-max
                 // chart-date-picker" data-date="\(date)" data-chart-code="\(title.prefix(3).uppercased())">
              <p class="c-tagline  a-font-primary-medium-xs u-font-size-11@mobile-max">Week of \(date)</p>
            </div>
            <div class="chart-results-list // lrv-u-padding-t-150 lrv-u-padding-t-050@mobile-max">
              <div class="chart-results-list-header // lrv-u-flex lrv-u-background-color-black">

            """
        let headers = ["This Week", "", "", "", ""] + (awardColumn ? ["Award"] : []) + ["Last Week", "Peak Pos.", "Wks on Chart"]
        for header in headers {
            html +=
                "    <div class=\"o-chart-results-list-header__item // lrv-u-flex-grow-1\"><span class=\"c-span  a-font-primary-bold-xxs\">\(header)</span></div>\n"
        }
        html += "  </div>\n"
        for entry in entries {
            html += template == .positional2021 ? row2021(entry, awardColumn: awardColumn) : row2025(entry)
        }
        html += """
            </div>
            <footer class="pmc-footer // lrv-u-background-color-black"><p>&copy; 2025 Billboard Media, LLC.</p></footer>
            </body></html>
            """
        return html
    }

    static func rankAndArt(_ entry: Entry, badge: Bool) -> String {
        let badgeHTML =
            badge && entry.isNew
            ? "\n          <span class=\"c-label  a-font-primary-bold-xxs u-background-color-yellow\">NEW</span>" : ""
        return """
              <li class="o-chart-results-list__item // lrv-u-background-color-black lrv-u-color-white u-width-72
                         lrv-u-flex lrv-u-flex-shrink-0 lrv-u-align-items-center">
                <span class="c-label  a-font-primary-bold-l u-font-size-32@tablet u-letter-spacing-0080@tablet">
                    \(entry.rank)
                </span>\(badgeHTML)
              </li>
              <li class="o-chart-results-list__item // lrv-u-flex lrv-u-height-100p">
                <div class="c-lazy-image a-crop-67x100 // lrv-a-crop-1x1"><div class="lrv-a-crop-1x1 a-crop-67x100@mobile-max">
                  <img class="c-lazy-image__img lrv-u-background-color-grey-lightest lrv-u-width-100p"
                       src="\(fallbackGIF)"
                       data-lazy-src="\(escape(entry.imageURL ?? fallbackGIF))" alt="">
                </div></div>
              </li>

            """
    }

    static func titleCell(_ entry: Entry, linkArtist: Bool = false) -> String {
        let artist =
            linkArtist
            ? "<a href=\"https://www.billboard.com/artist/\(entry.rank)/\" class=\"c-link\">\(escape(entry.artist))</a>"
            : escape(entry.artist)
        return """
                      <li class="o-chart-results-list__item // lrv-u-flex-grow-1 lrv-u-flex lrv-u-flex-direction-column">
                        <h3 id="title-of-a-story" class="c-title  a-no-trucate a-font-primary-bold-s u-letter-spacing-0021
                            lrv-u-font-size-18@tablet lrv-u-font-size-16 u-line-height-125">
                        \t\n\t\t\(escape(entry.title))\t\n
                        </h3>
                        <span class="c-label  a-no-trucate a-font-primary-s lrv-u-font-size-14@mobile-max u-line-height-normal@mobile-max">
                        \t\n\t\t\(artist)
                        </span>
                      </li>

            """
    }

    static func row2021(_ entry: Entry, awardColumn: Bool) -> String {
        let award = awardColumn ? "        <li class=\"o-chart-results-list__item // a-chart-bg-color u-width-55\"></li>\n" : ""
        let stats = [entry.lastWeek, entry.peak, entry.weeks].map { value -> String in
            "        <li class=\"o-chart-results-list__item // a-chart-color u-width-72 lrv-u-flex-shrink-0\"><span class=\"c-label  a-font-primary-m lrv-u-padding-tb-050@mobile-max\">\n\t\t\(Self.value(value))\n\t</span></li>\n"
        }.joined()
        return """
            <div class="o-chart-results-list-row-container">
              <ul class="o-chart-results-list-row // lrv-a-unstyle-list lrv-u-flex u-height-100 lrv-u-background-color-white"
                  data-detail-target="\(entry.rank)">
            \(rankAndArt(entry, badge: false))      <li class="lrv-u-width-100p">
                <ul class="lrv-a-unstyle-list lrv-u-flex lrv-u-height-100p lrv-u-flex-direction-column@mobile-max">
            \(titleCell(entry))        <li class="o-chart-results-list__item // u-width-72 u-hidden@mobile-max"><div class="a-chart-plus-minus-icon"></div></li>
            \(award)\(stats)        <li class="lrv-u-width-100p u-hidden@tablet">
                      <ul class="lrv-a-unstyle-list lrv-u-flex">
                        <li class="o-chart-results-list__item"><div class="a-chart-plus-minus-icon"></div></li>
                        <li class="o-chart-results-list__item"></li>
                        <li class="o-chart-results-list__item"><span class="c-label">\(value(entry.lastWeek))</span></li>
                        <li class="o-chart-results-list__item"><span class="c-label">\(value(entry.peak))</span></li>
                        <li class="o-chart-results-list__item"><span class="c-label">\(value(entry.weeks))</span></li>
                      </ul>
                    </li>
                  </ul>
                </li>
              </ul>
              <div class="o-chart-results-list__detail // lrv-u-display-none" data-detail-panel="\(entry.rank)"></div>
            </div>

            """
    }

    static func row2025(_ entry: Entry) -> String {
        let stats = [("LW", entry.lastWeek), ("PEAK", entry.peak), ("WEEKS", entry.weeks)].map { label, value in
            """
                      <div class="lrv-u-flex lrv-u-justify-content-space-between  // u-width-72
                           lrv-u-align-items-center"><span class="c-span  a-font-primary-bold-xxs u-color-grey">\(label)</span>
                        <span class="c-label  a-font-primary-m">\(Self.value(value))</span></div>

            """
        }.joined()
        return """
            <div class="o-chart-results-list-row-container">
              <ul class="o-chart-results-list-row // lrv-a-unstyle-list lrv-u-flex u-height-100"
                  data-detail-target="\(entry.rank)">
            \(rankAndArt(entry, badge: true))      <li class="lrv-u-width-100p">
                <ul class="lrv-a-unstyle-list lrv-u-flex lrv-u-height-100p">
            \(titleCell(entry, linkArtist: true))          <li class="o-chart-results-list__item // lrv-u-flex u-hidden@mobile-max">
            \(stats)          </li>
                </ul>
              </li>
              </ul>
            </div>

            """
    }
}
