import Foundation

/// The last frame and what each of its panes was drawn from: `Renderer` redraws a pane only when
/// its inputs differ (dirty regions, a pane at a time). Kept by the app between frames.
public struct RenderMemo {
    var grid: CellGrid
    var layout: Layout
    var inputs: [PaneID: PaneInputs]
    var cursors: [PaneID: (x: Int, y: Int)]
    /// A dialog was drawn over the panes.
    var overlay: Bool
}

/// Everything a pane's drawing reads, as a value to compare with the last frame's. A field
/// missing here would leave a pane stale: `RenderMemoTests` draws sequences of changes both
/// ways and compares.
enum PaneInputs: Equatable {
    struct Common: Equatable {
        var rect: Rect
        var focused: Bool
        var focus: PaneID
        var theme: Theme
    }

    case briefing(Common, BriefingInfo, [ObjectiveRow], hints: Int, clock: Int, late: Int, verifying: Bool,
                  verify: Bool?, verifyAt: Date?, liveAt: Date?, scroll: Int)
    case health(Common, HostHealth, [InstanceHealth], DockerStatus, selection: Int)
    case shell(Common, ShellState, input: Bool, screen: ObjectIdentifier?, generation: UInt64, rows: Int, columns: Int, scrollback: Int)
    case report(Common, ReportForm, Sheet, submission: String?)

    init(_ pane: PaneID, model: ConsoleModel, rect: Rect, focused: Bool, shell: ShellScreen?) {
        let common = Common(rect: rect, focused: focused, focus: model.focus, theme: model.theme)
        switch pane {
        case .briefing:
            let elapsed = model.elapsed, par = model.briefing.par
            self = .briefing(common, model.briefing, model.objectives, hints: model.hintsRevealed, clock: Int(elapsed),
                             late: elapsed > par ? 2 : (elapsed > par * 0.75 ? 1 : 0), verifying: model.verifying,
                             verify: model.lastVerify?.solved, verifyAt: model.lastVerify?.at, liveAt: model.liveAt, scroll: model.briefingScroll)
        case .health:
            self = .health(common, model.host, model.instances, model.docker, selection: model.healthSelection)
        case .shell:
            self = .shell(common, model.shell, input: model.shellInput, screen: shell.map { ObjectIdentifier($0) },
                          generation: shell?.generation ?? 0, rows: shell?.rows ?? 0, columns: shell?.columns ?? 0,
                          scrollback: shell?.scrollbackCount ?? 0)
        case .report:
            self = .report(common, model.form, model.sheet, submission: model.submission[model.sheet])
        }
    }
}
