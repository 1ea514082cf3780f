import FiredrillConsole
import Testing

@Suite struct LayoutTests {
    @Test func modesBySize() {
        let theme = Theme.standard()
        #expect(Layout.compute(width: 160, height: 45, focus: .briefing, zoomed: false, theme: theme).mode == .quad)
        #expect(Layout.compute(width: 220, height: 60, focus: .briefing, zoomed: false, theme: theme).mode == .quad)
        #expect(Layout.compute(width: 159, height: 45, focus: .briefing, zoomed: false, theme: theme).mode == .tabbed)
        #expect(Layout.compute(width: 100, height: 30, focus: .briefing, zoomed: false, theme: theme).mode == .tabbed)
        #expect(Layout.compute(width: 80, height: 24, focus: .briefing, zoomed: false, theme: theme).mode == .tabbed)
        #expect(Layout.compute(width: 79, height: 24, focus: .briefing, zoomed: false, theme: theme).mode == .tooSmall)
        #expect(Layout.compute(width: 80, height: 23, focus: .briefing, zoomed: false, theme: theme).mode == .tooSmall)
        #expect(Layout.compute(width: 160, height: 45, focus: .shell, zoomed: true, theme: theme).mode == .tabbed)
        #expect(Layout.compute(width: 160, height: 45, focus: .shell, zoomed: false, theme: .projector()).mode == .split)
    }

    @Test func quadPanesTileTheScreenWithoutOverlap() {
        let layout = Layout.compute(width: 160, height: 45, focus: .briefing, zoomed: false, theme: .standard())
        var covered = Array(repeating: 0, count: 160 * 44)
        for (_, rect) in layout.panes {
            for y in rect.y..<rect.maxY { for x in rect.x..<rect.maxX { covered[y * 160 + x] += 1 } }
        }
        #expect(covered.allSatisfy { $0 == 1 })
        #expect(layout.statusBar == Rect(x: 0, y: 44, width: 160, height: 1))
        // The shell is wide enough for full-screen programs.
        #expect(layout.rect(of: .shell)!.width - 2 >= 100)
    }

    @Test func paneAtAPoint() {
        let layout = Layout.compute(width: 160, height: 45, focus: .briefing, zoomed: false, theme: .standard())
        #expect(layout.pane(at: 1, 1) == .briefing)
        #expect(layout.pane(at: 159, 0) == .shell)
        #expect(layout.pane(at: 1, 43) == .health)
        #expect(layout.pane(at: 159, 43) == .report)
        #expect(layout.pane(at: 10, 44) == nil)
    }

    @Test func tabsAreClickedWhereTheyAreDrawn() {
        let frame = Renderer.render(sampleModel(), width: 100, height: 30, shell: sampleShell())
        let bar = frame.layout.tabBar!
        let row = Array(frame.grid.text.split(separator: "\n", omittingEmptySubsequences: false)[bar.y])
        let tabs = Renderer.tabs(in: bar)
        #expect(tabs.map(\.pane) == PaneID.allCases)
        for tab in tabs {
            // The label and the space after it, nothing else.
            #expect(String(row[tab.columns]) == " \(tab.pane.number) \(tab.pane.title)  ", "\(tab.pane)")
        }
        #expect(zip(tabs, tabs.dropFirst()).allSatisfy { $0.columns.upperBound == $1.columns.lowerBound })
    }
}
