/// Draws the whole screen from the model into a grid: the panes of the layout, the tab bar, the
/// status bar and any dialog. Pure: the same model and size give the same grid.
public enum Renderer {
    public struct Frame {
        public var grid: CellGrid
        public var layout: Layout
        /// Where the terminal's cursor goes (the shell's cursor, or the edited field's), if shown.
        public var cursor: (x: Int, y: Int)?
    }

    public static func render(_ model: ConsoleModel, width: Int, height: Int, shell: ShellScreen?) -> Frame {
        var memo: RenderMemo?
        return render(model, width: width, height: height, shell: shell, memo: &memo)
    }

    /// Draws the screen over the last frame (`memo`): a pane whose inputs have not changed since
    /// is left as it was, so an idle second redraws the clock and the figures, not the shell's
    /// screen, the report or the briefing's text. The result is the same as drawing from scratch.
    public static func render(_ model: ConsoleModel, width: Int, height: Int, shell: ShellScreen?, memo: inout RenderMemo?) -> Frame {
        let layout = Layout.compute(width: width, height: height, focus: model.focus, zoomed: model.zoomed, theme: model.theme, partner: model.partner)
        // Dialogs are drawn over the panes: the frame under one, and the frame after, start afresh.
        let reuse = memo.flatMap { $0.layout == layout && !$0.overlay && model.overlay == nil ? $0 : nil }
        var grid = reuse?.grid ?? CellGrid(width: width, height: height)
        if layout.mode == .tooSmall {
            drawTooSmall(model, into: &grid)
            memo = nil
            return Frame(grid: grid, layout: layout, cursor: nil)
        }
        var inputs: [PaneID: AnyObject] = [:]
        var cursors: [PaneID: (x: Int, y: Int)] = [:]
        var cursor: (x: Int, y: Int)?
        for (pane, rect) in layout.panes {
            let common = CommonInputs(rect: rect, focused: pane == model.focus, focus: model.focus, theme: model.theme)
            let drawn = draw(Panes.pane(pane), model, shell: shell, common: common, into: &grid, over: reuse)
            inputs[pane] = drawn.inputs
            if let position = drawn.cursor {
                cursors[pane] = position
                cursor = position
            }
        }
        if let tabs = layout.tabBar { drawTabs(model, into: &grid, rect: tabs) }
        drawStatus(model, into: &grid, rect: layout.statusBar)
        switch model.overlay {
        case .help?:
            drawHelp(model, into: &grid)
            cursor = nil
        case .confirmQuit?:
            drawConfirmQuit(model, into: &grid)
            cursor = nil
        case let .shellTarget(selection)?:
            drawShellTargets(model, selection: selection, into: &grid)
            cursor = nil
        case .score?:
            drawNotice(model, title: "Score · \(model.briefing.levelID)", lines: model.scoreLines + ["", "Rules: docs/scoring.md. Any key closes this."], into: &grid)
            cursor = nil
        case let .notice(title, lines)?:
            drawNotice(model, title: title, lines: lines + ["", "Any key closes this."], into: &grid)
            cursor = nil
        case nil: break
        }
        memo = RenderMemo(grid: grid, layout: layout, inputs: inputs, cursors: cursors, overlay: model.overlay != nil)
        return Frame(grid: grid, layout: layout, cursor: cursor)
    }

    /// The tabs on the tab bar, " N Title " and a space each, from its second column: where
    /// each is drawn and clicked.
    public static func tabs(in rect: Rect) -> [(pane: PaneID, label: String, columns: Range<Int>)] {
        var x = rect.x + 1
        return Panes.all.map { pane in
            let label = " \(pane.id.number) \(pane.id.title) "
            let start = x
            x += DisplayWidth.of(label) + 1
            return (pane.id, label, start..<x)
        }
    }

    /// Draws a pane unless what it reads is what it read in the last frame (`memo`), where it is
    /// left as it was. Returns what it read and where its cursor is.
    static func draw<P: Pane>(_ pane: P.Type, _ model: ConsoleModel, shell: ShellScreen?, common: CommonInputs,
                              into grid: inout CellGrid, over memo: RenderMemo?) -> (inputs: AnyObject, cursor: (x: Int, y: Int)?) {
        let own = P.inputs(model, shell: shell)
        if let memo, let last = memo.inputs[P.id] as? PaneInputs<P.Inputs>, last.common == common, last.inputs == own {
            return (last, memo.cursors[P.id])
        }
        let cursor = P.draw(model, shell: shell, into: &grid, rect: common.rect, focused: common.focused)
        return (PaneInputs(common, own), cursor)
    }

