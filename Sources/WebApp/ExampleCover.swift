import Foundation
import Imaging
import SyntheticCovers

/// The cover behind the page's "try an example cover" link (`GET /example.jpg`): synthetic art
/// drawn by `SyntheticCovers` from a fixed seed, so it is the same on every start and carries no
/// one's copyright.
enum ExampleCover {
    /// 320 × 320 JPEG, quality 90.
    static let jpeg: Data = {
        var generator = Xoshiro256StarStar(seed: 2026)
        let canvas = CoverPainter(size: 320, paletteBorrowing: 0, motifBorrowing: 0).paint(.jazz, generator: &generator)
        let image = RGBImage(width: canvas.width, height: canvas.height, pixels: canvas.pixels)
        // Encoding a valid in-memory image cannot fail; an empty body would surface as a 4xx anyway.
        return (try? image.encodeJPEG(quality: 90)) ?? Data()
    }()
}
