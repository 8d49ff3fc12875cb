import Foundation
import Hummingbird
import Logging

/// Headers every response carries: no MIME sniffing, no framing (clickjacking), no referrer, and for
/// the page a content security policy that allows only its own inline script and style, its own
/// images and `data:`/`blob:` previews.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        return response
    }
}

/// Refuses requests a browser was tricked into sending:
/// - **DNS rebinding**: a server on loopback answers only requests whose `Host` names a loopback
///   address (`localhost`, `127.x.y.z`, `[::1]`) or the address it was started on; a page on
///   `evil.example` that re-points its name to 127.0.0.1 sends `Host: evil.example` and gets 421.
/// - **Cross-site posts**: a request other than GET/HEAD whose `Origin` is not this server's own
///   origin (scheme aside, the same host and port as its `Host`) gets 403, and so does
///   `Origin: null` (sandboxed frames and `data:` pages send it). A form on any page can post to
///   localhost; the `Origin` header says where it came from. Clients that send no `Origin` (curl,
///   scripts) are not browsers acting for a third party and pass.
struct OriginGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The host the server was started on (`--host`).
    let boundHost: String

    /// Whether `host` (no port) is one this server answers to.
    func isAllowed(host: String) -> Bool {
        let name = Self.unbracketed(host.lowercased())
        if name == Self.unbracketed(boundHost.lowercased()) || name == "localhost" || name == "::1" { return true }
        if Self.isLoopbackIPv4(name) { return true }
        // Bound to every interface: whatever name reaches it is the operator's choice.
        return boundHost == "0.0.0.0" || boundHost == "::"
    }

    /// `127.a.b.c` with four decimal octets (not a name such as `127.a.evil.example`).
    static func isLoopbackIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && (Int(part) ?? 256) <= 255
        }
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The host part of `authority` (`host:port`, `[v6]:port`).
    static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let authority = request.head.authority, !isAllowed(host: Self.hostPart(of: authority)) {
            throw APIError(
                .misdirectedRequest, code: "unknown_host",
                "this server answers to localhost or \(boundHost), not \(Self.hostPart(of: authority))")
        }
        if request.method != .get, request.method != .head, let origin = request.headers[.origin] {
            let originAuthority = origin.components(separatedBy: "://").last?.lowercased() ?? ""
            // Same origin: the page's own host and port, as the request names them in `Host`; without
            // a `Host` (HTTP/1.0), a loopback origin.
            let sameOrigin =
                request.head.authority.map { originAuthority == $0.lowercased() }
                ?? (origin != "null" && isAllowed(host: Self.hostPart(of: originAuthority)))
            guard sameOrigin, origin != "null" else {
                throw APIError(.forbidden, code: "cross_origin", "requests from \(origin) are not accepted")
            }
        }
        return try await next(request, context)
    }
}

/// One line per request through swift-log: method, path, status, response bytes, milliseconds.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let bytes = response.headers[.contentLength] ?? "-"
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(bytes) \(String(format: "%.1f", milliseconds)) ms")
        return response
    }
}

/// Admission control for predictions: at most `limit` requests decode or wait for the model at once;
/// the next ones are refused with 503 and `Retry-After` instead of queueing without bound, so that a
/// burst of expensive uploads cannot starve `/health` or the page.
final class AdmissionGate: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var inFlight = 0

    init(limit: Int) { self.limit = limit }

    /// Runs `body` if a slot is free, else throws the 503.
    func admit<Result>(_ body: () async throws -> Result) async throws -> Result {
        let admitted = lock.withLock {
            guard inFlight < limit else { return false }
            inFlight += 1
            return true
        }
        guard admitted else {
            throw APIError(
                .serviceUnavailable, code: "busy",
                "\(limit) predictions are already in progress; retry in a second", retryAfterSeconds: 1)
        }
        defer { lock.withLock { inFlight -= 1 } }
        return try await body()
    }

    var current: Int { lock.withLock { inFlight } }
}

/// Threads for the CPU-heavy part of a request (multipart parsing, decoding, resizing), at most
/// `width` at once. Swift's cooperative pool has one thread per core and also runs every connection
/// and `/health`: a few large uploads decoded there would stall them all.
final class PreparationPool: @unchecked Sendable {
    private let queue = OperationQueue()

    init(width: Int) {
        queue.maxConcurrentOperationCount = max(1, width)
        queue.name = "albumgenre.prepare"
    }

    func run<Value: Sendable>(_ work: @escaping @Sendable () throws(APIError) -> Value) async throws(APIError) -> Value {
        let result: Result<Value, APIError> = await withCheckedContinuation { continuation in
            queue.addOperation {
                do throws(APIError) { continuation.resume(returning: .success(try work())) } catch { continuation.resume(returning: .failure(error)) }
            }
        }
        return try result.get()
    }
}

/// Runs `body` with a deadline; past it 408 is thrown at once and the work is cancelled (a body that
/// stalls after a few bytes must not hold a request task until the client gives up).
///
/// Not a task group: a group waits for its children, and reading a request body does not end on
/// cancellation until the connection does. The work runs in its own task, which the idle timeout ends.
func withDeadline<Result: Sendable>(
    _ deadline: Duration, _ what: String,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    let race = FirstResult<Result>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(
                continuation,
                work: Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                },
                timer: Task {
                    try await Task.sleep(for: deadline)
                    race.finish(.failure(APIError(.requestTimeout, code: "timeout", "\(what) took longer than \(deadline)")))
                })
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The first of several outcomes resumes the continuation; the others are dropped and both tasks are
/// cancelled.
private final class FirstResult<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var early: Swift.Result<Value, any Error>?
    private var cancellers: [@Sendable () -> Void] = []
    private var done = false

    func start(_ continuation: CheckedContinuation<Value, any Error>, work: Task<Void, Never>, timer: Task<Void, any Error>) {
        let resumeNow: Swift.Result<Value, any Error>? = lock.withLock {
            cancellers = [{ work.cancel() }, { timer.cancel() }]
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let resumeNow {
            // Cancel first: the body read must have ended before the server drains the rest of the
            // request from the same stream (NIO allows one reader at a time).
            cancelTasks()
            continuation.resume(with: resumeNow)
        }
    }

    func finish(_ result: Swift.Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = lock.withLock {
            guard !done else { return nil }
            done = true
            guard let continuation else {
                early = result
                return nil
            }
            self.continuation = nil
            return continuation
        }
        guard let waiting else { return }
        cancelTasks()
        waiting.resume(with: result)
    }

    private func cancelTasks() {
        for cancel in lock.withLock({ cancellers }) { cancel() }
    }
}
