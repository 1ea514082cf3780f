/// What a key does in the console.
public enum Action: Hashable, Sendable {
    case quit, help, closeOverlay, redraw
    case nextPane, previousPane, focus(PaneID), zoom
    case verify, checkNow, revealHint
    case up, down, pageUp, pageDown, top, bottom, left, right
    /// Shell pane: give the keys to the shell; choose its target; take the keys back.
    case enterShell, pickShellTarget, leaveShell
    /// Report pane: edit the selected field; stop editing; next/previous field while editing.
    case editField, stopEditing, nextField, previousField
    /// Report pane: the report or the postmortem; submit it; fill what the run knows; the score.
    case switchSheet, submit, fillFromRun, showScore
    case confirm, cancel
    /// The class dashboard: sort its rows; open the selected run; review its postmortem.
    case sortByStage, sortByTime, sortByName, openRun, reviewRun, approve, sendBack
}

/// Where a binding applies: everywhere, a dialog, or a pane's own (declared with the pane).
public struct KeyContext: Hashable, Sendable {
    public let rawValue: String
    /// The heading of its keys in the help.
    public let title: String

    init(_ rawValue: String, title: String) {
        self.rawValue = rawValue
        self.title = title
    }

    public static let global = KeyContext("global", title: "Everywhere")
    public static let overlay = KeyContext("overlay", title: "Dialogs")
}

/// One key binding: data, so the help overlay and the status bar are generated from it.
public struct Binding: Sendable, Equatable {
    public var keys: [Key]
    public var action: Action
    public var context: KeyContext
    public var description: String
    /// Shown in the status bar (short label) when its context is active.
    public var status: String?
    /// Changes the run (restarts instances): asks nothing, but is marked in the help.
    public var disruptive: Bool

    public init(_ keys: [Key], _ action: Action, _ context: KeyContext, _ description: String, status: String? = nil, disruptive: Bool = false) {
        self.keys = keys
        self.action = action
        self.context = context
        self.description = description
        self.status = status
        self.disruptive = disruptive
    }

    public var label: String { keys.map(\.label).joined(separator: "/") }
}

/// Every binding of the console.
public enum KeyMap {
    /// The key that takes the keys back from the embedded shell (as telnet's escape).
    public static let shellEscape = Key.ctrl("]")

    /// The console's keys, then each pane's (`Pane.bindings`), then the dialogs'.
    public static let bindings: [Binding] = [
        Binding([.tab], .nextPane, .global, "focus the next pane", status: "pane"),
        Binding([.backTab], .previousPane, .global, "focus the previous pane"),
    ] + Panes.all.enumerated().map { index, pane in
        Binding([.char(Character("\(index + 1)"))], .focus(pane.id), .global, pane.focusHelp)
    } + [
        Binding([.char("z")], .zoom, .global, "zoom the focused pane (again to unzoom)", status: "zoom"),
        Binding([.char("v")], .verify, .global, "verify: every check, the disruptive ones too", status: "verify", disruptive: true),
        Binding([.char("c")], .checkNow, .global, "check the objectives now"),
        Binding([.char("?"), .function(1)], .help, .global, "this help", status: "help"),
        Binding([.ctrl("l")], .redraw, .global, "redraw the screen"),
        Binding([.char("q")], .quit, .global, "quit (asks whether to stop the run)", status: "quit"),
        Binding([.char("k"), .up], .up, .global, "scroll or select up"),
        Binding([.char("j"), .down], .down, .global, "scroll or select down"),
        Binding([.pageUp, .ctrl("b")], .pageUp, .global, "page up"),
        Binding([.pageDown, .ctrl("f")], .pageDown, .global, "page down"),
        Binding([.char("g"), .home], .top, .global, "to the top"),
        Binding([.char("G"), .end], .bottom, .global, "to the bottom"),
    ] + Panes.all.flatMap { $0.bindings } + [
        Binding([.enter, .char("y")], .confirm, .overlay, "yes / choose"),
        Binding([.escape, .char("n")], .cancel, .overlay, "no / close"),
    ]

    /// The action of a key in the first of `contexts` that binds it.
    public static func action(for key: Key, in contexts: [KeyContext]) -> Action? {
        for context in contexts {
            if let binding = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return binding.action }
        }
        return nil
    }

    public static func bindings(in context: KeyContext) -> [Binding] { bindings.filter { $0.context == context } }
}
