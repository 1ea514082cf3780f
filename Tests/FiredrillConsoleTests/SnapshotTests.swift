import FiredrillConsole
import Testing

/// The whole screen and each pane from fixed state, compared as text with Snapshots/.
@Suite struct SnapshotTests {
    func screen(_ model: ConsoleModel, _ width: Int, _ height: Int) -> String {
        Renderer.render(model, width: width, height: height, shell: sampleShell(rows: height, columns: width)).grid.text
    }

    @Test func fullScreenAt160x45() {
        var model = sampleModel()
        model.setFocus(.briefing)
        assertSnapshot(screen(model, 160, 45), named: "screen-160x45")
    }

    @Test func tabbedAt100x30() {
        var model = sampleModel()
        model.setFocus(.health)
        assertSnapshot(screen(model, 100, 30), named: "screen-100x30-health")
    }

    @Test func tabbedAt80x24() {
        var model = sampleModel()
        model.setFocus(.briefing)
        assertSnapshot(screen(model, 80, 24), named: "screen-80x24-briefing")
        model.setFocus(.shell)
        assertSnapshot(screen(model, 80, 24), named: "screen-80x24-shell")
        model.setFocus(.report)
        assertSnapshot(screen(model, 80, 24), named: "screen-80x24-report")
    }

    @Test func tooSmall() {
        assertSnapshot(screen(sampleModel(), 70, 20), named: "screen-70x20-too-small")
    }

    @Test func helpOverlay() {
        var model = sampleModel()
        _ = model.handle(.char("?"))
        assertSnapshot(screen(model, 160, 45), named: "screen-160x45-help")
    }

    @Test func quitDialog() {
        var model = sampleModel()
        _ = model.handle(.char("q"))
        assertSnapshot(screen(model, 100, 30), named: "screen-100x30-quit")
    }

    @Test func shellTargetPicker() {
        var model = sampleModel()
        model.setFocus(.shell)
        _ = model.handle(.ctrl("]"))
        _ = model.handle(.char("t"))
        assertSnapshot(screen(model, 100, 30), named: "screen-100x30-shell-target")
    }

    @Test func projectorTheme() {
        var model = sampleModel(theme: .projector())
        model.setFocus(.report)
        assertSnapshot(screen(model, 160, 45), named: "screen-160x45-projector")
    }

    @Test func asciiGlyphs() {
        var model = sampleModel(glyphs: .ascii)
        model.setFocus(.health)
        assertSnapshot(screen(model, 160, 45), named: "screen-160x45-ascii")
    }

    @Test func dockerGone() {
        var model = sampleModel()
        model.docker = .unreachable("Cannot connect to the Docker daemon at unix:///var/run/docker.sock")
        model.setFocus(.health)
        assertSnapshot(screen(model, 100, 30), named: "screen-100x30-docker-gone")
    }

    @Test func theStatusBarSaysWhatWaitsForTheClassDatabase() {
        var model = sampleModel()
        #expect(!screen(model, 160, 45).contains("waiting"))
        model.classStatus = "class offline, 3 waiting"
        let bar = screen(model, 160, 45).split(separator: "\n").last.map(String.init) ?? ""
        #expect(bar.contains("docker") && bar.contains("class offline, 3 waiting"), "\(bar)")
    }

    @Test func reportEditingShowsTheCursor() {
        var model = sampleModel()
        model.setFocus(.report)
        _ = model.handle(.enter)
        let frame = Renderer.render(model, width: 100, height: 30, shell: nil)
        assertSnapshot(frame.grid.text, named: "screen-100x30-report-editing")
        #expect(frame.cursor != nil)
    }

    @Test func zoomedShell() {
        var model = sampleModel()
        model.setFocus(.shell)
        _ = model.apply(.zoom)
        let frame = Renderer.render(model, width: 160, height: 45, shell: sampleShell(rows: 41, columns: 158))
        assertSnapshot(frame.grid.text, named: "screen-160x45-zoomed-shell")
        // The cursor sits after the prompt, inside the border and below the tab bar.
        #expect(frame.cursor?.x == 1 + 14 && frame.cursor?.y == 2 + 2)
    }
}
