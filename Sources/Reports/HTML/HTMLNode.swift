/// A node of an HTML document tree. Text and attribute values are escaped when rendered; only
/// `.trusted` markup (charts produced by this module's SVG writers) is inserted verbatim.
public indirect enum HTMLNode: Sendable {
    /// An element with attributes (name–value pairs, in order) and children.
    case element(String, attributes: [(String, String)], children: [HTMLNode])
    /// Text content, escaped on output.
    case text(String)
    /// Markup produced by this module (SVG charts), inserted verbatim.
    case trusted(String)
    /// An image resolved when the report is written: copied into the report folder or inlined.
    case image(ImageSource, alt: String, attributes: [(String, String)])
    /// A sequence of nodes without a wrapper element.
    case group([HTMLNode])

    /// Elements that have no end tag in HTML.
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]

    /// Renders the node, resolving images through `resolver`.
    func render(into output: inout String, resolver: AssetResolver) throws {
        switch self {
        case .text(let text):
            output += Markup.escapeText(text)
        case .trusted(let markup):
            output += markup
        case .group(let nodes):
            for node in nodes { try node.render(into: &output, resolver: resolver) }
        case .element(let name, let attributes, let children):
            guard Markup.isValidName(name) else { return }
            // Void elements are self-closed (`<br/>`), valid HTML5 that also keeps the page well-formed XML.
            guard !Self.voidElements.contains(name) else {
                output += "<\(name)\(Self.attributeString(attributes))/>"
                return
            }
            output += "<\(name)\(Self.attributeString(attributes))>"
            for child in children { try child.render(into: &output, resolver: resolver) }
            output += "</\(name)>"
        case .image(let source, let alt, let attributes):
            if let src = try resolver.reference(for: source) {
                output += "<img\(Self.attributeString([("src", src), ("alt", alt)] + attributes))/>"
            } else {
                let label = "image missing: " + source.displayName
                output +=
                    "<span class=\"missing-image\" role=\"img\" aria-label=\"\(Markup.escapeAttribute(label))\">"
                    + Markup.escapeText(label) + "</span>"
            }
        }
    }

    static func attributeString(_ attributes: [(String, String)]) -> String {
        attributes.filter { Markup.isValidName($0.0) }
            .map { " \($0.0)=\"\(Markup.escapeAttribute($0.1))\"" }.joined()
    }
}

/// Builders for the HTML a report needs. All take plain strings and escape them.
public enum HTML {
    /// An element with `class` and other attributes.
    public static func element(
        _ name: String, class className: String? = nil, attributes: [(String, String)] = [], _ children: [HTMLNode] = []
    ) -> HTMLNode {
        .element(name, attributes: (className.map { [("class", $0)] } ?? []) + attributes, children: children)
    }

    /// A paragraph of plain text.
    public static func paragraph(_ text: String, class className: String? = nil) -> HTMLNode {
        element("p", class: className, [.text(text)])
    }

    /// A paragraph mixing text and inline nodes (e.g. `strong`).
    public static func paragraph(_ children: [HTMLNode], class className: String? = nil) -> HTMLNode {
        element("p", class: className, children)
    }

    /// Bold inline text.
    public static func strong(_ text: String) -> HTMLNode { element("strong", [.text(text)]) }

    /// Inline code.
    public static func code(_ text: String) -> HTMLNode { element("code", [.text(text)]) }

    /// A heading `h<level>` (level clamped to 2…6; `h1` is the report title).
    public static func heading(_ text: String, level: Int = 3, id: String? = nil) -> HTMLNode {
        element("h\(min(6, max(2, level)))", attributes: id.map { [("id", $0)] } ?? [], [.text(text)])
    }

    /// A bulleted list of plain-text items.
    public static func list(_ items: [String]) -> HTMLNode {
        element("ul", items.map { element("li", [.text($0)]) })
    }

    /// A figure holding an SVG chart produced by this module, with a caption.
    public static func chart(_ svg: String, caption: String? = nil, wide: Bool = false) -> HTMLNode {
        figure([.trusted(svg)], caption: caption, class: wide ? "chart wide" : "chart")
    }

    /// A figure with arbitrary content and an optional caption.
    public static func figure(_ content: [HTMLNode], caption: String?, class className: String = "chart") -> HTMLNode {
        element("figure", class: className, content + (caption.map { [element("figcaption", [.text($0)])] } ?? []))
    }

    /// Figures laid out in a grid that wraps to the window width (small multiples).
    public static func grid(_ items: [HTMLNode], minimumColumnWidth: Int = 280) -> HTMLNode {
        element("div", class: "grid", attributes: [("style", "--min-column: \(max(80, minimumColumnWidth))px")], items)
    }

    /// Key figures shown as large numbers with labels ("test accuracy 0.512").
    public static func keyFigures(_ figures: [(label: String, value: String, note: String?)]) -> HTMLNode {
        element(
            "dl", class: "key-figures",
            figures.map { figure in
                element(
                    "div",
                    [
                        element("dt", [.text(figure.label)]),
                        element("dd", [.text(figure.value)] + (figure.note.map { [element("span", class: "note", [.text($0)])] } ?? [])),
                    ])
            })
    }

    /// A highlighted remark (a caveat, a data-quality warning).
    public static func callout(_ text: String, kind: String = "note") -> HTMLNode {
        element("p", class: "callout \(kind)", [.text(text)])
    }
}
