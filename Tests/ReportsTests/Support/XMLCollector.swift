import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element seen while parsing: its name, attributes, all text inside it, the names of its
/// ancestors, and the attributes of the nearest enclosing `tr`.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    var text: String
    var ancestors: [String]
    var rowAttributes: [String: String]?
}

/// Parses markup with Foundation's `XMLParser` (libxml2 on Linux), collecting every element.
final class XMLCollector: NSObject, XMLParserDelegate {
    private(set) var elements: [ParsedElement] = []
    private var stack: [(index: Int, name: String, attributes: [String: String])] = []

    /// Parses `markup`; `nil` when it is not well-formed XML.
    static func parse(_ markup: String) -> XMLCollector? {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = collector
        parser.shouldResolveExternalEntities = false
        return parser.parse() ? collector : nil
    }

    /// The parser's error for `markup` with its position, or `nil` if it is well-formed.
    static func wellFormednessError(_ markup: String) -> String? {
        let parser = XMLParser(data: Data(markup.utf8))
        parser.shouldResolveExternalEntities = false
        if parser.parse() { return nil }
        return "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber), column \(parser.columnNumber)"
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let row = stack.last { $0.name == "tr" }?.attributes
        elements.append(
            ParsedElement(
                name: elementName, attributes: attributes, text: "", ancestors: stack.map(\.name), rowAttributes: row))
        stack.append((elements.count - 1, elementName, attributes))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for entry in stack { elements[entry.index].text += string }
    }

    func elements(named name: String) -> [ParsedElement] {
        elements.filter { $0.name == name }
    }
}
