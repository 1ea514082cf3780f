import Foundation

/// The last frame and what each of its panes was drawn from: `Renderer` redraws a pane only when
/// its inputs differ (dirty regions, a pane at a time). Kept by the app between frames.
public struct RenderMemo {
    var grid: CellGrid
    var layout: Layout
    /// Each pane's `PaneInputs`.
    var inputs: [PaneID: AnyObject]
    var cursors: [PaneID: (x: Int, y: Int)]
    /// A dialog was drawn over the panes.
    var overlay: Bool
}

/// Everything a pane's drawing read at a frame, to compare with the next frame's: the common
/// part and the pane's own `Pane.Inputs`. A field missing from a pane's inputs would leave it
/// stale: `RenderMemoTests` draws sequences of changes both ways and compares.
final class PaneInputs<Inputs: Equatable> {
    let common: CommonInputs
    let inputs: Inputs

    init(_ common: CommonInputs, _ inputs: Inputs) {
        self.common = common
        self.inputs = inputs
    }
}

/// What every pane's drawing reads: where it is, whether it is focused, the theme.
struct CommonInputs: Equatable {
    var rect: Rect
    var focused: Bool
    var focus: PaneID
    var theme: Theme
}
