/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// Lines of spans that a pane lays out before drawing: wrapped to the pane's width, then drawn
/// from a scroll offset.
public struct TextBlock: Sendable {
    public var width: Int
    public private(set) var lines: [[Span]] = []

    public init(width: Int) { self.width = max(1, width) }

    /// Wrapped text; continuation lines are indented like the first.
    public mutating func text(_ text: String, _ style: Style = .plain, indent: Int = 0) {
        let pad = String(repeating: " ", count: indent)
        for line in DisplayWidth.wrap(text, width: max(1, width - indent)) { lines.append([Span(pad + line, style)]) }
    }

    /// One line, cut at the width.
    public mutating func row(_ spans: [Span]) { lines.append(spans) }
    public mutating func row(_ text: String, _ style: Style = .plain) { lines.append([Span(text, style)]) }
    public mutating func blank() { lines.append([]) }

    /// A label, then text wrapped beside it: "  label  text that goes on…"
    public mutating func labelled(_ label: String, _ labelStyle: Style, _ text: String, _ style: Style, labelWidth: Int, indent: Int = 0) {
        let column = indent + labelWidth + 1
        let wrapped = DisplayWidth.wrap(text, width: max(1, width - column))
        for (index, line) in (wrapped.isEmpty ? [""] : wrapped).enumerated() {
            let head = index == 0 ? String(repeating: " ", count: indent) + pad(label, labelWidth) + " " : String(repeating: " ", count: column)
            lines.append([Span(head, index == 0 ? labelStyle : .plain), Span(line, style)])
        }
    }
}

func pad(_ text: String, _ width: Int) -> String {
    let cut = DisplayWidth.truncate(text, to: width)
    return cut + String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
}

extension CellGrid {
    /// Draws lines of spans into a rectangle from line `offset`; returns the lines drawn.
    @discardableResult
    mutating func draw(_ lines: [[Span]], in rect: Rect, offset: Int = 0) -> Int {
        var drawn = 0
        for row in 0..<rect.height {
            let index = offset + row
            guard index < lines.count else { break }
            var x = rect.x
            for span in lines[index] { x = put(span.text, x: x, y: rect.y + row, style: span.style, limit: rect.maxX) }
            drawn += 1
        }
        return drawn
    }

    /// A pane's frame: a border with the title in it (highlighted when focused); returns the
    /// rectangle inside, less the theme's padding.
    @discardableResult
    mutating func frame(_ rect: Rect, title: String, focused: Bool, theme: Theme, right: String? = nil, rightStyle: Style? = nil) -> Rect {
        guard rect.width >= 4, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let g = theme.glyphs
        let style = focused ? theme.focusBorder : theme.border
        let h = focused ? g.heavyHorizontal : g.horizontal, v = focused ? g.heavyVertical : g.vertical
        put((focused ? g.heavyTopLeft : g.topLeft) + String(repeating: h, count: rect.width - 2) + (focused ? g.heavyTopRight : g.topRight),
            x: rect.x, y: rect.y, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put(v, x: rect.x, y: y, style: style)
            fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1))
            put(v, x: rect.maxX - 1, y: y, style: style)
        }
        put((focused ? g.heavyBottomLeft : g.bottomLeft) + String(repeating: h, count: rect.width - 2) + (focused ? g.heavyBottomRight : g.bottomRight),
            x: rect.x, y: rect.maxY - 1, style: style)
        let label = " \(title) "
        put(DisplayWidth.truncate(label, to: rect.width - 4), x: rect.x + 2, y: rect.y, style: focused ? theme.focusTitle : theme.title, limit: rect.maxX - 2)
        if let right, rect.width > DisplayWidth.of(label) + DisplayWidth.of(right) + 8 {
            let text = " \(right) "
            put(text, x: rect.maxX - 2 - DisplayWidth.of(text), y: rect.y, style: rightStyle ?? style)
        }
        return Rect(x: rect.x + 1 + theme.padding, y: rect.y + 1, width: rect.width - 2 - 2 * theme.padding, height: rect.height - 2)
    }
}
