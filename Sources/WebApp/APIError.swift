import Foundation
import Hummingbird
import Imaging

/// A client error with a stable machine-readable code, rendered as
/// `{"error": {"code": "...", "message": "..."}}`. Bad input always maps to a 4xx status.
///
/// Codes: `empty_body` (400), `bad_multipart` (400), `body_too_large` (413), `image_too_large` (413),
/// `unsupported_media_type` (415), `unsupported_format` (415), `not_an_image` (415),
/// `truncated_image` (422), `undecodable` (422), `image_too_small` (422), `timeout` (408, a body
/// slower than the deadline), `cross_origin` (403), `unknown_host` (421, DNS rebinding), `busy` (503 with
/// `Retry-After`), `http_<status>` for routing errors (404, 405), `internal` (500, never caused by input).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Sent as `Retry-After` (503).
    var retryAfterSeconds: Int?

    init(_ status: HTTPResponse.Status, code: String, _ message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The HTTP meaning of an imaging failure.
    static func from(_ error: any Error) -> APIError {
        guard let error = error as? ImagingError else { return APIError(.unprocessableContent, code: "undecodable", "\(error)") }
        let text = error.description
        switch error {
        case .emptyFile:
            return APIError(.badRequest, code: "empty_body", text)
        case .unsupportedFormat:
            return APIError(.unsupportedMediaType, code: "unsupported_format", text + ": send a JPEG or PNG")
        case .notAnImage:
            return APIError(.unsupportedMediaType, code: "not_an_image", text + ": send a JPEG or PNG")
        case .limitExceeded:
            return APIError(.contentTooLarge, code: "image_too_large", text)
        case .tooSmall:
            return APIError(.unprocessableContent, code: "image_too_small", text)
        case .truncated:
            return APIError(.unprocessableContent, code: "truncated_image", text)
        case .corrupt, .readFailed, .encodingFailed:
            return APIError(.unprocessableContent, code: "undecodable", text)
        }
    }
}

/// Turns every error into a JSON body; only unexpected failures become 500.
struct ErrorJSONMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            var response = try jsonResponse(["error": ["code": error.code, "message": error.message]], status: error.status)
            if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as HTTPError {
            let message =
                error.status == .notFound
                ? "no route for \(request.method) \(request.uri.path); see GET / for the page and POST /api/predict for the API"
                : error.body ?? error.status.reasonPhrase
            return try jsonResponse(["error": ["code": "http_\(error.status.code)", "message": message]], status: error.status)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try jsonResponse(["error": ["code": "internal", "message": "internal error"]], status: .internalServerError)
        }
    }
}
