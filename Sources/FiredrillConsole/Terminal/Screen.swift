import CConsoleSupport
import CNcursesw
import Foundation

/// How many colours the screen uses.
public enum ColorMode: String, Sendable {
    case full = "256", ansi16 = "16", ansi8 = "8", none

    /// NO_COLOR (any non-empty value) wins; then what the terminal says it has.
    static func detect(environment: [String: String], colors: Int, hasColors: Bool) -> ColorMode {
        if let value = environment["NO_COLOR"], !value.isEmpty { return .none }
        guard hasColors else { return .none }
        if colors >= 256 { return .full }
        if colors >= 16 { return .ansi16 }
        return colors >= 8 ? .ansi8 : .none
    }
}

/// Something the terminal said: a key, a resize, a mouse event.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case resize
    case click(x: Int, y: Int)
    case wheel(x: Int, y: Int, up: Bool)
}

public enum ScreenError: Error, CustomStringConvertible {
    case notATerminal
    case cannotStart(String)

    public var description: String {
        switch self {
        case .notATerminal: return "the console needs a terminal: run 'firedrill play' in one (or 'firedrill start' to play without it)"
        case let .cannotStart(detail): return "cannot start the screen: \(detail)"
        }
    }
}

/// The one owner of ncurses: starts it (wide characters, raw keys, mouse, colours), copies grids
/// to the terminal (only the cells that changed), reads keys, and restores the terminal on every
/// way out: `end()`, deinit, and the fatal-signal handlers of the C shim.
public final class Screen {
    public private(set) var colorMode: ColorMode = .none
    public private(set) var unicode = true
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: CellGrid?
    private var pairs: [Int: Int32] = [:]
    private var nextPair: Int32 = 1
    private var ended = true

    public init() {}

    /// Starts curses. `wakeFD` is written by the signal handlers to wake the loop.
    public func begin(wakeFD: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw ScreenError.notATerminal }
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        unicode = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        // ncurses waits this long after Esc for the rest of a sequence.
        setenv("ESCDELAY", "25", 0)
        fd_install_signal_handlers(0, wakeFD)
        guard let screen = initscr() else { throw ScreenError.cannotStart("initscr failed (TERM=\(environment["TERM"] ?? "unset"))") }
        window = screen
        ended = false
        raw()
        noecho()
        nonl()
        keypad(screen, true)
        nodelay(screen, true)
        meta(screen, true)
        set_escdelay(25)
        curs_set(0)
        mousemask(fd_all_mouse_events(), nil)
        mouseinterval(0)
        // COLORS is only set by start_color: read before it, it is 0 and every terminal is mono.
        if has_colors(), ColorMode.detect(environment: environment, colors: 256, hasColors: true) != .none {
            start_color()
            use_default_colors()
        }
        colorMode = ColorMode.detect(environment: environment, colors: Int(has_colors() ? fd_colors() : 0), hasColors: has_colors())
    }

    public var size: (width: Int, height: Int) {
        guard let window else { return (0, 0) }
        return (Int(fd_getmaxx(window)), Int(fd_getmaxy(window)))
    }

    /// Restores the terminal: curses off, the saved settings back. Safe to call twice.
    public func end() {
        guard !ended else { return }
        ended = true
        mousemask(0, nil)
        curs_set(1)
        endwin()
        fd_restore_terminal()
    }

    deinit { end() }

    /// Forgets what is on screen, so the next present redraws everything (Ctrl-L, resize).
    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    // MARK: - Drawing

    private func colorNumber(_ color: TermColor) -> Int32 {
        guard case let .index(value) = color else { return -1 }
        switch colorMode {
        case .full: return Int32(value)
        case .ansi16:
            guard case let .index(mapped) = color.ansi16 else { return -1 }
            return Int32(mapped)
        case .ansi8:
            guard case let .index(mapped) = color.ansi16 else { return -1 }
            return Int32(mapped & 7)
        case .none: return -1
        }
    }

    private func pair(_ style: Style) -> Int32 {
        guard colorMode != .none else { return 0 }
        let fg = colorNumber(style.fg), bg = colorNumber(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        let key = Int(fg + 1) << 16 | Int(bg + 1)
        if let known = pairs[key] { return known }
        guard nextPair < fd_color_pairs() else { return 0 }
        let number = nextPair
        nextPair += 1
        fd_init_pair(number, fg, bg)
        pairs[key] = number
        return number
    }

    private func attributes(_ style: Style) -> attr_t {
        var attrs = fd_a_normal()
        var bold = style.bold
        if colorMode == .ansi8, case let .index(value) = style.fg, (8..<16).contains(value) || value >= 16 && style.fg.ansi16 != style.fg { bold = true }
        if bold { attrs |= fd_a_bold() }
        if style.dim { attrs |= fd_a_dim() }
        if style.underline { attrs |= fd_a_underline() }
        if style.italic { attrs |= fd_a_italic() }
        var reverse = style.reverse
        // Without colour, a coloured background still has to stand out.
        if colorMode == .none, case .index = style.bg { reverse.toggle() }
        if reverse { attrs |= fd_a_reverse() }
        return attrs
    }

    /// Copies a frame to the terminal: only cells that differ from the last frame.
    public func present(_ grid: CellGrid, cursor: (x: Int, y: Int)?) {
        guard let window else { return }
        let full = previous == nil || previous!.width != grid.width || previous!.height != grid.height
        if full { werase(window) }
        var buffer = [wchar_t](repeating: 0, count: 8)
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if !full, previous![x, y] == cell { continue }
                if cell.width == 0 { continue }
                // The bottom-right cell: writing it would scroll; ncurses handles it with insch.
                var count = 0
                for scalar in (cell.text.isEmpty ? " " : (unicode || cell.text.allSatisfy(\.isASCII) ? cell.text : "?")).unicodeScalars.prefix(5) {
                    buffer[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                buffer[count] = 0
                _ = buffer.withUnsafeBufferPointer { fd_put_cell(window, Int32(y), Int32(x), $0.baseAddress, attributes(cell.style), pair(cell.style)) }
            }
        }
        previous = grid
        if let cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    // MARK: - Input

    /// Every event waiting (none when nothing was typed).
    public func read() -> [InputEvent] {
        guard let window else { return [] }
        var events: [InputEvent] = []
        var ch: UInt32 = 0
        while true {
            let result = fd_get_wch(window, &ch)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let event = decodeKeyCode(Int32(ch)) { events.append(event) }
            } else {
                events.append(.key(Self.decodeCharacter(ch)))
            }
        }
        return events
    }

    static func decodeCharacter(_ ch: UInt32) -> Key {
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl("@")
        case 1...26: return .ctrl(Character(Unicode.Scalar(ch + 96)!))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        default: return .char(Character(Unicode.Scalar(ch) ?? "?"))
        }
    }

    private func decodeKeyCode(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            if event.bstate & fd_button4_pressed() != 0 { return .wheel(x: Int(event.x), y: Int(event.y), up: true) }
            if event.bstate & fd_button5_pressed() != 0 { return .wheel(x: Int(event.x), y: Int(event.y), up: false) }
            if event.bstate & (fd_button1_pressed() | fd_button1_clicked()) != 0 { return .click(x: Int(event.x), y: Int(event.y)) }
            return nil
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_IC: return .key(.insert)
        case KEY_DC: return .key(.delete)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_SR: return .key(.shiftUp)
        case KEY_SF: return .key(.shiftDown)
        case KEY_SPREVIOUS: return .key(.shiftPageUp)
        case KEY_SNEXT: return .key(.shiftPageDown)
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }
}
