import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request. Header values may hold secrets (Authorization): never log a request.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response, body fully read.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The only HTTP surface of the collector: production uses AsyncHTTPClient, tests may stub it.
/// Implementations return every status as a response and throw only for transport failures.
public protocol HTTPFetching: Sendable {
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse
}

/// `HTTPFetching` over AsyncHTTPClient, following redirects (Cover Art Archive answers 307).
public final class AsyncHTTPFetcher: HTTPFetching {
    let client: HTTPClient
    let maximumBodyBytes: Int

    public init(maximumBodyBytes: Int = 20 << 20) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .follow(max: 5, allowCycles: false))
        configuration.timeout.connect = .seconds(10)
        // PoliteClient retries with its own backoff; AsyncHTTPClient's retrying of refused
        // connections until the deadline would make "no network" take minutes to report.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// Shuts the connection pool down; call once when collection ends.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        let deadline = TimeAmount.milliseconds(Int64(seconds * 1000))
        do {
            let response = try await client.execute(outgoing, timeout: deadline)
            let buffer = try await response.body.collect(upTo: maximumBodyBytes)
            return HTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: buffer))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw CollectorError.network(url: request.url, reason: String(describing: error))
        }
    }
}
