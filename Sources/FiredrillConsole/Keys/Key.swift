/// A key as the console sees it, decoded from the terminal by the Screen.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl with a letter or one of @[\]^_ (the letter in lower case).
    case ctrl(Character)
    case up, down, left, right, home, end, pageUp, pageDown, insert, delete
    case enter, tab, backTab, backspace, escape
    case function(Int)
    /// Shift with an arrow or page key.
    case shiftUp, shiftDown, shiftPageUp, shiftPageDown

    /// How the help overlay and the status bar name the key.
    public var label: String {
        switch self {
        case let .char(c): return c == " " ? "Space" : String(c)
        case let .ctrl(c): return "Ctrl-\(String(c).uppercased())"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "BkSp"
        case .escape: return "Esc"
        case let .function(n): return "F\(n)"
        case .shiftUp: return "S-↑"
        case .shiftDown: return "S-↓"
        case .shiftPageUp: return "S-PgUp"
        case .shiftPageDown: return "S-PgDn"
        }
    }
}
