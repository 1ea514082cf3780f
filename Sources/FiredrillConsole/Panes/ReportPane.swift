import FiredrillEngine
import FiredrillRules

extension PaneID {
    public static let report = PaneID("report", title: "Report")
}

extension KeyContext {
    public static let report = KeyContext("report", title: "Report")
    /// A report field is being edited: text goes to it but these.
    public static let reportEditing = KeyContext("reportEditing", title: "Report (editing a field)")
}

/// The Report pane: the incident report, or after mitigation the postmortem, saved as you type.
/// The postmortem's wording is linted as it is written: a finding shows under its field.
enum ReportPane: Pane {
    static let id = PaneID.report
    static let contexts: [KeyContext] = [.report, .reportEditing]
    static let bindings = [
        Binding([.enter, .char("i")], .editField, .report, "edit the selected field", status: "edit"),
        Binding([.char("h"), .left], .left, .report, "severity: lower"),
        Binding([.char("l"), .right], .right, .report, "severity: higher"),
        Binding([.char("p")], .switchSheet, .report, "the incident report / the postmortem (after mitigation)", status: "report/postmortem"),
        Binding([.char("f")], .fillFromRun, .report, "fill from the run: times, timeline, commands typed", status: "fill"),
        Binding([.char("S")], .submit, .report, "submit: report graded and scored; postmortem to review", status: "submit"),
        Binding([.char("s")], .showScore, .report, "show the score and the graded answers"),

        Binding([.escape, KeyMap.shellEscape], .stopEditing, .reportEditing, "stop editing (saved as you type)", status: "done"),
        Binding([.tab], .nextField, .reportEditing, "next field", status: "next"),
        Binding([.backTab], .previousField, .reportEditing, "previous field"),
    ]

    /// Editing a field: only its own keys are the console's.
    static func keyContexts(_ model: ConsoleModel) -> [KeyContext] { model.form.editing ? [.reportEditing] : [.report, .global] }

    /// Selects a field.
    static func scroll(_ model: inout ConsoleModel, by delta: Int) {
        model.form.select(max(-100, min(100, delta)))
    }

    struct Inputs: Equatable {
        var form: ReportForm
        var sheet: Sheet
        var submission: String?
    }

    static func inputs(_ model: ConsoleModel, shell: ShellScreen?) -> Inputs {
        Inputs(form: model.form, sheet: model.sheet, submission: model.submission[model.sheet])
    }

