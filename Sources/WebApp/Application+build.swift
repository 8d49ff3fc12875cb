import Foundation
import Hummingbird
import Imaging
import Inference
import Logging
import Models

/// Builds the web application: the page, the JSON API and the health check. `albumgenre serve`
/// runs it; the tests drive the same application in process.
///
/// Routes:
/// - `GET /`: the page (drop or pick a cover, see genre bars and the Grad-CAM overlay; `/#example`
///   runs it on the example cover);
/// - `GET /example.jpg`: a synthetic example cover;
/// - `POST /api/predict`: a raw image body or a multipart form with a file field; `?gradcam=1`
///   adds the overlay as a PNG data URL;
/// - `GET /api/model`: what the loaded model is;
/// - `GET /health`: `{"status":"ok"}`.
///
/// Every error is a JSON body `{"error": {"code", "message"}}`; bad input is always a 4xx.
public func buildApplication(configuration: WebConfiguration, predictor: GenrePredictor, logger: Logger? = nil) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    let accessLogger = logger ?? Logger(label: "albumgenre.access")
    router.middlewares.add(AccessLogMiddleware(logger: accessLogger))
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(ErrorJSONMiddleware())
    router.middlewares.add(OriginGuardMiddleware(boundHost: configuration.host))
    let admission = AdmissionGate(limit: configuration.maximumPendingPredictions)
    let preparation = PreparationPool(width: ProcessInfo.processInfo.activeProcessorCount)
    let batcher = PredictionBatcher(predictor: predictor, maximumBatch: configuration.maximumBatch)
    let decoder = ImageDecoder(
        limits: DecodeLimits(
            maximumBytes: configuration.maximumBodyBytes, maximumPixels: configuration.maximumPixels, maximumSide: 20_000,
            maximumDecodedBytes: configuration.maximumDecodedBytes))
    let model = ModelInfo(predictor)

    router.get("/") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: PredictionPage.html)))
    }
    router.get("/example.jpg") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(bytes: ExampleCover.jpeg)))
    }
    router.get("/health") { _, _ in try jsonResponse(["status": "ok"]) }
    router.get("/api/model") { _, _ in try jsonResponse(model) }
    router.post("/api/predict") { request, _ -> Response in
        try await admission.admit {
            let limit = configuration.maximumBodyBytes
            let body = try await withDeadline(configuration.bodyDeadline, "reading the request body") {
                try await collectUpload(request, limit: limit)
            }
            let contentType = request.headers[.contentType]
            // Parsing, decoding, resizing and normalising on the preparation pool: covers of concurrent
            // requests are prepared in parallel, off the cooperative threads that serve connections and
            // /health; only the forward pass is serialised (and batched).
            let (image, input) = try await preparation.run { () throws(APIError) -> (RGBImage, [Float]) in
                let bytes = try UploadExtraction.imageBytes(body: body, contentType: contentType)
                do {
                    return try predictor.prepare(bytes, name: "upload", decoder: decoder)
                } catch {
                    throw APIError.from(error)
                }
            }
            let prediction = await batcher.predict(input)
            var overlay: String?
            if request.uri.queryParameters["gradcam"].map({ $0 == "1" || $0 == "true" }) ?? false {
                let picture = await batcher.gradCAM(image, genre: prediction.top.genre)
                overlay = (try? picture.encodePNG()).map { "data:image/png;base64," + $0.base64EncodedString() }
            }
            return try jsonResponse(PredictResponse(genre: prediction.top.genre, scores: prediction.scores, gradcam: overlay))
        }
    }
    let idleMilliseconds =
        configuration.idleTimeout.components.seconds * 1000 + configuration.idleTimeout.components.attoseconds / 1_000_000_000_000_000
    return Application(
        router: router, server: .http1(configuration: .init(idleTimeout: .milliseconds(idleMilliseconds))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "albumgenre"),
        logger: logger)
}

/// The request body, refused with 413 beyond `limit` bytes: early when `Content-Length` says so,
/// otherwise as soon as the streamed body passes the limit.
private func collectUpload(_ request: Request, limit: Int) async throws -> Data {
    let tooLarge = APIError(.contentTooLarge, code: "body_too_large", "the request body is larger than \(limit) bytes")
    if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit { throw tooLarge }
    var request = request
    do {
        return Data(buffer: try await request.collectBody(upTo: limit))
    } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
        throw tooLarge  // NIO's too-many-bytes error
    }
}

/// `GET /api/model`. One model's selected epoch and figure are at the top level; an ensemble has no
/// single epoch or validated figure of its own, so it lists its members' instead.
struct ModelInfo: Codable, Sendable {
    /// One trained network: its selected epoch and the figure validation chose it by (for a final fit,
    /// `trainedOnValidation`, that of the validated run it repeats on train + validation).
    struct Member: Codable, Sendable {
        var model: String
        /// The run it was copied from (an ensemble's member), or nil.
        var source: String?
        var inputSize: Int
        var epoch: Int
        var validationMacroF1: Double
        var trainedOnValidation: Bool
    }

    var model: String
    var genres: [String]
    /// The input side of one model, of an ensemble's first member (each member resizes the cover).
    var inputSize: Int
    /// One model's; absent for an ensemble.
    var epoch: Int?
    var validationMacroF1: Double?
    /// Whether any of the networks trained on the validation split (final fits).
    var trainedOnValidation: Bool
    /// An ensemble's members, in order; absent for one model.
    var members: [Member]?
    /// True when every member also sees the cover mirrored (`ensemble --mirror`); absent otherwise.
    var mirrorsViews: Bool?
    /// The temperature the probabilities are scaled by (`albumgenre calibrate`); absent when none.
    var temperature: Double?

    init(_ predictor: GenrePredictor) {
        let members = predictor.memberDescriptions.enumerated().map { index, description in
            Member(
                model: description.model.rawValue, source: predictor.ensembleMembers?[index], inputSize: description.input.size,
                epoch: description.epoch, validationMacroF1: description.validationMacroF1,
                trainedOnValidation: description.trainedOnValidation == true)
        }
        model = predictor.modelName
        genres = predictor.classNames
        inputSize = members[0].inputSize
        trainedOnValidation = members.contains(where: \.trainedOnValidation)
        temperature = predictor.temperature
        if predictor.ensembleMembers == nil {
            epoch = members[0].epoch
            validationMacroF1 = members[0].validationMacroF1
        } else {
            self.members = members
            mirrorsViews = predictor.mirrorsViews ? true : nil
        }
    }
}

struct PredictResponse: Codable, Sendable {
    var genre: String
    var scores: [GenreScore]
    var gradcam: String?
}

func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
}
