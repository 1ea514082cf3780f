/// The look of the console: what each role of text is drawn with, the spacing, and how many
/// panes share the screen. Panes ask for roles, never for colours.
public struct Theme: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable { case standard, projector }

    public var name: Name
    public var glyphs: Glyphs
    public var border: Style
    public var focusBorder: Style
    public var title: Style
    public var focusTitle: Style
    public var text: Style
    public var heading: Style
    public var muted: Style
    public var accent: Style
    public var ok: Style
    public var warn: Style
    public var bad: Style
    public var key: Style
    public var statusBar: Style
    public var statusKey: Style
    public var selection: Style
    public var field: Style
    public var overlay: Style
    /// Blank cells inside a pane's border.
    public var padding: Int
    /// A blank line between list items (objectives, instances).
    public var airy: Bool
    /// At most this many panes side by side on a large screen (4, or 2 on a projector).
    public var maxPanes: Int

    public static func standard(glyphs: Glyphs = .unicode) -> Theme {
        Theme(name: .standard, glyphs: glyphs,
              border: Style(fg: .index(244)), focusBorder: Style(fg: .cyan, bold: true),
              title: Style(fg: .index(250), bold: true), focusTitle: Style(fg: .black, bg: .cyan, bold: true),
              text: .plain, heading: Style(bold: true), muted: Style(fg: .index(245)), accent: Style(fg: .cyan),
              ok: Style(fg: .green, bold: true), warn: Style(fg: .yellow, bold: true), bad: Style(fg: .red, bold: true),
              key: Style(fg: .yellow, bold: true), statusBar: Style(fg: .white, bg: .index(236)),
              statusKey: Style(fg: .yellow, bg: .index(236), bold: true), selection: Style(reverse: true),
              field: Style(underline: true), overlay: Style(fg: .white, bg: .index(235)),
              padding: 1, airy: false, maxPanes: 4)
    }

    /// High contrast and bold, larger spacing, two panes at most: reads from the back of a room.
    public static func projector(glyphs: Glyphs = .unicode) -> Theme {
        Theme(name: .projector, glyphs: glyphs,
              border: Style(fg: .brightWhite, bold: true), focusBorder: Style(fg: .brightYellow, bold: true),
              title: Style(fg: .brightWhite, bold: true), focusTitle: Style(fg: .black, bg: .brightYellow, bold: true),
              text: Style(fg: .brightWhite, bold: true), heading: Style(fg: .brightYellow, bold: true),
              muted: Style(fg: .white, bold: true), accent: Style(fg: .brightCyan, bold: true),
              ok: Style(fg: .brightGreen, bold: true), warn: Style(fg: .brightYellow, bold: true), bad: Style(fg: .brightRed, bold: true),
              key: Style(fg: .black, bg: .brightYellow, bold: true), statusBar: Style(fg: .brightWhite, bg: .black, bold: true),
              statusKey: Style(fg: .black, bg: .brightYellow, bold: true), selection: Style(reverse: true),
              field: Style(fg: .brightWhite, underline: true), overlay: Style(fg: .brightWhite, bg: .black, bold: true),
              padding: 2, airy: true, maxPanes: 2)
    }

    public static func named(_ name: Name, glyphs: Glyphs = .unicode) -> Theme {
        name == .projector ? projector(glyphs: glyphs) : standard(glyphs: glyphs)
    }
}
