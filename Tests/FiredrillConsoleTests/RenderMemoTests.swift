@testable import FiredrillConsole
import Foundation
import Testing

/// A frame drawn over the last one (only the panes whose inputs changed) must equal the frame
/// drawn from scratch, whatever changed in between.
@Suite struct RenderMemoTests {
    typealias Change = (String, @Sendable (inout ConsoleModel, TextShellScreen) -> Void)

    static let changes: [Change] = [
        ("nothing", { _, _ in }),
        ("a second passes", { model, _ in model.now = model.now.addingTimeInterval(1) }),
        ("half a second passes", { model, _ in model.now = model.now.addingTimeInterval(0.5) }),
        ("past par", { model, _ in model.now = model.liveAt!.addingTimeInterval(model.briefing.par + 1) }),
        ("an objective passes", { model, _ in model.objectives[0].status = .passed }),
        ("an objective's detail", { model, _ in model.objectives[2].detail = "nginx -t failed" }),
        ("a hint", { model, _ in model.hintsRevealed = 2 }),
        ("verifying", { model, _ in model.verifying = true }),
        ("verified", { model, _ in model.verifying = false; model.lastVerify = (true, model.now) }),
        ("briefing scrolled", { model, _ in model.briefingScroll = 3 }),
        ("host figures", { model, _ in model.host.record(HostSample(cpu: CPUTimes(busy: 99_000, idle: 100), cpuCount: 2, load: [1, 1, 1], memoryTotal: 1 << 30, memoryAvailable: 1 << 20, diskTotal: 100, diskAvailable: 1)) }),
        ("instance figures", { model, _ in model.instances[1].cpuPercent = 77; model.instances[1].cpuHistory.append(77) }),
        ("pids limit", { model, _ in model.instances[2].pidsLimit = 12 }),
        ("an instance stops", { model, _ in model.instances[3].running = false; model.instances[3].state = "exited" }),
        ("docker gone", { model, _ in model.docker = .unreachable("no socket") }),
        ("docker back", { model, _ in model.docker = .reachable }),
        ("class offline", { model, _ in model.classStatus = "class offline, 3 waiting" }),
        ("health selection", { model, _ in model.setFocus(.health); model.healthSelection = 2 }),
        ("shell output", { _, shell in shell.lines.append("more output") }),
        ("shell cursor", { _, shell in shell.cursor = (3, 2, true) }),
        ("shell scrolled", { model, _ in model.shell.scrollBack = 1 }),
        ("shell exits", { model, _ in model.shell.status = .exited(0) }),
        ("shell typing", { model, _ in model.setFocus(.shell); model.shell.status = .running }),
        ("leave the shell", { model, _ in _ = model.handle(.ctrl("]")) }),
        ("report focus", { model, _ in model.setFocus(.report) }),
        ("report edit", { model, _ in _ = model.handle(.enter); _ = model.handle(.char("x")) }),
        ("report next field", { model, _ in _ = model.handle(.tab); _ = model.handle(.char("y")) }),
        ("report done", { model, _ in _ = model.handle(.escape) }),
        ("help", { model, _ in _ = model.handle(.char("?")) }),
        ("help closed", { model, _ in _ = model.handle(.escape) }),
        ("zoom", { model, _ in _ = model.apply(.zoom) }),
        ("unzoom", { model, _ in _ = model.apply(.zoom) }),
        ("a message", { model, _ in model.say("Verified: solved.") }),
        ("mitigated", { model, _ in model.mitigatedAt = model.now; model.runState = .mitigated }),
        ("briefing focus", { model, _ in model.setFocus(.briefing) }),
    ]

    func check(width: Int, height: Int, theme: Theme) {
        var model = sampleModel(theme: theme)
        let shell = sampleShell(rows: 24, columns: 98)
        var memo: RenderMemo?
        for (name, change) in Self.changes {
            change(&model, shell)
            let drawn = Renderer.render(model, width: width, height: height, shell: shell, memo: &memo)
            let fresh = Renderer.render(model, width: width, height: height, shell: shell)
            let difference = drawn.grid.cells.indices.first { drawn.grid.cells[$0] != fresh.grid.cells[$0] }
            #expect(difference == nil, "\(width)x\(height) after \(name): cell \(difference.map { "\($0 % width),\($0 / width)" } ?? "")")
            #expect(drawn.cursor?.x == fresh.cursor?.x && drawn.cursor?.y == fresh.cursor?.y, "cursor after: \(name)")
        }
    }

    @Test func quad() { check(width: 160, height: 45, theme: .standard()) }
    @Test func tabbed() { check(width: 100, height: 30, theme: .standard()) }
    @Test func projector() { check(width: 160, height: 45, theme: .projector()) }

    @Test func unchangedPanesAreNotRedrawn() {
        let model = sampleModel()
        let shell = sampleShell(rows: 24, columns: 98)
        var memo: RenderMemo?
        _ = Renderer.render(model, width: 160, height: 45, shell: shell, memo: &memo)
        // Scribble on the memo's Shell pane: an unchanged pane is left as it was, scribble and all.
        memo!.grid.put("scribble", x: 70, y: 3)
        let again = Renderer.render(model, width: 160, height: 45, shell: shell, memo: &memo)
        #expect(again.grid.text.contains("scribble"))
        shell.lines.append("x")
        let changed = Renderer.render(model, width: 160, height: 45, shell: shell, memo: &memo)
        #expect(!changed.grid.text.contains("scribble"))
    }
}
