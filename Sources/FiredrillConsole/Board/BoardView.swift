import FiredrillGame
import Foundation

/// Draws the class dashboard into a grid: a title line, one row per trainee, the status bar, and
/// the help or the review over them. Pure, like `Renderer`.
public enum BoardView {
    struct Column {
        var title: String
        var width: Int
    }

    public static func render(_ model: BoardModel, width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= 20, height >= 5 else {
            grid.put(DisplayWidth.truncate("class watch: a larger terminal", to: width), x: 0, y: 0, style: model.theme.warn)
            return grid
        }
        let theme = model.theme
        drawTitle(model, into: &grid)
        let body = Rect(x: theme.padding, y: 2, width: width - 2 * theme.padding, height: height - 3)
        drawRows(model, into: &grid, rect: body)
        drawStatus(model, into: &grid, y: height - 1)
        switch model.overlay {
        case .help?: drawHelp(model, into: &grid)
        case let .review(review)?: drawReview(model, review, into: &grid)
        case nil: break
        }
        return grid
    }

    static func drawTitle(_ model: BoardModel, into grid: inout CellGrid) {
        let theme = model.theme
        let rect = Rect(x: 0, y: 0, width: grid.width, height: 1)
        grid.fill(rect, style: theme.statusBar)
        let count = model.rows.count == 1 ? "1 trainee" : "\(model.rows.count) trainees"
        let x = grid.put(" firedrill class \(model.title) ", x: 0, y: 0, style: theme.statusBar.with(bold: true), limit: rect.maxX)
        grid.put("\(theme.glyphs.separator) \(count) \(theme.glyphs.separator) by \(model.sort.rawValue)", x: x, y: 0, style: theme.statusBar, limit: rect.maxX)
        if let updated = model.updatedAt {
            let text = " updated \(clockOfDay(updated)) "
            grid.put(text, x: rect.maxX - DisplayWidth.of(text), y: 0, style: theme.statusBar)
        }
    }

    /// The columns that fit: the last command takes what is left, or goes on a narrow screen.
    static func columns(width: Int, nameWidth: Int) -> [Column] {
        var columns = [Column(title: "TRAINEE", width: nameWidth), Column(title: "LEVEL", width: 22), Column(title: "STAGE", width: 10),
                       Column(title: "TIME / PAR", width: 14), Column(title: "OBJ", width: 5), Column(title: "HINTS", width: 6),
                       Column(title: "REPORT", width: 10), Column(title: "POSTMORTEM", width: 11)]
        let used = columns.reduce(0) { $0 + $1.width + 1 }
        if width - used >= 12 { columns.append(Column(title: "LAST COMMAND", width: width - used)) }
        // Narrow: names and levels are cut shorter before a column goes (the documents' last).
        let over = used - 1 - width
        if over > 0 {
            columns[1].width = max(12, columns[1].width - over)
            columns[0].width = max(8, columns[0].width - max(0, over - 10))
        }
        while columns.reduce(0, { $0 + $1.width + 1 }) - 1 > width, columns.count > 1 { columns.removeLast() }
        return columns
    }