    static func drawTabs(_ model: ConsoleModel, into grid: inout CellGrid, rect: Rect) {
        let theme = model.theme
        grid.fill(rect, style: theme.statusBar)
        var x = rect.x + 1
        for tab in tabs(in: rect) {
            let active = tab.pane == model.focus
            x = grid.put(tab.label, x: tab.columns.lowerBound, y: rect.y, style: active ? theme.focusTitle : theme.statusBar, limit: rect.maxX)
            x = grid.put(" ", x: x, y: rect.y, style: theme.statusBar, limit: rect.maxX)
        }
        let hint = model.zoomed ? "zoomed · z for all panes " : (rect.width >= Layout.full.width ? "" : "all panes from \(Layout.full.width)x\(Layout.full.height) ")
        if x + DisplayWidth.of(hint) < rect.maxX {
            grid.put(hint, x: rect.maxX - DisplayWidth.of(hint), y: rect.y, style: theme.statusBar.with(fg: .index(245)))
        }
    }

    /// Level, timer, state, Docker, then the keys of the focused context.
    static func drawStatus(_ model: ConsoleModel, into grid: inout CellGrid, rect: Rect) {
        let theme = model.theme
        let g = theme.glyphs
        grid.fill(rect, style: theme.statusBar)
        var x = rect.x
        if let message = model.message, message.until > model.now {
            x = grid.put(" \(message.text) ", x: x, y: rect.y, style: message.bad ? theme.bad.with(reverse: true) : theme.statusKey, limit: rect.maxX)
        } else {
            x = grid.put(" \(model.briefing.levelID) ", x: x, y: rect.y, style: theme.statusBar.with(bold: true), limit: rect.maxX)
            let over = model.elapsed > model.briefing.par
            x = grid.put("\(formatClock(model.elapsed))/\(formatClock(model.briefing.par)) ", x: x, y: rect.y,
                         style: over ? theme.statusBar.with(fg: .brightRed) : theme.statusBar, limit: rect.maxX)
            let state = model.verifying ? "verifying" : model.stage
            let stateStyle = model.runState == .mitigated ? theme.statusBar.with(bold: true, fg: .brightGreen) : theme.statusBar
            x = grid.put("\(g.separator) \(state) ", x: x, y: rect.y, style: stateStyle, limit: rect.maxX)
            let docker: (String, Style) = {
                switch model.docker {
                case .reachable: return ("\(g.separator) docker \(g.check) ", theme.statusBar)
                case .unreachable: return ("\(g.separator) DOCKER DOWN ", theme.statusBar.with(bold: true, fg: .brightRed))
                case .unknown: return ("\(g.separator) docker … ", theme.statusBar)
                }
            }()
            x = grid.put(docker.0, x: x, y: rect.y, style: docker.1, limit: rect.maxX)
            if let classStatus = model.classStatus {
                x = grid.put("\(g.separator) \(classStatus) ", x: x, y: rect.y, style: theme.statusBar.with(bold: true, fg: .brightYellow), limit: rect.maxX)
            }
            if let next = model.next?.status {
                x = grid.put("\(g.separator) \(next) ", x: x, y: rect.y, style: theme.statusBar.with(fg: .brightCyan), limit: rect.maxX)
            }
        }
        // The keys, from the key map, right-aligned; as many as fit.
        var keys: [(String, String)] = []
        for context in model.contexts {
            for binding in KeyMap.bindings(in: context) {
                guard let status = binding.status, !keys.contains(where: { $0.1 == status }) else { continue }
                keys.append((binding.keys[0].label, status))
            }
        }
        var pieces: [[Span]] = keys.map { [Span(" \($0.0)", theme.statusKey), Span(" \($0.1)", theme.statusBar)] }
        var total = pieces.reduce(0) { $0 + $1.reduce(0) { $0 + DisplayWidth.of($1.text) } } + 1
        while total > rect.maxX - x - 1, !pieces.isEmpty {
            let removed = pieces.removeLast()
            total -= removed.reduce(0) { $0 + DisplayWidth.of($1.text) }
        }
        var kx = rect.maxX - total
        for piece in pieces { for span in piece { kx = grid.put(span.text, x: kx, y: rect.y, style: span.style, limit: rect.maxX) } }
    }

    static func centeredBox(_ grid: inout CellGrid, width: Int, height: Int, title: String, theme: Theme) -> Rect {
        let w = min(width, grid.width - 2), h = min(height, grid.height - 2)
        let rect = Rect(x: (grid.width - w) / 2, y: max(0, (grid.height - 1 - h) / 2), width: w, height: h)
        grid.fill(rect, style: theme.overlay)
        var boxTheme = theme
        boxTheme.focusBorder = theme.focusBorder.with(bg: theme.overlay.bg)
        let inner = grid.frame(rect, title: title, focused: true, theme: boxTheme)
        grid.restyle(inner) { $0.bg = theme.overlay.bg }
        return inner
    }

