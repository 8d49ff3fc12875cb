import Imaging

/// The arithmetic of Grad-CAM, separate from the network so it can be tested on small arrays.
public enum GradCAM {
    /// ReLU(Σ_c α_c A_c) with α_c = mean_{h,w} G_c, scaled to [0, 1].
    /// `activations` and `gradient` are `[1, C, h, w]` in row-major order.
    public static func combine(activations: [Float], gradient: [Float], shape: [Int]) -> [Float] {
        let (c, h, w) = (shape[1], shape[2], shape[3])
        let plane = h * w
        guard gradient.count == activations.count, activations.count == c * plane else { return Array(repeating: 0, count: plane) }
        var map = [Float](repeating: 0, count: plane)
        for channel in 0..<c {
            let base = channel * plane
            var alpha: Float = 0
            for i in 0..<plane { alpha += gradient[base + i] }
            alpha /= Float(plane)
            if alpha == 0 { continue }
            for i in 0..<plane { map[i] += alpha * activations[base + i] }
        }
        let peak = map.max() ?? 0
        return map.map { peak > 0 ? max($0, 0) / peak : 0 }
    }

    /// The map upsampled bilinearly to the image and blended as a red-yellow heat overlay.
    public static func overlay(_ map: [Float], width: Int, height: Int, on image: RGBImage, opacity: Float = 0.5) -> RGBImage {
        var pixels = image.pixels
        for y in 0..<image.height {
            let sy = min(max((Float(y) + 0.5) * Float(height) / Float(image.height) - 0.5, 0), Float(height - 1))
            let y0 = Int(sy), y1 = min(y0 + 1, height - 1), fy = sy - Float(y0)
            for x in 0..<image.width {
                let sx = min(max((Float(x) + 0.5) * Float(width) / Float(image.width) - 0.5, 0), Float(width - 1))
                let x0 = Int(sx), x1 = min(x0 + 1, width - 1), fx = sx - Float(x0)
                let top = map[y0 * width + x0] * (1 - fx) + map[y0 * width + x1] * fx
                let bottom = map[y1 * width + x0] * (1 - fx) + map[y1 * width + x1] * fx
                let v = top * (1 - fy) + bottom * fy
                // Heat colour: black → red → yellow, weighted by the map value itself.
                let heat: (Float, Float, Float) = (min(1, 2 * v) * 255, max(0, 2 * v - 1) * 255, 0)
                let a = opacity * v
                let base = (y * image.width + x) * 3
                pixels[base] = UInt8(Float(pixels[base]) * (1 - a) + heat.0 * a)
                pixels[base + 1] = UInt8(Float(pixels[base + 1]) * (1 - a) + heat.1 * a)
                pixels[base + 2] = UInt8(Float(pixels[base + 2]) * (1 - a) + heat.2 * a)
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }
}
