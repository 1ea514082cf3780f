import FiredrillEngine
import FiredrillRules
import Foundation

/// The incident-report form: its fields, which one is selected, and the one being edited with
/// its cursor. Pure, so editing is tested without a terminal; the store saves every change.
public struct ReportForm: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case line
        case text
        case choice([String])
    }

    public struct Field: Sendable, Equatable {
        public var id: String
        public var label: String
        public var kind: Kind
        public var value: String

        public init(id: String, label: String, kind: Kind, value: String = "") {
            self.id = id
            self.label = label
            self.kind = kind
            self.value = value
        }
    }

    public static let severities = IncidentReport.severities

    public var fields: [Field]
    public var selected = 0
    public var editing = false
    /// Character offset of the cursor in the edited field's value.
    public var cursor = 0

    public init(fields: [Field]) { self.fields = fields }

    /// A form of a document's fields (`IncidentReport.fields`, `Postmortem.fields`). A choice
    /// starts on its middle option (severity: SEV3, until the trainee says otherwise).
    public init(document: [DocumentField]) {
        self.init(fields: document.map { field in
            let kind: Kind = !field.choices.isEmpty ? .choice(field.choices) : (field.multiline ? .text : .line)
            return Field(id: field.id, label: field.label, kind: kind, value: field.choices.isEmpty ? "" : field.choices[field.choices.count / 2])
        })
    }

    /// The report's fields, then one per question of the level.
    public static func incident(questions: [(id: String, ask: String)], detected: String = "", mitigated: String = "") -> ReportForm {
        var form = ReportForm(document: IncidentReport.fields)
        form.set("detected", detected)
        form.set("mitigated", mitigated)
        form.fields += questions.map { Field(id: IncidentReport.questionField($0.id), label: $0.ask, kind: .text) }
        return form
    }

    /// The blameless postmortem, written after mitigation.
    public static func postmortem() -> ReportForm { ReportForm(document: Postmortem.fields) }

    /// Every field's value, by id.
    public var values: [String: String] { Dictionary(fields.map { ($0.id, $0.value) }, uniquingKeysWith: { first, _ in first }) }

    public var current: Field { fields[selected] }

    public func value(_ id: String) -> String? { fields.first { $0.id == id }?.value }

    public mutating func set(_ id: String, _ value: String) {
        guard let index = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[index].value = value
    }

    public var filled: Int { fields.filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count }

    // MARK: - Navigation

    public mutating func select(_ delta: Int) {
        selected = min(max(0, selected + delta), fields.count - 1)
        cursor = fields[selected].value.count
    }

    public mutating func startEditing() {
        if case let .choice(options) = current.kind {
            // A choice has nothing to type: Enter moves to the next option.
            let index = options.firstIndex(of: current.value) ?? -1
            fields[selected].value = options[(index + 1) % options.count]
            return
        }
        editing = true
        cursor = current.value.count
    }

    /// Cycles a choice field.
    public mutating func choose(_ delta: Int) {
        guard case let .choice(options) = current.kind else { return }
        let index = options.firstIndex(of: current.value) ?? 0
        fields[selected].value = options[min(max(0, index + delta), options.count - 1)]
    }

    // MARK: - Editing (each returns whether the value changed)

    private var characters: [Character] { Array(fields[selected].value) }

    @discardableResult
    public mutating func insert(_ text: String) -> Bool {
        guard editing else { return false }
        var chars = characters
        var text = text
        if current.kind == .line { text = text.replacingOccurrences(of: "\n", with: " ") }
        cursor = min(cursor, chars.count)
        chars.insert(contentsOf: text, at: cursor)
        cursor += text.count
        fields[selected].value = String(chars)
        return true
    }

    /// Enter: a new line in a text field, done in a one-line field.
    @discardableResult
    public mutating func newline() -> Bool {
        guard editing else { return false }
        if current.kind == .text { return insert("\n") }
        editing = false
        return false
    }

    @discardableResult
    public mutating func backspace() -> Bool {
        guard editing, cursor > 0 else { return false }
        var chars = characters
        cursor = min(cursor, chars.count)
        chars.remove(at: cursor - 1)
        cursor -= 1
        fields[selected].value = String(chars)
        return true
    }

    @discardableResult
    public mutating func deleteForward() -> Bool {
        var chars = characters
        guard editing, cursor < chars.count else { return false }
        chars.remove(at: cursor)
        fields[selected].value = String(chars)
        return true
    }

    public mutating func moveCursor(_ delta: Int) {
        cursor = min(max(0, cursor + delta), characters.count)
    }

    public mutating func moveToLineStart() {
        let chars = characters
        while cursor > 0, chars[cursor - 1] != "\n" { cursor -= 1 }
    }

    public mutating func moveToLineEnd() {
        let chars = characters
        while cursor < chars.count, chars[cursor] != "\n" { cursor += 1 }
    }

    /// Up or down one line of a multi-line value, keeping the column where it can.
    public mutating func moveLine(_ delta: Int) {
        let chars = characters
        var lineStart = cursor
        while lineStart > 0, chars[lineStart - 1] != "\n" { lineStart -= 1 }
        let column = cursor - lineStart
        if delta < 0 {
            guard lineStart > 0 else { return }
            var previousStart = lineStart - 1
            while previousStart > 0, chars[previousStart - 1] != "\n" { previousStart -= 1 }
            cursor = min(previousStart + column, lineStart - 1)
        } else {
            var lineEnd = cursor
            while lineEnd < chars.count, chars[lineEnd] != "\n" { lineEnd += 1 }
            guard lineEnd < chars.count else { return }
            var nextEnd = lineEnd + 1
            while nextEnd < chars.count, chars[nextEnd] != "\n" { nextEnd += 1 }
            cursor = min(lineEnd + 1 + column, nextEnd)
        }
    }
}
