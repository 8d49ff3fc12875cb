/// Fetches dated Billboard chart pages: `{base}/charts/{slug}/{YYYY-MM-DD}` (no trailing slash,
/// as billboard.py). A 404 means the chart has no page for that date (pre-launch, off-season or a
/// misspelled slug); any other non-200 status is an error.
public struct BillboardClient: Sendable {
    public enum Page: Sendable {
        case chart(BillboardChart)
        case absent
    }

    /// A browser-like User-Agent: since 2024 Billboard answers 403 to dated URLs requested with
    /// library defaults such as `python-requests` (billboard.py issue #98).
    public static let browserUserAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

    let baseURL: String
    let http: PoliteClient

    public init(baseURL: String, http: PoliteClient) {
        self.baseURL = baseURL.trimmingTrailingSlash()
        self.http = http
    }

    public func url(slug: String, date: ChartDate) -> String { "\(baseURL)/charts/\(slug)/\(date.iso)" }

    /// Whether the undated (latest) chart page exists: tells a misspelled slug from a chart that
    /// simply had no page on some dates.
    public func chartExists(slug: String) async throws -> Bool {
        let url = "\(baseURL)/charts/\(slug)"
        let response = try await http.send(HTTPRequest(url: url, headers: [("Accept", "text/html")]))
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw CollectorError.httpStatus(response.status, url: url)
        }
    }

    public func fetch(slug: String, date: ChartDate) async throws -> Page {
        try page(from: await response(slug: slug, date: date))
    }

    /// The HTTP answer for a dated page, not yet parsed (so fetching and parsing can overlap).
    public struct Response: Sendable {
        public var url: String
        /// The page's HTML, or nil for 404.
        public var html: String?
    }

    public func response(slug: String, date: ChartDate) async throws -> Response {
        let url = url(slug: slug, date: date)
        let response = try await http.send(HTTPRequest(url: url, headers: [("Accept", "text/html")]))
        switch response.status {
        case 200: return Response(url: url, html: response.text)
        case 404: return Response(url: url, html: nil)
        default: throw CollectorError.httpStatus(response.status, url: url)
        }
    }

    public func page(from response: Response) throws -> Page {
        guard let html = response.html else { return .absent }
        do {
            return .chart(try BillboardChartParser.parse(html: html))
        } catch let error as BillboardParseError {
            throw CollectorError.chartPage(url: response.url, error)
        }
    }
}
