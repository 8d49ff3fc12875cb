/// A table with typed cells: numbers are right-aligned in tabular figures and carry their exact
/// value in `data-value` (Swift's shortest round-tripping form), so a reader or a test can recover
/// the number behind a rounded display.
public struct DataTable: Sendable {
    /// A column: its header and whether it holds numbers. `key` is written as `data-key` on every
    /// cell of the column (e.g. `val_accuracy`).
    public struct Column: Sendable {
        public var title: String
        public var isNumeric: Bool
        public var key: String?
        public init(_ title: String, numeric: Bool = false, key: String? = nil) {
            self.title = title
            self.isNumeric = numeric
            self.key = key
        }
    }

    /// A cell value.
    public enum Cell: Sendable {
        case text(String)
        /// A number shown with `decimals` decimals.
        case number(Double, decimals: Int)
        /// A whole number, grouped by thousands.
        case integer(Int)
        /// A fraction shown as a percentage.
        case percent(Double, decimals: Int)
        /// No value (shown as an en dash).
        case empty
        /// A cell shown in bold (best value of a column).
        indirect case emphasised(Cell)
        /// Arbitrary inline content (e.g. a colour swatch and a label).
        case nodes([HTMLNode])
    }

    /// A row; `attributes` go on the `<tr>` (e.g. `data-epoch`), `className` marks row kinds
    /// (`reference` for the original study's rows).
    public struct Row: Sendable {
        public var cells: [Cell]
        public var attributes: [(String, String)]
        public var className: String?
        public init(_ cells: [Cell], attributes: [(String, String)] = [], className: String? = nil) {
            self.cells = cells
            self.attributes = attributes
            self.className = className
        }
    }

    public var caption: String?
    public var columns: [Column]
    public var rows: [Row]
    /// The first cell of each row is a row header (`<th scope="row">`).
    public var firstColumnIsHeader: Bool
    /// `id` of the `<table>` element, for tests and links.
    public var id: String?

    public init(caption: String? = nil, columns: [Column], rows: [Row], firstColumnIsHeader: Bool = true, id: String? = nil) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.firstColumnIsHeader = firstColumnIsHeader
        self.id = id
    }

    /// The table wrapped in a horizontally scrollable container, so wide tables never widen the page.
    public var node: HTMLNode {
        var tableChildren: [HTMLNode] = []
        if let caption { tableChildren.append(HTML.element("caption", [.text(caption)])) }
        tableChildren.append(
            HTML.element(
                "thead",
                [
                    HTML.element(
                        "tr",
                        columns.map { column in
                            HTML.element("th", class: column.isNumeric ? "num" : nil, attributes: [("scope", "col")], [.text(column.title)])
                        })
                ]))
        tableChildren.append(HTML.element("tbody", rows.map(rowNode)))
        let table = HTML.element("table", attributes: id.map { [("id", $0)] } ?? [], tableChildren)
        return HTML.element("div", class: "table-scroll", [table])
    }

    private func rowNode(_ row: Row) -> HTMLNode {
        let cells = row.cells.enumerated().map { index, cell -> HTMLNode in
            let column = index < columns.count ? columns[index] : Column("")
            let isHeader = index == 0 && firstColumnIsHeader
            var attributes: [(String, String)] = isHeader ? [("scope", "row")] : []
            if let key = column.key { attributes.append(("data-key", key)) }
            if let value = Self.exactValue(cell) { attributes.append(("data-value", value)) }
            let isNumeric = Self.isNumeric(cell) || (column.isNumeric && Self.isEmpty(cell))
            return HTML.element(isHeader ? "th" : "td", class: isNumeric ? "num" : nil, attributes: attributes, Self.content(cell))
        }
        return HTML.element("tr", class: row.className, attributes: row.attributes, cells)
    }

    private static func content(_ cell: Cell) -> [HTMLNode] {
        switch cell {
        case .text(let text): [.text(text)]
        case .number(let value, let decimals): [.text(Markup.fixed(value, decimals))]
        case .integer(let value): [.text(Markup.grouped(value))]
        case .percent(let value, let decimals): [.text(Markup.percent(value, decimals))]
        case .empty: [.text("–")]
        case .emphasised(let inner): [HTML.element("strong", content(inner))]
        case .nodes(let nodes): nodes
        }
    }

    /// The exact value written to `data-value`: `Double.description` round-trips exactly.
    private static func exactValue(_ cell: Cell) -> String? {
        switch cell {
        case .number(let value, _), .percent(let value, _): value.isFinite ? value.description : nil
        case .integer(let value): String(value)
        case .emphasised(let inner): exactValue(inner)
        default: nil
        }
    }

    private static func isNumeric(_ cell: Cell) -> Bool {
        switch cell {
        case .number, .integer, .percent: true
        case .emphasised(let inner): isNumeric(inner)
        default: false
        }
    }

    private static func isEmpty(_ cell: Cell) -> Bool {
        if case .empty = cell { return true }
        return false
    }
}