    static func drawHelp(_ model: ConsoleModel, into grid: inout CellGrid) {
        let theme = model.theme
        var lines: [[Span]] = []
        let order: [KeyContext] = [.global] + Panes.all.flatMap { $0.contexts } + [.overlay]
        for context in order {
            let bindings = KeyMap.bindings(in: context)
            guard !bindings.isEmpty else { continue }
            lines.append([Span(context.title, theme.heading.with(bg: theme.overlay.bg))])
            for binding in bindings {
                lines.append([Span("  " + pad(binding.label, 14), theme.key.with(bg: theme.overlay.bg)),
                              Span(binding.description + (binding.disruptive ? " (restarts instances)" : ""), theme.overlay)])
            }
        }
        lines.append([Span("Mouse: click a pane to focus it; the wheel scrolls. Any key closes this help.", theme.overlay.with(fg: .index(250)))])
        // Two columns when the screen is wide enough.
        let columns = grid.width >= 152 && lines.count > grid.height - 6 ? 2 : 1
        let perColumn = (lines.count + columns - 1) / columns
        let columnWidth = 72
        let inner = centeredBox(&grid, width: columnWidth * columns + 4, height: min(perColumn + 2, grid.height - 2), title: "Help · firedrill \(model.briefing.levelID)", theme: theme)
        for column in 0..<columns {
            let slice = Array(lines[(column * perColumn)..<min(lines.count, (column + 1) * perColumn)])
            grid.draw(slice, in: Rect(x: inner.x + column * columnWidth, y: inner.y, width: columnWidth - 1, height: inner.height))
        }
        grid.restyle(inner) { if $0.bg == .default { $0.bg = theme.overlay.bg } }
    }

    static func drawConfirmQuit(_ model: ConsoleModel, into grid: inout CellGrid) {
        let theme = model.theme
        let inner = centeredBox(&grid, width: 64, height: 8, title: "Quit", theme: theme)
        var block = TextBlock(width: inner.width)
        block.text("Stop the run \(model.runID)? Its containers are removed; its workspace and your report stay.", theme.overlay)
        block.blank()
        block.row([Span("Y", theme.key.with(bg: theme.overlay.bg)), Span("/Enter stop and quit   ", theme.overlay),
                   Span("n", theme.key.with(bg: theme.overlay.bg)), Span(" quit, keep it running   ", theme.overlay),
                   Span("Esc", theme.key.with(bg: theme.overlay.bg)), Span(" stay", theme.overlay)])
        grid.draw(block.lines, in: inner)
    }

    static func drawShellTargets(_ model: ConsoleModel, selection: Int, into grid: inout CellGrid) {
        let theme = model.theme
        let targets = model.shellTargets
        let inner = centeredBox(&grid, width: 60, height: targets.count + 4, title: "Open the shell on", theme: theme)
        var lines: [[Span]] = []
        for (index, target) in targets.enumerated() {
            let role = target == "workspace" ? "the run's workspace, on the host" : (model.briefing.instances.first { $0.name == target }?.role ?? "")
            let style = index == selection ? theme.selection : theme.overlay
            lines.append([Span(" \(index + 1) ", theme.key.with(bg: theme.overlay.bg)), Span(pad(" \(target)", 11), style),
                          Span(" " + DisplayWidth.truncate(role, to: max(1, inner.width - 16)), theme.overlay.with(fg: .index(250)))])
        }
        lines.append([])
        lines.append([Span("↑/↓ Enter choose · 1-\(targets.count) · Esc cancel", theme.overlay.with(fg: .index(250)))])
        grid.draw(lines, in: inner)
    }

    static func drawNotice(_ model: ConsoleModel, title: String, lines: [String], into grid: inout CellGrid) {
        let theme = model.theme
        let width = min(100, grid.width - 2)
        var block = TextBlock(width: width - 4)
        for line in lines {
            let style = line.hasPrefix("  ✗") || line.hasPrefix("  - ") ? theme.bad.with(bg: theme.overlay.bg)
                : line.hasPrefix("  Score") ? theme.heading.with(bg: theme.overlay.bg) : theme.overlay
            // Table rows keep their spacing; only a line too long is wrapped.
            if DisplayWidth.of(line) <= width - 4 { block.row(line, style) } else { block.text(line, style) }
        }
        let inner = centeredBox(&grid, width: width, height: block.lines.count + 2, title: title, theme: theme)
        grid.draw(block.lines, in: inner)
    }

    static func drawTooSmall(_ model: ConsoleModel, into grid: inout CellGrid) {
        let lines = DisplayWidth.wrap("firedrill needs a terminal of at least \(Layout.minimum.width)x\(Layout.minimum.height); this one is \(grid.width)x\(grid.height). Make it larger (the run goes on), or press q to quit.", width: max(1, grid.width - 2))
        let top = max(0, (grid.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: max(0, (grid.width - DisplayWidth.of(line)) / 2), y: top + index, style: model.theme.warn)
        }
    }
}
