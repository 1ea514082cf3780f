/// What the Shell pane draws from: the emulator's screen and scrollback. The real one is
/// libvterm's (`TerminalSession`); tests use a fixed text screen.
public protocol ShellScreen: AnyObject {
    var rows: Int { get }
    var columns: Int { get }
    var scrollbackCount: Int { get }
    /// Rows below 0 are scrollback (-1 the newest line).
    func cell(row: Int, column: Int) -> Cell
    var cursor: (row: Int, column: Int, visible: Bool) { get }
    /// Changes whenever the screen, the cursor or the scrollback may have changed: a pane drawn
    /// at the same generation is drawn the same.
    var generation: UInt64 { get }
}

/// A fixed screen of text: for tests and for messages.
public final class TextShellScreen: ShellScreen {
    public var lines: [String] { didSet { generation += 1 } }
    public var rows: Int { didSet { generation += 1 } }
    public var columns: Int { didSet { generation += 1 } }
    public var cursor: (row: Int, column: Int, visible: Bool) { didSet { generation += 1 } }
    public private(set) var generation: UInt64 = 0
    public var scrollbackCount: Int { 0 }

    public init(lines: [String], rows: Int, columns: Int, cursor: (Int, Int) = (0, 0)) {
        self.lines = lines
        self.rows = rows
        self.columns = columns
        self.cursor = (cursor.0, cursor.1, true)
    }

    public func cell(row: Int, column: Int) -> Cell {
        guard row >= 0, row < lines.count else { return .blank }
        let chars = Array(lines[row])
        return column < chars.count ? Cell(String(chars[column])) : .blank
    }
}

extension PaneID {
    public static let shell = PaneID("shell", title: "Shell")
}

extension KeyContext {
    public static let shell = KeyContext("shell", title: "Shell (console keys)")
    /// The shell has the keys: everything goes to it but these.
    public static let shellInput = KeyContext("shellInput", title: "Shell (typing in the shell)")
}

/// The Shell pane: the embedded terminal, its target and state.
enum ShellPane: Pane {
    static let id = PaneID.shell
    static let contexts: [KeyContext] = [.shell, .shellInput]
    static let bindings = [
        Binding([.enter, .char("i")], .enterShell, .shell, "type in the shell", status: "type"),
        Binding([.char("t")], .pickShellTarget, .shell, "open the shell on another instance or the workspace", status: "target"),

        Binding([KeyMap.shellEscape], .leaveShell, .shellInput, "back to the console keys", status: "console keys"),
        Binding([.shiftPageUp], .pageUp, .shellInput, "scroll back"),
        Binding([.shiftPageDown], .pageDown, .shellInput, "scroll forward"),
    ]
    static let focusHelp = "focus Shell (the keys go to the shell)"

    /// Typing in the shell: only its own keys are the console's.
    static func keyContexts(_ model: ConsoleModel) -> [KeyContext] { model.shellInput ? [.shellInput] : [.shell, .global] }

    /// Scrolls back through the terminal's history.
    static func scroll(_ model: inout ConsoleModel, by delta: Int) {
        model.shell.scrollBack = max(0, model.shell.scrollBack - delta)
    }

    struct Inputs: Equatable {
        var state: ShellState
        var input: Bool
        var screen: ObjectIdentifier?
        var generation: UInt64, rows: Int, columns: Int, scrollback: Int
    }

    static func inputs(_ model: ConsoleModel, shell: ShellScreen?) -> Inputs {
        Inputs(state: model.shell, input: model.shellInput, screen: shell.map { ObjectIdentifier($0) }, generation: shell?.generation ?? 0,
               rows: shell?.rows ?? 0, columns: shell?.columns ?? 0, scrollback: shell?.scrollbackCount ?? 0)
    }

    static func title(_ model: ConsoleModel) -> String {
        if model.readOnly { return "\(PaneID.shell.number) Timeline · watching \(model.runID)" }
        let target = model.shell.target == "workspace" ? "workspace (host)" : model.shell.target
        return "\(PaneID.shell.number) Shell · \(target)"
    }

    static func draw(_ model: ConsoleModel, shell screen: ShellScreen?, into grid: inout CellGrid, rect: Rect, focused: Bool) -> (x: Int, y: Int)? {
        let theme = model.theme
        let state: String
        switch model.shell.status {
        case .running where model.readOnly: state = "read-only"
        case .running: state = model.shellInput && focused ? "typing · Ctrl-] console keys" : (focused ? "Enter to type" : "")
        case .notStarted: state = ""
        case let .exited(code): state = "exited \(code)"
        case .failed: state = "failed"
        }
        // The terminal gets the whole inside of the border: no padding, full-screen programs need it.
        var flat = theme
        flat.padding = 0
        let inner = grid.frame(rect, title: title(model), focused: focused, theme: flat, right: state.isEmpty ? nil : state,
                               rightStyle: model.shellInput && focused ? theme.ok : theme.muted)
        guard !inner.isEmpty else { return nil }
        guard let screen, model.shell.status != .notStarted else {
            var block = TextBlock(width: inner.width - 2)
            block.blank()
            if case let .failed(detail) = model.shell.status {
                block.text("The shell could not start: \(detail)", theme.bad)
                block.blank()
            }
            block.text("Press 3 or Enter here to open a shell on \(model.shell.target == "workspace" ? "the run's workspace on the host" : model.shell.target); t chooses an instance.", theme.muted)
            block.text("Inside it every key goes to the shell; Ctrl-] gives the keys back to the console.", theme.muted)
            grid.draw(block.lines, in: inner.inset(1, 0))
            return nil
        }
        let scroll = min(model.shell.scrollBack, screen.scrollbackCount)
        for row in 0..<min(inner.height, screen.rows) {
            let source = row - scroll
            var column = 0
            while column < min(inner.width, screen.columns) {
                var cell = screen.cell(row: source, column: column)
                if cell.width == 2, column + 1 >= inner.width { cell = Cell(" ") }
                grid[inner.x + column, inner.y + row] = cell
                if cell.width == 2 { grid[inner.x + column + 1, inner.y + row] = Cell("", width: 0, style: cell.style) }
                column += cell.width == 2 ? 2 : 1
            }
        }
        if scroll > 0 {
            let mark = " scrolled back \(scroll) of \(screen.scrollbackCount) lines · j/PgDn forward "
            grid.put(mark, x: max(inner.x, inner.maxX - DisplayWidth.of(mark)), y: inner.y, style: theme.warn.with(reverse: true))
        }
        if case let .exited(code) = model.shell.status {
            let text = " the shell exited (\(code)) · Enter opens a new one · t another target "
            grid.put(text, x: inner.x, y: inner.maxY - 1, style: theme.warn.with(reverse: true), limit: inner.maxX)
        }
        let cursor = screen.cursor
        guard focused, model.shellInput, scroll == 0, model.shell.status == .running, cursor.visible,
              cursor.row < inner.height, cursor.column < inner.width else { return nil }
        return (inner.x + cursor.column, inner.y + cursor.row)
    }
}
