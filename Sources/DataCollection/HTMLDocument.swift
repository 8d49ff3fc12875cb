import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// A document read with libxml2's tolerant HTML parser (the same recovery rules browsers
/// approximate: unclosed tags, stray entities and bad nesting are repaired, never fatal).
///
/// The tree stays libxml2's: elements are views on its nodes, and queries walk the C structures
/// without copying them into Swift values. A chart page holds ~4,000 elements of which a parser
/// reads a few hundred, so copying the whole tree (what this type did first) cost more than the
/// parse itself. libxml2 lower-cases tag and attribute names; entities are already decoded.
final class HTMLDocument {
    private let document: htmlDocPtr

    init(_ html: String) {
        var bytes = Array(html.utf8)
        if bytes.isEmpty { bytes = [0x20] }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        // libxml2 gives up only on input with nothing to recover; that reads as an empty document.
        document = parsed ?? htmlNewDocNoDtD(nil, nil)
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The document node as an element named `#document` (libxml2's `xmlDoc` begins with the
    /// same fields as `xmlNode`, which is how libxml2 itself walks from a document to its children).
    var root: HTMLElement {
        HTMLElement(node: UnsafeMutableRawPointer(document).assumingMemoryBound(to: xmlNode.self), owner: self)
    }
}

/// An element of an `HTMLDocument`. Holding an element keeps its document alive.
public struct HTMLElement {
    let node: xmlNodePtr
    let owner: HTMLDocument

    /// Lower-case tag name; `#document` for the root.
    public var name: String {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return "#document" }
        return String(cString: name)
    }

    /// The attribute value with entities decoded, or nil.
    public subscript(_ attribute: String) -> String? {
        attribute.withCString { wanted in
            Self.attributeNode(node, named: wanted).map(Self.attributeValue)
        }
    }

    /// Class tokens split on HTML's whitespace. Noise tokens such as `//` are kept but never
    /// match a real class name, which is why classes are compared token by token.
    public var classTokens: [String] {
        (self["class"] ?? "").split(whereSeparator: { $0.isHTMLWhitespace }).map(String.init)
    }

    /// Whether every listed class is among the element's class tokens.
    public func hasClasses(_ names: String...) -> Bool {
        Query(name: nil, classes: names, id: nil).matches(node)
    }

    /// Child elements, in order.
    public var elementChildren: [HTMLElement] {
        var result: [HTMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(HTMLElement(node: current, owner: owner)) }
            child = current.pointee.next
        }
        return result
    }

    /// The next element among the parent's children, skipping text.
    public var nextElementSibling: HTMLElement? {
        var sibling = node.pointee.next
        while let current = sibling {
            if current.pointee.type == XML_ELEMENT_NODE { return HTMLElement(node: current, owner: owner) }
            sibling = current.pointee.next
        }
        return nil
    }

    /// The parent element, nil at the top.
    public var parent: HTMLElement? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLElement(node: parent, owner: owner)
    }

    /// Descendants matching `name` (nil for any), all `classes` and `id`, in document order.
    public func select(_ name: String? = nil, classes: String..., id: String? = nil) -> [HTMLElement] {
        let query = Query(name: name, classes: classes, id: id)
        var result: [HTMLElement] = []
        forEachDescendant { element in
            if query.matches(element) { result.append(HTMLElement(node: element, owner: owner)) }
            return true
        }
        return result
    }

    /// The first matching descendant in document order.
    public func first(_ name: String? = nil, classes: String..., id: String? = nil) -> HTMLElement? {
        let query = Query(name: name, classes: classes, id: id)
        var found: HTMLElement?
        forEachDescendant { element in
            guard query.matches(element) else { return true }
            found = HTMLElement(node: element, owner: owner)
            return false
        }
        return found
    }

    /// Concatenated text of all descendants. Iterative, like `forEachDescendant`: a page nested
    /// thousands of elements deep costs no stack.
    public var text: String {
        var bytes: [UInt8] = []
        var next = node.pointee.children
        while let current = next {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            case XML_ELEMENT_NODE:
                if let child = current.pointee.children {
                    next = child
                    continue
                }
            default: break
            }
            next = Self.following(current, within: node)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with leading/trailing whitespace removed and inner runs of whitespace collapsed.
    public var trimmedText: String { text.collapsingWhitespace() }

    /// Pre-order walk over element descendants (excluding self) until `visit` returns false.
    /// Iterative, through libxml2's parent and sibling links: a recursive nested function
    /// retained its captured context at every level, which was most of a query's cost.
    private func forEachDescendant(_ visit: (xmlNodePtr) -> Bool) {
        var next = node.pointee.children
        while let current = next {
            if current.pointee.type == XML_ELEMENT_NODE {
                if !visit(current) { return }
                if let child = current.pointee.children {
                    next = child
                    continue
                }
            }
            next = Self.following(current, within: node)
        }
    }

    /// The node after `current` in a pre-order walk of `root`'s descendants once `current`'s own
    /// children are done: its next sibling, or the next sibling of the nearest ancestor below `root`
    /// that has one; nil at the end.
    private static func following(_ current: xmlNodePtr, within root: xmlNodePtr) -> xmlNodePtr? {
        var climbing: xmlNodePtr? = current
        while let ancestor = climbing, ancestor != root {
            if let sibling = ancestor.pointee.next { return sibling }
            climbing = ancestor.pointee.parent
        }
        return nil
    }

    static func attributeNode(_ node: xmlNodePtr, named wanted: UnsafePointer<CChar>) -> xmlAttrPtr? {
        guard node.pointee.type == XML_ELEMENT_NODE else { return nil }
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name, strcasecmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), wanted) == 0 {
                return current
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// An attribute's value: libxml2 stores it as text children, entities decoded.
    static func attributeValue(_ attribute: xmlAttrPtr) -> String {
        var value = ""
        var part = attribute.pointee.children
        while let text = part {
            if let content = text.pointee.content { value += String(cString: content) }
            part = text.pointee.next
        }
        return value
    }
}

