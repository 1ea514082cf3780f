/// A colour as the console means it: the terminal's default, or one of the 256 indexed colours
/// (0-15 are the ANSI colours every colour terminal has). The screen maps it down to 16, 8 or no
/// colours when the terminal or the user (NO_COLOR) asks for fewer.
public enum TermColor: Hashable, Sendable {
    case `default`
    case index(UInt8)

    public static let black = TermColor.index(0), red = TermColor.index(1), green = TermColor.index(2)
    public static let yellow = TermColor.index(3), blue = TermColor.index(4), magenta = TermColor.index(5)
    public static let cyan = TermColor.index(6), white = TermColor.index(7), grey = TermColor.index(8)
    public static let brightRed = TermColor.index(9), brightGreen = TermColor.index(10), brightYellow = TermColor.index(11)
    public static let brightBlue = TermColor.index(12), brightCyan = TermColor.index(14), brightWhite = TermColor.index(15)

    /// The nearest of the 16 ANSI colours, for terminals with fewer than 256.
    public var ansi16: TermColor {
        guard case let .index(value) = self, value >= 16 else { return self }
        if value >= 232 { // the grey ramp
            let level = Int(value) - 232
            return level < 6 ? .black : (level < 14 ? .grey : (level < 20 ? .white : .brightWhite))
        }
        let cube = Int(value) - 16
        let r = cube / 36, g = (cube / 6) % 6, b = cube % 6
        let bright = max(r, g, b) >= 4
        let bits = (r >= 2 ? 1 : 0) | (g >= 2 ? 2 : 0) | (b >= 2 ? 4 : 0)
        if bits == 0 { return max(r, g, b) >= 1 ? .grey : .black }
        return .index(UInt8(bits + (bright ? 8 : 0)))
    }
}

/// How a cell looks: colours and attributes.
public struct Style: Hashable, Sendable {
    public var fg: TermColor = .default
    public var bg: TermColor = .default
    public var bold = false
    public var dim = false
    public var underline = false
    public var reverse = false
    public var italic = false

    public init(fg: TermColor = .default, bg: TermColor = .default, bold: Bool = false, dim: Bool = false,
                underline: Bool = false, reverse: Bool = false, italic: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
        self.italic = italic
    }

    public static let plain = Style()

    public func with(bold: Bool? = nil, reverse: Bool? = nil, fg: TermColor? = nil, bg: TermColor? = nil) -> Style {
        var copy = self
        if let bold { copy.bold = bold }
        if let reverse { copy.reverse = reverse }
        if let fg { copy.fg = fg }
        if let bg { copy.bg = bg }
        return copy
    }
}
