/// A rectangle of the screen, in cells.
public struct Rect: Equatable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle less `by` cells on every side.
    public func inset(_ dx: Int, _ dy: Int) -> Rect { Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy) }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// One character cell. A wide character takes two cells: the first holds it (`width` 2), the
/// second is a continuation (`width` 0, empty text).
public struct Cell: Equatable, Sendable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(_ text: String = " ", width: UInt8 = 1, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
}

/// The off-screen screen: panes draw here, tests read it as text, and the Screen copies it to
/// the terminal (only the cells that changed).
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { (x >= 0 && x < width && y >= 0 && y < height) ? cells[y * width + x] : .blank }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(_ rect: Rect, _ character: String = " ", style: Style = .plain) {
        let clipped = clip(rect)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { cells[y * width + x] = Cell(character, width: 1, style: style) }
        }
    }

    /// Sets the style of every cell of a rectangle, keeping its text.
    public mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
        let clipped = clip(rect)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { transform(&cells[y * width + x].style) }
        }
    }

    public func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Writes text from (x, y), clipped at `limit` (exclusive column; default the grid's width).
    /// Wide characters take two cells and are never split at the limit. Returns the column after.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        let end = min(limit ?? width, width)
        var column = x
        guard y >= 0, y < height else { return column }
        for character in text {
            if character == "\n" { break }
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A combining mark joins the previous cell.
                if column > 0, column - 1 < width, column - 1 >= 0 { cells[y * width + column - 1].text.append(character) }
                continue
            }
            if column + w > end { break }
            if column >= 0 {
                let shown = character == "\t" ? " " : String(character)
                cells[y * width + column] = Cell(shown, width: UInt8(w), style: style)
                if w == 2, column + 1 < width { cells[y * width + column + 1] = Cell("", width: 0, style: style) }
            }
            column += w
        }
        return column
    }

    /// Copies another grid into this one at (x, y).
    public mutating func blit(_ other: CellGrid, x: Int, y: Int) {
        for row in 0..<other.height {
            for column in 0..<other.width { self[x + column, y + row] = other[column, row] }
        }
    }

    /// The grid as text, one line a row, trailing spaces removed: what snapshot tests compare.
    public var text: String {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width {
                let cell = cells[row * width + column]
                if cell.width == 0 { continue }
                line += cell.text.isEmpty ? " " : cell.text
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

/// How many cells a character takes on a terminal: 0 for combining marks, 2 for East Asian wide
/// characters and emoji, else 1. A fixed table, so snapshots do not depend on the locale.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let value = scalar.value
        if value < 0x20 { return character == "\t" ? 1 : 0 }
        if value < 0x7F { return 1 }
        if character.unicodeScalars.count == 1 {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: return 0
            default: break
            }
        }
        if isWide(value) { return 2 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && scalar.properties.isEmoji { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x1F680...0x1F6FF).contains(v) || (0x20000...0x3FFFD).contains(v)
            || (0x2600...0x26FF).contains(v) && Unicode.Scalar(v)?.properties.isEmojiPresentation == true
            || v == 0x231A || v == 0x231B || v == 0x23F0 || v == 0x23F3 || v == 0x2705 || v == 0x274C
    }

    public static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }

    /// The longest prefix of `text` that fits in `width` cells, with an ellipsis when cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        var result = ""
        var used = 0
        let room = width - of(ellipsis)
        for character in text {
            let w = of(character)
            if used + w > room { break }
            result.append(character)
            used += w
        }
        return result + ellipsis
    }

    /// Word-wraps text to lines of at most `width` cells (words longer than a line are cut).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            let indent = String(paragraph.prefix(while: { $0 == " " }))
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                let w = of(word)
                if lineWidth == 0 {
                    line = (lines.isEmpty || !line.isEmpty ? indent : indent)
                    lineWidth = of(line)
                } else if lineWidth + 1 + w <= width {
                    line += " "
                    lineWidth += 1
                } else {
                    lines.append(line)
                    line = indent
                    lineWidth = of(indent)
                }
                while lineWidth + of(word) > width, width - lineWidth > 0 {
                    // A word longer than the line: cut it.
                    var head = ""
                    var used = 0
                    for c in word {
                        if lineWidth + used + of(c) > width { break }
                        head.append(c)
                        used += of(c)
                    }
                    if head.isEmpty { break }
                    lines.append(line + head)
                    word.removeFirst(head.count)
                    line = indent
                    lineWidth = of(indent)
                }
                line += word
                lineWidth += of(word)
            }
            lines.append(line)
        }
        return lines
    }
}
