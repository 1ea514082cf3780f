import Foundation

extension PaneID {
    public static let briefing = PaneID("briefing", title: "Briefing")
}

extension KeyContext {
    public static let briefing = KeyContext("briefing", title: "Briefing")
}

/// The Briefing pane: the page, how to reach the app and the instances, the workspace, the
/// objectives with their live state, the hints revealed so far, the time against par.
enum BriefingPane: Pane {
    static let id = PaneID.briefing
    static let contexts: [KeyContext] = [.briefing]
    static let bindings = [
        Binding([.char("H")], .revealHint, .briefing, "reveal the next hint (counts in the score)", status: "hint"),
    ]

    static func scroll(_ model: inout ConsoleModel, by delta: Int) {
        model.briefingScroll = max(0, model.briefingScroll + delta)
    }

    struct Inputs: Equatable {
        var briefing: BriefingInfo
        var objectives: [ObjectiveRow]
        var hints: Int, clock: Int, late: Int
        var verifying: Bool, verify: Bool?, verifyAt: Date?
        var liveAt: Date?
        var scroll: Int
    }

    static func inputs(_ model: ConsoleModel, shell: ShellScreen?) -> Inputs {
        let elapsed = model.elapsed, par = model.briefing.par
        return Inputs(briefing: model.briefing, objectives: model.objectives, hints: model.hintsRevealed, clock: Int(elapsed),
                      late: elapsed > par ? 2 : (elapsed > par * 0.75 ? 1 : 0), verifying: model.verifying,
                      verify: model.lastVerify?.solved, verifyAt: model.lastVerify?.at, liveAt: model.liveAt, scroll: model.briefingScroll)
    }

    static func lines(_ model: ConsoleModel, width: Int) -> [[Span]] {
        let theme = model.theme
        let g = theme.glyphs
        let b = model.briefing
        var block = TextBlock(width: width)
        func gap() { block.blank() }
        block.text(b.title, theme.heading)
        let stars = String(repeating: "★", count: min(5, b.difficulty)) + String(repeating: "☆", count: max(0, 3 - b.difficulty))
        let shownStars = g == .ascii ? String(repeating: "*", count: b.difficulty) : stars
        let elapsed = model.elapsed
        let timeStyle = elapsed > b.par ? theme.bad : (elapsed > b.par * 0.75 ? theme.warn : theme.accent)
        block.row([Span("\(b.category) \(g.separator) \(shownStars) \(g.separator) ", theme.muted),
                   Span(formatClock(elapsed), timeStyle), Span(" / par \(formatClock(b.par))", theme.muted)])
        gap()
        block.text(b.text, theme.text)
        gap()

        block.row("Objectives", theme.heading)
        for objective in model.objectives {
            let (mark, style): (String, Style) = {
                switch objective.status {
                case .passed: return (g.check, theme.ok)
                case .failed: return (g.cross, theme.bad)
                case .deferred: return ("?", theme.warn)
                case .unknown: return (g.pending, theme.muted)
                }
            }()
            let wrapped = DisplayWidth.wrap(objective.title, width: max(1, width - 4))
            for (index, line) in wrapped.enumerated() {
                block.row([Span(index == 0 ? "  \(mark) " : "    ", style), Span(line, objective.status == .passed ? theme.ok : theme.text)])
            }
            if objective.status == .failed || objective.status == .deferred, !objective.detail.isEmpty {
                block.text(objective.detail, theme.muted, indent: 4)
            }
            if theme.airy { gap() }
        }
        if model.verifying {
            block.row("  verifying… (restarts and waits where an objective is about durability)", theme.warn)
        } else if let verify = model.lastVerify {
            block.row("  last verify \(formatClock(verify.at.timeIntervalSince(model.liveAt ?? verify.at))) in: \(verify.solved ? "solved" : "not solved yet")",
                      verify.solved ? theme.ok : theme.warn)
        }
        gap()

        block.row("Reach the app", theme.heading)
        let nameWidth = max(8, (b.links.map { DisplayWidth.of($0.name) } + b.instances.map { DisplayWidth.of($0.name) }).max() ?? 8)
        for link in b.links {
            block.row([Span("  " + pad(link.name, nameWidth) + " ", theme.muted), Span(link.url, theme.accent), Span("  (\(link.instance))", theme.muted)])
        }
        gap()
        block.row([Span("Instances", theme.heading), Span("  shell: 3, then t", theme.muted)])
        for instance in b.instances {
            block.labelled(instance.name, theme.accent, instance.role, theme.text, labelWidth: nameWidth, indent: 2)
            if theme.airy { gap() }
        }
        gap()
        block.row("Workspace (the code and configs deployed)", theme.heading)
        block.text(b.workspace, theme.accent, indent: 2)
        gap()

        let shown = min(model.hintsRevealed, b.hints.count)
        block.row([Span("Hints", theme.heading), Span("  \(shown) of \(b.hints.count) shown\(shown < b.hints.count ? " · H reveals one" : "")", theme.muted)])
        for (index, hint) in b.hints.prefix(shown).enumerated() {
            let wrapped = DisplayWidth.wrap(hint, width: max(1, width - 5))
            for (n, line) in wrapped.enumerated() { block.row([Span(n == 0 ? "  \(index + 1). " : "     ", theme.warn), Span(line, theme.text)]) }
        }
        return block.lines
    }

    static func draw(_ model: ConsoleModel, shell: ShellScreen?, into grid: inout CellGrid, rect: Rect, focused: Bool) -> (x: Int, y: Int)? {
        let inner = grid.frame(rect, title: "\(PaneID.briefing.number) Briefing", focused: focused, theme: model.theme,
                               right: "\(model.objectives.filter { $0.status == .passed }.count)/\(model.objectives.count) objectives")
        guard !inner.isEmpty else { return nil }
        let all = lines(model, width: inner.width)
        let offset = min(model.briefingScroll, max(0, all.count - inner.height))
        grid.draw(all, in: inner, offset: offset)
        if all.count > inner.height {
            // A scroll mark on the border.
            let position = inner.height > 1 ? offset * (inner.height - 1) / max(1, all.count - inner.height) : 0
            grid.put(model.theme.glyphs == .ascii ? "#" : "┃", x: rect.maxX - 1, y: inner.y + position, style: model.theme.accent)
        }
        return nil
    }
}