/// A tag/class/id selector compiled once and matched against raw nodes without allocating.
private struct Query {
    let name: [CChar]?
    let classes: [[UInt8]]
    let id: String?

    init(name: String?, classes: [String], id: String?) {
        self.name = name.map { Array($0.utf8CString) }
        self.classes = classes.map { Array($0.utf8) }
        self.id = id
    }

    func matches(_ node: xmlNodePtr) -> Bool {
        if let name {
            guard let nodeName = node.pointee.name,
                strcmp(UnsafeRawPointer(nodeName).assumingMemoryBound(to: CChar.self), name) == 0
            else { return false }
        }
        if let id {
            guard let attribute = HTMLElement.attributeNode(node, named: "id"),
                HTMLElement.attributeValue(attribute) == id
            else { return false }
        }
        if classes.isEmpty { return true }
        guard let attribute = HTMLElement.attributeNode(node, named: "class") else { return false }
        // Almost always a single text child; entities or odd markup can split it.
        if let text = attribute.pointee.children, text.pointee.next == nil, let content = text.pointee.content {
            let value = UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
            return classes.allSatisfy { Self.containsToken($0, in: value) }
        }
        let value = Array(HTMLElement.attributeValue(attribute).utf8)
        return value.withUnsafeBufferPointer { buffer in classes.allSatisfy { Self.containsToken($0, in: buffer) } }
    }

    /// Whether `token` is one of the whitespace-separated words of `value`.
    static func containsToken(_ token: [UInt8], in value: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start < value.count {
            while start < value.count && value[start].isHTMLWhitespace { start += 1 }
            var end = start
            while end < value.count && !value[end].isHTMLWhitespace { end += 1 }
            if end - start == token.count && token.withUnsafeBufferPointer({ memcmp($0.baseAddress!, value.baseAddress! + start, token.count) == 0 })
            {
                return true
            }
            start = end
        }
        return false
    }
}

/// Parses HTML into an element tree rooted at a synthetic `#document` element.
public enum HTMLParser {
    public static func parse(_ html: String) -> HTMLElement {
        HTMLDocument(html).root
    }
}

extension UInt8 {
    /// HTML's ASCII whitespace: space, tab, LF, CR, FF.
    var isHTMLWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0x0C }
}

extension Character {
    var isHTMLWhitespace: Bool { asciiValue?.isHTMLWhitespace ?? false }
}

extension String {
    /// Leading and trailing whitespace removed and inner runs collapsed to one space. ASCII text
    /// (nearly every cell) is done on bytes; other text by `Character.isWhitespace`, which also
    /// knows non-breaking and other Unicode spaces.
    func collapsingWhitespace() -> String {
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            // Character.isWhitespace on ASCII: tab, LF, VT, FF, CR and space.
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = true
            } else {
                if pendingSpace && !result.isEmpty { result.append(0x20) }
                pendingSpace = false
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
