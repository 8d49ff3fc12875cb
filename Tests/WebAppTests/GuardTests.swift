import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebApp

#if canImport(Glibc)
import Glibc
#endif

/// The server's defences against expensive or forged requests (issue 20): security headers, origin
/// and host checks, admission control, idle connections and stalled bodies.
@Suite struct GuardTests {
    @Test("every response says nosniff, no framing, no referrer, and carries the content security policy")
    func securityHeaders() async throws {
        try await TestApp.make().test(.router) { client in
            for uri in ["/", "/health", "/nope"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[.init("X-Frame-Options")!] == "DENY", "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(uri)")
            }
        }
    }

    @Test("a cross-site POST gets 403, a rebound Host gets 421; same-origin and loopback names pass")
    func originAndHostChecks() async throws {
        try await TestApp.make().test(.router) { client in
            let image = ByteBuffer(bytes: TestImages.jpeg())
            let crossSite = try await client.execute(
                uri: "/api/predict", method: .post,
                headers: [.origin: "https://evil.example"], body: image)
            try crossSite.expectError(.forbidden, code: "cross_origin")
            let sandboxed = try await client.execute(uri: "/api/predict", method: .post, headers: [.origin: "null"], body: image)
            try sandboxed.expectError(.forbidden, code: "cross_origin")
            let noOrigin = try await client.execute(uri: "/api/predict", method: .post, body: image)
            #expect(noOrigin.status == .ok, "a client without Origin (curl) is no browser acting for a site")
        }
        // Host headers need a real connection (the in-process client sets its own).
        try await TestApp.make().test(.live) { client in
            let port = try #require(client.port)
            // Same origin is the page's own host and port; another port on localhost is another site.
            for (origin, host, status) in [
                ("http://localhost:\(port)", "localhost:\(port)", "400"),
                ("http://127.0.0.1:\(port)", "127.0.0.1:\(port)", "400"),
                ("http://localhost:3000", "localhost:\(port)", "403"),
                ("null", "127.0.0.1:\(port)", "403"),
            ] {
                let post = "POST /api/predict HTTP/1.1\r\nHost: \(host)\r\nOrigin: \(origin)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                let answer = try await Self.rawExchange(port: port, request: post)
                #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "Origin \(origin), Host \(host): \(answer.prefix(80))")
            }
            for (host, status) in [
                ("evil.example:8080", "421"), ("localhost:\(port)", "200"), ("[::1]:\(port)", "200"),
                ("127.0.0.1.evil.example", "421"), ("127.a.evil.example", "421"), ("127.0.0.2", "200"),
            ] {
                let answer = try await Self.rawExchange(port: port, request: "GET /health HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
                #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "Host \(host): \(answer.prefix(80))")
            }
        }
        #expect(OriginGuardMiddleware<BasicRequestContext>.hostPart(of: "[::1]:80") == "[::1]")
        #expect(OriginGuardMiddleware<BasicRequestContext>(boundHost: "0.0.0.0").isAllowed(host: "my-server.lan"))
        #expect(!OriginGuardMiddleware<BasicRequestContext>(boundHost: "127.0.0.1").isAllowed(host: "127.0.0.1.evil.example"))
        #expect(!OriginGuardMiddleware<BasicRequestContext>(boundHost: "127.0.0.1").isAllowed(host: "127.a.b.c"))
        #expect(OriginGuardMiddleware<BasicRequestContext>(boundHost: "fe80::1").isAllowed(host: "[fe80::1]"))
    }

    @Test("predictions over the admission limit get 503 with Retry-After, and /health still answers")
    func admissionControl() async throws {
        let configuration = WebConfiguration(host: "127.0.0.1", port: 0, maximumPendingPredictions: 0)
        try await TestApp.make(configuration: configuration).test(.router) { client in
            let refused = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(bytes: TestImages.jpeg()))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(try JSONDecoder().decode(ErrorBody.self, from: refused.data).error.code == "busy")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
        let gate = AdmissionGate(limit: 1)
        let inside: Int = try await gate.admit { gate.current }
        #expect(inside == 1 && gate.current == 0)
    }

    /// `blockingExchange` on a thread of its own: its blocking socket calls and sleeps must not hold one
    /// of Swift's few cooperative threads, which the server under test needs to answer.
    static func rawExchange(
        port: Int, request: String, trickle: String = "", every interval: Duration = .milliseconds(200),
        timeoutSeconds: Int = 8
    ) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try blockingExchange(port: port, request: request, trickle: trickle, every: interval, timeoutSeconds: timeoutSeconds)
                    })
            }
        }
    }

    /// A raw TCP connection to the live server: sends `request`, optionally drips `trickle` a byte at
    /// a time, and returns what the server answered before closing (empty: it closed without a word).
    static func blockingExchange(
        port: Int, request: String, trickle: String, every interval: Duration,
        timeoutSeconds: Int
    ) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = request.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        for byte in trickle.utf8 {
            var value = byte
            if send(descriptor, &value, 1, Int32(MSG_NOSIGNAL)) <= 0 { break }
            Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
            // Stop dripping once the server has answered: a close with our bytes unread resets the
            // connection, and a reset discards what we had not read yet.
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                received += buffer[0..<count]
                break
            }
        }
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("a connection whose headers never finish is closed after the idle timeout")
    func idleConnectionsAreClosed() async throws {
        let configuration = WebConfiguration(host: "127.0.0.1", port: 0, idleTimeout: .seconds(1))
        try await TestApp.make(configuration: configuration).test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let answer = try await Self.rawExchange(port: port, request: "POST /api/predict HTTP/1.1\r\nHost: localhost\r\n")
            #expect(ContinuousClock.now - started < .seconds(6), "the server kept the connection open")
            #expect(!answer.contains("200 OK"))
            // The server still answers (a new connection: the test client's own one was idle too).
            let health = try await Self.rawExchange(port: port, request: "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(health.hasPrefix("HTTP/1.1 200"), "\(health.prefix(80))")
        }
    }

    @Test("a body that trickles slower than the deadline gets 408")
    func stalledBodiesTimeOut() async throws {
        // A long idle timeout, so that only the deadline can answer; generous waits, because the
        // suite's other tests keep this machine's two cores (and Swift's cooperative threads) busy.
        let configuration = WebConfiguration(host: "127.0.0.1", port: 0, idleTimeout: .seconds(60), bodyDeadline: .seconds(1))
        try await TestApp.make(configuration: configuration).test(.live) { client in
            let port = try #require(client.port)
            let head = "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n"
            let started = ContinuousClock.now
            let answer = try await Self.rawExchange(
                port: port, request: head, trickle: String(repeating: "x", count: 6),
                every: .milliseconds(250), timeoutSeconds: 30)
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(200))")
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }
}
