/// One section of a report: an `h2` heading (linked from the table of contents), an optional
/// introduction, and content nodes.
public struct ReportSection: Sendable {
    /// Fragment id, e.g. `learning-curves`.
    public var id: String
    public var title: String
    public var introduction: String?
    public var content: [HTMLNode]

    public init(id: String, title: String, introduction: String? = nil, content: [HTMLNode]) {
        self.id = id
        self.title = title
        self.introduction = introduction
        self.content = content
    }
}

/// A complete self-contained report page: header with metadata, table of contents, sections and
/// footer. Render it with `ReportWriter`.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String?
    /// Label–value pairs under the title ("run", "generated", "classes").
    public var metadata: [(label: String, value: String)]
    public var sections: [ReportSection]
    public var footer: String?

    public init(
        title: String, subtitle: String? = nil, metadata: [(label: String, value: String)] = [],
        sections: [ReportSection], footer: String? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.metadata = metadata
        self.sections = sections
        self.footer = footer
    }

    /// Content-Security-Policy of every report: nothing may load from the network (no CDN, no
    /// fonts, no scripts); only inline styles, images in the report folder and data URIs.
    static let contentSecurityPolicy =
        "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    /// The page as HTML5, resolving images through `resolver`. The output is also well-formed XML
    /// (void elements self-closed, everything escaped), which the tests exploit to parse it.
    func render(resolver: AssetResolver) throws -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Markup.escapeAttribute(Self.contentSecurityPolicy))\"/>\n"
        out += "<meta name=\"generator\" content=\"AlbumGenre Reports\"/>\n"
        out += "<title>\(Markup.escapeText(title))</title>\n<style>\n\(Stylesheet.css)\n</style>\n</head>\n<body>\n<main>\n"

        var header: [HTMLNode] = [HTML.element("h1", [.text(title)])]
        if let subtitle { header.append(HTML.paragraph(subtitle, class: "subtitle")) }
        if !metadata.isEmpty {
            header.append(
                HTML.element(
                    "dl", class: "metadata",
                    metadata.map { item in
                        HTML.element("div", [HTML.element("dt", [.text(item.label)]), HTML.element("dd", [.text(item.value)])])
                    }))
        }
        try HTML.element("header", class: "report-header", header).render(into: &out, resolver: resolver)
        out += "\n"
        if sections.count > 1 {
            let links = sections.map { section in
                HTML.element("li", [HTML.element("a", attributes: [("href", "#" + section.id)], [.text(section.title)])])
            }
            try HTML.element("nav", class: "toc", attributes: [("aria-label", "Contents")], [HTML.element("ol", links)])
                .render(into: &out, resolver: resolver)
            out += "\n"
        }
        for section in sections {
            var children: [HTMLNode] = [HTML.element("h2", [.text(section.title)])]
            if let introduction = section.introduction { children.append(HTML.paragraph(introduction)) }
            children += section.content
            try HTML.element("section", attributes: [("id", section.id)], children).render(into: &out, resolver: resolver)
            out += "\n"
        }
        if let footer {
            try HTML.element("footer", [.text(footer)]).render(into: &out, resolver: resolver)
            out += "\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }
}
