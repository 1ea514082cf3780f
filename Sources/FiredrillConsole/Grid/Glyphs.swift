/// The characters boxes, bars and graphs are drawn with: Unicode where the terminal speaks
/// UTF-8, ASCII otherwise.
public struct Glyphs: Sendable, Equatable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
    public var heavyHorizontal, heavyVertical, heavyTopLeft, heavyTopRight, heavyBottomLeft, heavyBottomRight: String
    /// From lowest to highest.
    public var bars: [String]
    public var check, cross, pending, bullet, separator, ellipsis: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯",
        heavyHorizontal: "━", heavyVertical: "┃", heavyTopLeft: "┏", heavyTopRight: "┓", heavyBottomLeft: "┗", heavyBottomRight: "┛",
        bars: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        check: "✔", cross: "✘", pending: "…", bullet: "•", separator: "·", ellipsis: "…")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        heavyHorizontal: "=", heavyVertical: "#", heavyTopLeft: "#", heavyTopRight: "#", heavyBottomLeft: "#", heavyBottomRight: "#",
        bars: ["_", ".", "-", "=", "+", "*", "#", "@"],
        check: "x", cross: "!", pending: "?", bullet: "*", separator: "-", ellipsis: "~")
}
