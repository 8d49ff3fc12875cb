/// Limits and addresses of `albumgenre serve`.
public struct WebConfiguration: Sendable {
    /// Loopback by default: exposing the server is a deliberate choice (`--host 0.0.0.0`).
    public var host: String
    public var port: Int
    /// Largest accepted request body.
    public var maximumBodyBytes: Int
    /// Largest accepted image, in pixels (decompression-bomb guard).
    public var maximumPixels: Int
    /// Largest decoded sample buffer one upload may need (`DecodeLimits.maximumDecodedBytes`): 100 MB
    /// holds an 8-bit RGB image of 33 megapixels, far above any cover, but not a 6000x6000 16-bit RGBA
    /// PNG of a few hundred kilobytes (288 MB).
    public var maximumDecodedBytes: Int
    /// Most covers predicted in one forward pass when requests arrive together.
    public var maximumBatch: Int
    /// Most predictions decoding or waiting for the model at once; more get 503 + Retry-After.
    public var maximumPendingPredictions: Int
    /// A connection with no traffic for this long is closed (headers that never finish, idle keep-alive).
    public var idleTimeout: Duration
    /// Longest time a request body may take to arrive.
    public var bodyDeadline: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBodyBytes: Int = 10_000_000, maximumPixels: Int = 40_000_000,
        maximumDecodedBytes: Int = 100_000_000, maximumBatch: Int = 16, maximumPendingPredictions: Int = 32,
        idleTimeout: Duration = .seconds(10), bodyDeadline: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumPixels = maximumPixels
        self.maximumDecodedBytes = maximumDecodedBytes
        self.maximumBatch = maximumBatch
        self.maximumPendingPredictions = maximumPendingPredictions
        self.idleTimeout = idleTimeout
        self.bodyDeadline = bodyDeadline
    }
}
