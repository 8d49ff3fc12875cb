extension RGBImage {
    /// The image scaled to fit inside `size`, keeping its aspect ratio (never upscaled unless
    /// `allowsUpscaling`), with Pillow-style antialiased bicubic resampling.
    public func fitted(within size: ImageSize, allowsUpscaling: Bool = false) -> RGBImage {
        let scale = min(Double(size.width) / Double(width), Double(size.height) / Double(height))
        if scale >= 1 && !allowsUpscaling { return self }
        let target = ImageSize(
            width: max(1, Int((Double(width) * scale).rounded())),
            height: max(1, Int((Double(height) * scale).rounded())))
        return target == ImageSize(width: width, height: height) ? self : resized(to: target, filter: .bicubic)
    }

    /// Copies `image` into this one with its top-left corner at (`x`, `y`), clipping at the edges.
    public mutating func paste(_ image: RGBImage, x: Int, y: Int) {
        let columnStart = max(x, 0)
        let columnEnd = min(x + image.width, width)
        guard columnStart < columnEnd else { return }
        let count = (columnEnd - columnStart) * 3
        for row in max(y, 0)..<min(y + image.height, height) {
            let from = ((row - y) * image.width + (columnStart - x)) * 3
            let to = (row * width + columnStart) * 3
            pixels.replaceSubrange(to..<(to + count), with: image.pixels[from..<(from + count)])
        }
    }

    /// A grid of thumbnails: each image fitted into a `cellSize` cell and centred, `columns` per row,
    /// `spacing` pixels of `background` around and between cells. Sheet width is
    /// `columns * cellWidth + (columns + 1) * spacing`; rows as needed (at least one).
    ///
    /// - Parameter frames: optional per-image frame colours (e.g. green for a correct prediction,
    ///   red for a wrong one), drawn `frameWidth` pixels thick on the cell's inner edge, over the
    ///   thumbnail. Missing or nil entries draw no frame.
    public static func contactSheet(
        _ images: [RGBImage], columns: Int, cellSize: ImageSize, spacing: Int = 4, background: RGBColor = .white,
        frames: [RGBColor?] = [], frameWidth: Int = 3
    ) -> RGBImage {
        precondition(
            columns > 0 && cellSize.width > 0 && cellSize.height > 0 && spacing >= 0 && frameWidth >= 0,
            "contactSheet: columns and cell size must be positive, spacing and frame width ≥ 0")
        let rows = max(1, (images.count + columns - 1) / columns)
        let sheetWidth = columns * cellSize.width + (columns + 1) * spacing
        let sheetHeight = rows * cellSize.height + (rows + 1) * spacing
        var sheet = RGBImage(width: sheetWidth, height: sheetHeight, filledWith: background)
        for (index, image) in images.enumerated() {
            let thumbnail = image.fitted(within: cellSize, allowsUpscaling: true)
            let cellX = spacing + (index % columns) * (cellSize.width + spacing)
            let cellY = spacing + (index / columns) * (cellSize.height + spacing)
            sheet.paste(
                thumbnail, x: cellX + (cellSize.width - thumbnail.width) / 2,
                y: cellY + (cellSize.height - thumbnail.height) / 2)
            if index < frames.count, let color = frames[index] {
                sheet.drawFrame(x: cellX, y: cellY, size: cellSize, thickness: frameWidth, color: color)
            }
        }
        return sheet
    }

    /// Fills the `thickness`-pixel inner border of a rectangle (clipped to the image).
    public mutating func drawFrame(x: Int, y: Int, size: ImageSize, thickness: Int, color: RGBColor) {
        let band = min(thickness, (min(size.width, size.height) + 1) / 2)
        guard band > 0 else { return }
        for row in max(y, 0)..<min(y + size.height, height) {
            let inBand = row < y + band || row >= y + size.height - band
            for column in max(x, 0)..<min(x + size.width, width)
            where inBand || column < x + band || column >= x + size.width - band {
                let offset = (row * width + column) * 3
                pixels[offset] = color.red
                pixels[offset + 1] = color.green
                pixels[offset + 2] = color.blue
            }
        }
    }
}
