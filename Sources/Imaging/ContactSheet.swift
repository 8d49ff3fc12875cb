extension RGBImage {
    /// The image scaled to fit inside `size`, keeping its aspect ratio (never upscaled unless
    /// `allowsUpscaling`), with Pillow-style antialiased bicubic resampling.
    public func fitted(within size: ImageSize, allowsUpscaling: Bool = false) -> RGBImage {
        let scale = min(Double(size.width) / Double(width), Double(size.height) / Double(height))
        if scale >= 1 && !allowsUpscaling { return self }
        let target = ImageSize(
            width: max(1, Int((Double(width) * scale).rounded())), height: max(1, Int((Double(height) * scale).rounded())))
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
    public static func contactSheet(
        _ images: [RGBImage], columns: Int, cellSize: ImageSize, spacing: Int = 4, background: RGBColor = .white
    ) -> RGBImage {
        precondition(columns > 0 && cellSize.width > 0 && cellSize.height > 0 && spacing >= 0,
                     "contactSheet: columns and cell size must be positive, spacing ≥ 0")
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
        }
        return sheet
    }
}
