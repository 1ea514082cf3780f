/// One pane of the console, all in its own file: its id and title, the keys it takes when
/// focused, how it scrolls, what its drawing reads (compared with the last frame's, so an
/// unchanged pane is not drawn again) and the drawing. `Panes.all` lists them.
protocol Pane: SendableMetatype {
    associatedtype Inputs: Equatable
    static var id: PaneID { get }
    /// The key contexts of the pane, the one in force when focused first (help lists them so).
    static var contexts: [KeyContext] { get }
    /// The contexts in force when it is focused, most specific first.
    static func keyContexts(_ model: ConsoleModel) -> [KeyContext]
    /// The keys bound in the pane's contexts.
    static var bindings: [Binding] { get }
    /// What focusing it with its number does, for the help.
    static var focusHelp: String { get }
    /// Moves through the pane by `delta` lines (negative: up).
    static func scroll(_ model: inout ConsoleModel, by delta: Int)
    /// Everything `draw` reads besides its rectangle, whether it is focused and the theme.
    static func inputs(_ model: ConsoleModel, shell: ShellScreen?) -> Inputs
    /// Draws the pane in `rect` (borders included); returns where the cursor goes, if shown.
    static func draw(_ model: ConsoleModel, shell: ShellScreen?, into grid: inout CellGrid, rect: Rect, focused: Bool) -> (x: Int, y: Int)?
}

extension Pane {
    static var focusHelp: String { "focus \(id.title)" }
    static func keyContexts(_ model: ConsoleModel) -> [KeyContext] { [contexts[0], .global] }
}

/// The panes in order: their numbers, the tab bar, Tab's cycle, the help.
enum Panes {
    static let all: [any Pane.Type] = [BriefingPane.self, HealthPane.self, ShellPane.self, ReportPane.self]

    static func pane(_ id: PaneID) -> any Pane.Type {
        all.first { $0.id == id }!
    }
}

/// A pane's id: its name and title. Each pane declares its own (`PaneID.briefing`…).
public struct PaneID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public let title: String

    init(_ rawValue: String, title: String) {
        self.rawValue = rawValue
        self.title = title
    }

    public var description: String { rawValue }

    /// Every pane, in order.
    public static var allCases: [PaneID] { Panes.all.map { $0.id } }
    public var number: Int { Panes.all.firstIndex { $0.id == self }! + 1 }
}
