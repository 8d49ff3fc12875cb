import CLibXML2

/// An HTML element tree read with libxml2's tolerant HTML parser (the same recovery rules browsers
/// approximate: unclosed tags, stray entities and bad nesting are repaired, never fatal).
///
/// The libxml2 tree is copied into Swift values and freed at once, so nodes are plain `Sendable`
/// values with no pointer lifetimes to manage.
public struct HTMLElement: Sendable {
    public enum Child: Sendable {
        case element(HTMLElement)
        case text(String)
    }

    /// Lower-case tag name.
    public var name: String
    public var attributes: [String: String]
    public var children: [Child]
    /// Class tokens, split once at parse time on ASCII whitespace (HTML's definition).
    public private(set) var classList: [String]

    public init(name: String, attributes: [String: String], children: [Child]) {
        self.name = name
        self.attributes = attributes
        self.children = children
        classList = Self.splitClasses(attributes["class"] ?? "")
    }

    static func splitClasses(_ value: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)); current.removeAll() }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }

    /// The attribute value, or nil.
    public subscript(_ name: String) -> String? { attributes[name] }

    /// Class tokens split on any whitespace. Noise tokens such as `//` are kept but never match a
    /// real class name, which is why classes are compared token by token, never as strings.
    public var classTokens: [String] { classList }

    /// Whether every listed class is among the element's class tokens.
    public func hasClasses(_ names: String...) -> Bool { hasClasses(names) }

    func hasClasses(_ names: [String]) -> Bool {
        names.allSatisfy { name in classList.contains(name) }
    }

    func matches(_ name: String?, _ classes: [String], _ id: String?) -> Bool {
        (name == nil || self.name == name) && (id == nil || attributes["id"] == id) && hasClasses(classes)
    }

    /// Child elements, in order.
    public var elementChildren: [HTMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// All descendant elements in document order (pre-order), excluding self.
    public var descendants: [HTMLElement] {
        var result: [HTMLElement] = []
        func walk(_ element: HTMLElement) {
            for child in element.elementChildren {
                result.append(child)
                walk(child)
            }
        }
        walk(self)
        return result
    }

    /// Descendants matching `name` (nil for any) and all `classes`.
    public func select(_ name: String? = nil, classes: String..., id: String? = nil) -> [HTMLElement] {
        var result: [HTMLElement] = []
        func walk(_ element: HTMLElement) {
            for case .element(let child) in element.children {
                if child.matches(name, classes, id) { result.append(child) }
                walk(child)
            }
        }
        walk(self)
        return result
    }

    /// The first matching descendant.
    public func first(_ name: String? = nil, classes: String..., id: String? = nil) -> HTMLElement? {
        var found: HTMLElement?
        func walk(_ element: HTMLElement) -> Bool {
            for child in element.elementChildren {
                if child.matches(name, classes, id) {
                    found = child
                    return true
                }
                if walk(child) { return true }
            }
            return false
        }
        _ = walk(self)
        return found
    }

    /// Concatenated text of all descendants, entities already decoded by the parser.
    public var text: String {
        var result = ""
        func walk(_ element: HTMLElement) {
            for child in element.children {
                switch child {
                case .text(let string): result += string
                case .element(let element): walk(element)
                }
            }
        }
        walk(self)
        return result
    }

    /// `text` with leading/trailing whitespace removed and inner runs of whitespace collapsed.
    public var trimmedText: String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// Parses HTML into an `HTMLElement` tree rooted at a synthetic `#document` element.
public enum HTMLParser {
    public static func parse(_ html: String) -> HTMLElement {
        var bytes = Array(html.utf8)
        if bytes.isEmpty { bytes = [0x20] }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        var root = HTMLElement(name: "#document", attributes: [:], children: [])
        guard let document else { return root }
        defer { xmlFreeDoc(document) }
        var node = document.pointee.children
        while let current = node {
            if let child = convert(current) { root.children.append(child) }
            node = current.pointee.next
        }
        return root
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    private static func convert(_ node: xmlNodePtr) -> HTMLElement.Child? {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            return .text(string(node.pointee.content))
        case XML_ELEMENT_NODE:
            var attributes: [String: String] = [:]
            var attribute = node.pointee.properties
            while let current = attribute {
                let name = string(current.pointee.name).lowercased()
                // The HTML parser stores an attribute value as text children with entities decoded.
                var value = ""
                var part = current.pointee.children
                while let text = part {
                    value += string(text.pointee.content)
                    part = text.pointee.next
                }
                attributes[name] = value
                attribute = current.pointee.next
            }
            var element = HTMLElement(name: string(node.pointee.name).lowercased(), attributes: attributes, children: [])
            var child = node.pointee.children
            while let current = child {
                if let converted = convert(current) { element.children.append(converted) }
                child = current.pointee.next
            }
            return .element(element)
        default:
            return nil
        }
    }
}