    /// The form's lines, and for each field the index of its first line.
    static func lines(_ model: ConsoleModel, width: Int) -> (lines: [[Span]], starts: [Int], cursor: (line: Int, column: Int)?) {
        let theme = model.theme
        let form = model.form
        let labelWidth = model.sheet == .postmortem ? 19 : 14
        let findings = model.sheet == .postmortem ? Blameless.lint(form.fields.map { ($0.id, $0.value) }) : []
        var lines: [[Span]] = []
        var starts: [Int] = []
        var cursor: (Int, Int)?
        for (index, field) in form.fields.enumerated() {
            starts.append(lines.count)
            let selected = index == form.selected && model.focus == .report
            let editing = selected && form.editing
            let labelStyle = selected ? theme.selection : theme.muted
            var valueColumn = labelWidth + 1
            var valueWidth = max(1, width - valueColumn)
            if case .text = field.kind, field.id.hasPrefix("q.") {
                // A question: asked on its own lines, answered below.
                for line in DisplayWidth.wrap(field.label, width: width) { lines.append([Span(line, selected ? theme.selection : theme.heading)]) }
                valueColumn = 2
                valueWidth = max(1, width - valueColumn)
            }
            let isQuestion = field.id.hasPrefix("q.")
            switch field.kind {
            case let .choice(options):
                let text = options.contains(field.value) ? field.value : (options.first ?? "")
                lines.append([Span(pad(field.label, labelWidth) + " ", labelStyle), Span("◀ ", theme.muted), Span(text, theme.accent), Span(" ▶", theme.muted)])
            case .line, .text:
                let valueLines = field.value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                var offset = 0
                var wrappedAll: [(text: String, start: Int)] = []
                for raw in valueLines {
                    if !editing {
                        // Shown, not edited: wrapped by words.
                        for line in DisplayWidth.wrap(raw, width: max(1, valueWidth - 1)) { wrappedAll.append((line, offset)) }
                        offset += raw.count + 1
                        continue
                    }
                    // Edited: hard-wrapped by characters, so that the cursor maps simply.
                    var chars = Array(raw)
                    var start = offset
                    if chars.isEmpty { wrappedAll.append(("", start)) }
                    while !chars.isEmpty {
                        var take = 0
                        var used = 0
                        while take < chars.count, used + DisplayWidth.of(chars[take]) <= valueWidth - 1 {
                            used += DisplayWidth.of(chars[take])
                            take += 1
                        }
                        take = max(1, take)
                        wrappedAll.append((String(chars[0..<take]), start))
                        start += take
                        chars.removeFirst(take)
                        if chars.isEmpty, used >= valueWidth - 1 { wrappedAll.append(("", start)) }
                    }
                    offset += raw.count + 1
                }
                let empty = field.value.isEmpty && !editing
                for (n, piece) in wrappedAll.enumerated() {
                    let head: String = isQuestion ? "  " : (n == 0 ? pad(field.label, labelWidth) + " " : String(repeating: " ", count: valueColumn))
                    let text = empty ? (field.kind == .text ? "…" : "") : piece.text
                    lines.append([Span(head, n == 0 && !isQuestion ? labelStyle : .plain),
                                  Span(pad(text, valueWidth), editing ? theme.field : (empty ? theme.muted : theme.text))])
                    if editing, piece.start <= form.cursor {
                        // The last piece starting at or before the cursor holds it.
                        let before = String(Array(field.value)[piece.start..<min(form.cursor, field.value.count)])
                        cursor = (lines.count - 1, valueColumn + DisplayWidth.of(before))
                    }
                }
            }
            for finding in findings where finding.field == field.id {
                // The message quotes the words; the line itself is right above.
                for line in DisplayWidth.wrap("⚠ line \(finding.line): \(finding.message)", width: max(1, width - labelWidth - 1)) {
                    lines.append([Span(String(repeating: " ", count: labelWidth + 1), .plain), Span(line, theme.warn)])
                }
            }
            if isQuestion || model.theme.airy { lines.append([]) }
        }
        return (lines, starts, cursor)
    }

    static func draw(_ model: ConsoleModel, shell: ShellScreen?, into grid: inout CellGrid, rect: Rect, focused: Bool) -> (x: Int, y: Int)? {
        let theme = model.theme
        let form = model.form
        let status = model.submission[model.sheet].map { " · \($0)" } ?? ""
        let frozen = model.sheet == .report && model.reportFrozen
        let right = frozen ? "\(form.filled)/\(form.fields.count) filled\(status) · read-only"
                           : "\(form.filled)/\(form.fields.count) filled · autosaved\(status)"
        let inner = grid.frame(rect, title: "\(PaneID.report.number) \(model.sheet.title)", focused: focused, theme: theme,
                               right: right, rightStyle: theme.muted)
        guard !inner.isEmpty else { return nil }
        let (all, starts, cursor) = lines(model, width: inner.width)
        // Keep the selected field (and the cursor) in view.
        let selectedStart = starts[form.selected]
        let selectedEnd = form.selected + 1 < starts.count ? starts[form.selected + 1] : all.count
        var offset = 0
        let target = cursor?.line ?? selectedEnd - 1
        if target >= inner.height { offset = target - inner.height + 1 }
        if selectedStart < offset { offset = selectedStart }
        offset = max(0, min(offset, max(0, all.count - inner.height)))
        grid.draw(all, in: inner, offset: offset)
        guard focused, let cursor, cursor.line >= offset, cursor.line < offset + inner.height else { return nil }
        return (inner.x + cursor.column, inner.y + cursor.line - offset)
    }
}
