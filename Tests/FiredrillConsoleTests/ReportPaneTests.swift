@testable import FiredrillConsole
import Testing

@Suite struct ReportPaneTests {
    func valueLines(_ model: ConsoleModel, width: Int) -> [String] {
        // The Impact field's lines: its label's, then the continuation lines under it.
        let all = ReportPane.lines(model, width: width).lines.map { $0.map(\.text).joined() }
        guard let first = all.firstIndex(where: { $0.hasPrefix("Impact") }) else { return [] }
        let field = [all[first]] + all[(first + 1)...].prefix { $0.hasPrefix(String(repeating: " ", count: 15)) }
        return field.map { String($0.dropFirst(15)).trimmingCharacters(in: .whitespaces) }
    }

    @Test func shownValuesWrapByWordsEditedOnesByCharacters() {
        var model = sampleModel()
        model.report.set("impact", "Customers could not attach scanned invoices for about an hour.")
        model.setFocus(.report)
        #expect(valueLines(model, width: 52) == ["Customers could not attach scanned", "invoices for about an hour."])
        // Editing it: cut where the line is full, so that the cursor maps onto the text simply.
        model.report.select(4)
        #expect(model.report.current.id == "impact")
        model.report.startEditing()
        #expect(valueLines(model, width: 52) == ["Customers could not attach scanned i", "nvoices for about an hour."])
    }
}
