import DataCollection
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The fake services on a real socket: an in-process Hummingbird 2 server bound to 127.0.0.1
/// on an ephemeral port. `start()` returns once the port is known; `stop()` shuts it down.
public final class FakeServer: Sendable {
    public let responder: FakeResponder
    let task: Mutex<Task<Void, any Error>?> = Mutex(nil)
    let boundPort: Mutex<Int?> = Mutex(nil)

    public init(configuration: FakeConfiguration = FakeConfiguration()) {
        responder = FakeResponder(configuration: configuration)
    }

    /// `http://127.0.0.1:<port>` once started.
    public var origin: String { "http://127.0.0.1:\(boundPort.withLock { $0 } ?? 0)" }

    /// Base URLs for the collector.
    public var endpoints: ServiceEndpoints {
        var endpoints = ServiceEndpoints()
        endpoints.billboard = origin
        endpoints.spotifyAccounts = "\(origin)/spotify-accounts"
        endpoints.spotifyAPI = "\(origin)/spotify/v1"
        endpoints.musicBrainz = "\(origin)/musicbrainz"
        endpoints.coverArtArchive = "\(origin)/coverartarchive"
        return endpoints
    }

    /// Starts listening; `port` 0 picks a free port.
    public func start(port: Int = 0) async throws {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let responder = self.responder
        var logger = Logger(label: "fake-services")
        logger.logLevel = .critical  // the shutdown of a test server logs a harmless error
        let application = Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in
                try await Self.handle(request, responder: responder)
            },
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "fake-services"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let running = Task { try await application.runService(gracefulShutdownSignals: []) }
        task.withLock { $0 = running }
        var iterator = portStream.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            running.cancel()
            throw CollectorError.network(url: "127.0.0.1:\(port)", reason: "fake server did not start")
        }
        boundPort.withLock { $0 = bound }
        responder.setOrigin("http://127.0.0.1:\(bound)")
    }

    public func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }

    static func handle(_ request: Request, responder: FakeResponder) async throws -> Response {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value).removingPercentEncoding ?? String(value)
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let body = try await request.body.collect(upTo: 1 << 20)
        let reply = await responder.respond(
            FakeRequest(
                method: request.method.rawValue, path: request.uri.path, query: query, headers: headers,
                body: Array(buffer: body), rawTarget: request.uri.description))
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: .init(code: reply.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