    static func drawRows(_ model: BoardModel, into grid: inout CellGrid, rect: Rect) {
        let theme = model.theme
        let nameWidth = min(18, max(8, model.rows.map { DisplayWidth.of($0.player) }.max() ?? 8))
        let columns = columns(width: rect.width, nameWidth: nameWidth)
        var x = rect.x
        for column in columns {
            grid.put(pad(column.title, column.width), x: x, y: rect.y, style: theme.heading, limit: rect.maxX)
            x += column.width + 1
        }
        guard !model.rows.isEmpty else {
            let lines = ["Nobody in the class yet.", "Add a trainee: firedrill class add NAME; they appear here when they join."]
            for (index, line) in lines.enumerated() {
                grid.put(line, x: rect.x, y: rect.y + 2 + index, style: index == 0 ? theme.text : theme.muted, limit: rect.maxX)
            }
            return
        }
        let step = theme.airy ? 2 : 1
        let visible = max(1, (rect.height - 2) / step)
        let selected = model.rows.firstIndex { $0.player == model.selectedRow?.player } ?? 0
        let first = max(0, min(selected - visible + 1, model.rows.count - visible))
        for (offset, row) in model.rows[first..<min(model.rows.count, first + visible)].enumerated() {
            let y = rect.y + 2 + offset * step
            var x = rect.x
            for (column, span) in zip(columns, cells(row, now: model.now, theme: theme)) {
                grid.put(pad(span.text, column.width), x: x, y: y, style: span.style, limit: min(rect.maxX, x + column.width))
                x += column.width + 1
            }
            if first + offset == selected {
                grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true }
            }
        }
        if first > 0 { grid.put("↑ \(first) more", x: rect.maxX - 12, y: rect.y + 1, style: theme.muted) }
        let below = model.rows.count - first - visible
        if below > 0 { grid.put("↓ \(below) more", x: rect.maxX - 12, y: rect.maxY - 1, style: theme.muted) }
    }

    static func cells(_ row: TraineeRow, now: Date, theme: Theme) -> [Span] {
        let stageStyle: Style = switch row.stage {
        case "mitigated", "reported", "closed": theme.ok
        case "live": theme.accent
        case "failed": theme.bad
        case "no run", "stopped", "booting": theme.muted
        default: theme.text
        }
        var time = Span("—", theme.muted)
        if let elapsed = row.elapsed(at: now) {
            let over = row.par.map { elapsed > $0 } ?? false
            time = Span(formatClock(elapsed) + (row.par.map { " / " + formatClock($0) } ?? ""), over ? theme.bad : theme.text)
        }
        let objectives = row.run == nil ? Span("—", theme.muted)
            : Span("\(row.passing)/\(row.objectives.map(String.init) ?? "?")", row.objectives == row.passing ? theme.ok : theme.text)
        func document(_ state: String) -> Span {
            switch state {
            case "approved": return Span(state, theme.ok)
            case "returned": return Span(state, theme.warn)
            case "submitted": return Span(state, theme.accent)
            case "—": return Span(state, theme.muted)
            default: return Span(state, theme.text)
            }
        }
        let level = row.level.map { Span($0, theme.text) } ?? Span(row.assigned.map { "→ " + $0 } ?? "—", theme.muted)
        return [Span(row.player, theme.text), level, Span(row.stage, stageStyle),
                time, objectives, Span(row.run == nil ? "—" : "\(row.hints)", row.hints > 0 ? theme.warn : theme.muted),
                document(row.report), document(row.postmortem), Span(row.lastCommand ?? "", theme.muted)]
    }

    static func drawStatus(_ model: BoardModel, into grid: inout CellGrid, y: Int) {
        let theme = model.theme
        let rect = Rect(x: 0, y: y, width: grid.width, height: 1)
        grid.fill(rect, style: theme.statusBar)
        var x = 0
        if let problem = model.problem {
            x = grid.put(" \(problem) ", x: 0, y: y, style: theme.bad.with(reverse: true), limit: rect.maxX)
        } else if let message = model.message {
            x = grid.put(" \(message) ", x: 0, y: y, style: theme.statusKey, limit: rect.maxX)
        } else if let row = model.selectedRow {
            x = grid.put(" \(row.run ?? row.player) ", x: 0, y: y, style: theme.statusBar.with(bold: true), limit: rect.maxX)
        }
        var context = BoardModel.context
        if case .review? = model.overlay { context = BoardModel.reviewContext }
        var pieces: [[Span]] = []
        for binding in BoardModel.bindings where binding.context == context {
            if let status = binding.status { pieces.append([Span(" \(binding.keys[0].label)", theme.statusKey), Span(" \(status)", theme.statusBar)]) }
        }
        var total = pieces.reduce(0) { $0 + $1.reduce(0) { $0 + DisplayWidth.of($1.text) } } + 1
        while total > rect.maxX - x - 1, !pieces.isEmpty {
            total -= pieces.removeLast().reduce(0) { $0 + DisplayWidth.of($1.text) }
        }
        var kx = rect.maxX - total
        for piece in pieces { for span in piece { kx = grid.put(span.text, x: kx, y: y, style: span.style, limit: rect.maxX) } }
    }

    static func drawHelp(_ model: BoardModel, into grid: inout CellGrid) {
        let theme = model.theme
        var lines: [[Span]] = []
        for context in [BoardModel.context, BoardModel.reviewContext] {
            lines.append([Span(context.title, theme.heading.with(bg: theme.overlay.bg))])
            for binding in BoardModel.bindings where binding.context == context {
                lines.append([Span("  " + pad(binding.label, 12), theme.key.with(bg: theme.overlay.bg)), Span(binding.description, theme.overlay)])
            }
        }
        lines.append([Span("The rows follow the class database as trainees play. Any key closes this help.", theme.overlay)])
        let inner = Renderer.centeredBox(&grid, width: 84, height: lines.count + 2, title: "Help · firedrill class watch", theme: theme)
        grid.draw(lines, in: inner)
    }

    static func drawReview(_ model: BoardModel, _ review: BoardReview, into grid: inout CellGrid) {
        let theme = model.theme
        let width = min(110, grid.width - 2)
        var block = TextBlock(width: width - 2 - 2 * theme.padding)
        block.row("Status: \(review.status ?? "not submitted")\(review.comment.map { " — \"\($0)\"" } ?? "")", theme.heading.with(bg: theme.overlay.bg))
        block.blank()
        if review.fields.isEmpty { block.text("Nothing written yet.", theme.overlay) }
        for (field, value) in review.fields {
            block.row(field, theme.heading.with(bg: theme.overlay.bg))
            block.text(value.isEmpty ? "—" : value, theme.overlay, indent: 2)
        }
        let inner = Renderer.centeredBox(&grid, width: width, height: grid.height - 2, title: "Postmortem · \(review.player) · \(review.run)", theme: theme)
        let bodyHeight = inner.height - 2
        let scroll = min(review.scroll, max(0, block.lines.count - bodyHeight))
        grid.draw(block.lines, in: Rect(x: inner.x, y: inner.y, width: inner.width, height: bodyHeight), offset: scroll)
        let key = theme.key.with(bg: theme.overlay.bg)
        var prompt = [Span("Esc", key), Span(" back (nothing to review until it is submitted)", theme.overlay)]
        if let typing = review.typing {
            prompt = [Span("Comment for \(review.player): ", key), Span(typing + "▏", theme.field.with(bg: theme.overlay.bg))]
        } else if review.status == "submitted" {
            prompt = [Span("a", key), Span(" approve   ", theme.overlay), Span("b", key), Span(" send back with a comment   ", theme.overlay),
                      Span("Esc", key), Span(" back", theme.overlay)]
        }
        grid.draw([prompt], in: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1))
    }

    /// "16:55:03", the local time of day, without Foundation's formatters (see docs/console.md).
    static func clockOfDay(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
