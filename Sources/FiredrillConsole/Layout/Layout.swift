/// Where everything goes on a screen of a given size. Pure: computed from the size, the focus,
/// the zoom and the theme, so every layout is tested without a terminal.
public struct Layout: Equatable, Sendable {
    public enum Mode: String, Equatable, Sendable {
        /// All four panes (160x45 and above).
        case quad
        /// Two panes side by side: the projector's large layout.
        case split
        /// One pane at a time under a tab bar (down to 80x24), or one zoomed pane.
        case tabbed
        /// Below the minimum: a message asking for a larger terminal.
        case tooSmall
    }

    public static let minimum = (width: 80, height: 24)
    public static let full = (width: 160, height: 45)

    public var mode: Mode
    public var size: (width: Int, height: Int)
    /// The panes on screen, in drawing order, with their rectangles (borders included).
    public var panes: [(id: PaneID, rect: Rect)]
    public var tabBar: Rect?
    public var statusBar: Rect
    public var zoomed: Bool

    public static func == (a: Layout, b: Layout) -> Bool {
        a.mode == b.mode && a.size == b.size && a.tabBar == b.tabBar && a.statusBar == b.statusBar && a.zoomed == b.zoomed
            && a.panes.map(\.id) == b.panes.map(\.id) && a.panes.map(\.rect) == b.panes.map(\.rect)
    }

    public func rect(of pane: PaneID) -> Rect? { panes.first { $0.id == pane }?.rect }
    public func pane(at x: Int, _ y: Int) -> PaneID? { panes.first { $0.rect.contains(x: x, y: y) }?.id }

    public static func compute(width: Int, height: Int, focus: PaneID, zoomed: Bool, theme: Theme, partner: PaneID = .shell) -> Layout {
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        if width < minimum.width || height < minimum.height {
            return Layout(mode: .tooSmall, size: (width, height), panes: [], tabBar: nil, statusBar: status, zoomed: false)
        }
        let body = Rect(x: 0, y: 0, width: width, height: height - 1)
        let large = width >= full.width && height >= full.height
        if zoomed || !large {
            let tabs = Rect(x: 0, y: 0, width: width, height: 1)
            let pane = Rect(x: 0, y: 1, width: width, height: body.height - 1)
            return Layout(mode: .tabbed, size: (width, height), panes: [(focus, pane)], tabBar: tabs, statusBar: status, zoomed: zoomed)
        }
        if theme.maxPanes < 4 {
            // Briefing on the left, the focused pane (or the last one focused) on the right.
            let other = focus == .briefing ? partner : focus
            let left = body.width * 2 / 5
            return Layout(mode: .split, size: (width, height), panes: [
                (.briefing, Rect(x: 0, y: 0, width: left, height: body.height)),
                (other, Rect(x: left, y: 0, width: body.width - left, height: body.height)),
            ], tabBar: nil, statusBar: status, zoomed: false)
        }
        // Briefing above Health on the left; Shell above Report on the right (the shell gets 100+
        // columns at 160, room for top and vi).
        let left = min(max(56, body.width * 3 / 8), body.width - 102)
        let briefingHeight = body.height * 11 / 20
        let shellHeight = body.height * 3 / 5
        return Layout(mode: .quad, size: (width, height), panes: [
            (.briefing, Rect(x: 0, y: 0, width: left, height: briefingHeight)),
            (.health, Rect(x: 0, y: briefingHeight, width: left, height: body.height - briefingHeight)),
            (.shell, Rect(x: left, y: 0, width: body.width - left, height: shellHeight)),
            (.report, Rect(x: left, y: shellHeight, width: body.width - left, height: body.height - shellHeight)),
        ], tabBar: nil, statusBar: status, zoomed: false)
    }
}
