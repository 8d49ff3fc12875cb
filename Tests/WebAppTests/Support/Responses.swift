import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Inference
import Testing

@testable import WebApp

/// The JSON error body every refusal must carry.
struct ErrorBody: Decodable, Equatable {
    struct Detail: Decodable, Equatable {
        var code: String
        var message: String
    }
    var error: Detail
}

struct PredictBody: Decodable {
    var genre: String
    var scores: [GenreScore]
    var gradcam: String?
}

extension TestResponse {
    var data: Data { Data(buffer: body) }

    /// Checks a refusal: the expected 4xx status, a JSON content type and a stable error code with a
    /// non-empty message. Returns the decoded error.
    @discardableResult
    func expectError(_ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ErrorBody {
        #expect(self.status == status, "status \(self.status), body \(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect((400..<500).contains(self.status.code), sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let decoded = try JSONDecoder().decode(ErrorBody.self, from: data)
        #expect(decoded.error.code == code, sourceLocation: sourceLocation)
        #expect(!decoded.error.message.isEmpty, sourceLocation: sourceLocation)
        return decoded
    }

    func prediction(sourceLocation: SourceLocation = #_sourceLocation) throws -> PredictBody {
        #expect(status == .ok, "status \(status), body \(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
        return try JSONDecoder().decode(PredictBody.self, from: data)
    }
}

enum TestApp {
    /// The app on the shared test model; port 0 lets `.live` tests pick a free port.
    static func make(maximumBodyBytes: Int = 300_000, maximumBatch: Int = 4) -> some ApplicationProtocol {
        buildApplication(
            configuration: WebConfiguration(host: "127.0.0.1", port: 0, maximumBodyBytes: maximumBodyBytes, maximumBatch: maximumBatch),
            predictor: TestModel.predictor)
    }

    /// An app with every limit given (port 0: any free port).
    static func make(configuration: WebConfiguration) -> some ApplicationProtocol {
        buildApplication(configuration: configuration, predictor: TestModel.predictor)
    }

    /// What the predictor says about `data` when called directly (the reference for the API).
    static func directPrediction(of data: Data) throws -> CoverPrediction {
        let image = try TestModel.predictor.decode(data)
        return TestModel.predictor.predict([image])[0]
    }
}
