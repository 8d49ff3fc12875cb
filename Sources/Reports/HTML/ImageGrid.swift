/// A contact sheet: thumbnails in a grid that wraps to the window width, each with caption lines
/// and an optional second image beside it (a Grad-CAM overlay of the same cover).
public struct ImageGrid: Sendable {
    /// One thumbnail.
    public struct Tile: Sendable {
        public var image: ImageSource
        public var alt: String
        /// Caption lines under the image, e.g. "true jazz", "predicted rock 0.93".
        public var captionLines: [String]
        /// A colour bar above the caption (the genre colour), or `nil`.
        public var accentColour: String?
        /// A second image shown next to the first, with its own alt text.
        public var companion: (image: ImageSource, alt: String)?
        /// Extra attributes on the tile element (`data-true`, `data-predicted`).
        public var attributes: [(String, String)]

        public init(
            image: ImageSource, alt: String, captionLines: [String] = [], accentColour: String? = nil,
            companion: (image: ImageSource, alt: String)? = nil, attributes: [(String, String)] = []
        ) {
            self.image = image
            self.alt = alt
            self.captionLines = captionLines
            self.accentColour = accentColour
            self.companion = companion
            self.attributes = attributes
        }
    }

    public var tiles: [Tile]
    /// Displayed thumbnail width in CSS pixels (the image file is not resized).
    public var thumbnailWidth: Int

    public init(tiles: [Tile], thumbnailWidth: Int = 120) {
        self.tiles = tiles
        self.thumbnailWidth = thumbnailWidth
    }

    /// The grid as an HTML node.
    public var node: HTMLNode {
        let hasCompanions = tiles.contains { $0.companion != nil }
        let columnWidth = thumbnailWidth * (hasCompanions ? 2 : 1) + (hasCompanions ? 16 : 10)
        return HTML.element(
            "ul", class: "contact-sheet", attributes: [("style", "--thumb: \(max(40, thumbnailWidth))px; --tile: \(columnWidth)px")],
            tiles.map(tileNode))
    }

    private func tileNode(_ tile: Tile) -> HTMLNode {
        var images: [HTMLNode] = [
            .image(tile.image, alt: tile.alt, attributes: [("width", String(thumbnailWidth)), ("height", String(thumbnailWidth))])
        ]
        if let companion = tile.companion {
            images.append(
                .image(companion.image, alt: companion.alt, attributes: [("width", String(thumbnailWidth)), ("height", String(thumbnailWidth))]))
        }
        var children: [HTMLNode] = [HTML.element("div", class: "thumbs", images)]
        if let accent = tile.accentColour {
            children.append(HTML.element("span", class: "accent", attributes: [("style", "background: \(Self.safeColour(accent))")]))
        }
        if !tile.captionLines.isEmpty {
            children.append(HTML.element("div", class: "caption", tile.captionLines.map { HTML.element("span", [.text($0)]) }))
        }
        return HTML.element("li", attributes: tile.attributes, children)
    }

    /// Accepts only `#rgb`/`#rrggbb` colours in inline styles; anything else becomes grey, so a
    /// caller cannot inject CSS.
    static func safeColour(_ colour: String) -> String {
        let hex = colour.dropFirst()
        let valid = colour.hasPrefix("#") && (hex.count == 3 || hex.count == 6) && hex.allSatisfy(\.isHexDigit)
        return valid ? colour : "#999999"
    }
}
