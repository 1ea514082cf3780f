import FiredrillConsole
@testable import FiredrillEngine
import FiredrillRules
import FiredrillTestSupport
import Foundation
import Testing

/// The report form tells, under each graded question, that one answer of its kind is graded, so
/// a trainee learns it before submitting (a list is wrong, and only the first attempt counts).
@Suite struct QuestionPromptTests {
    @Test func eachQuestionSaysWhatOneAnswerIs() throws {
        let catalog = Catalog(root: repositoryRoot)
        let level = try catalog.level("payload-too-large")
        let record = RunRecord(id: "payload-too-large-1d000c", level: level.id, scenario: level.scenario,
                               project: Project(name: "fd-1d000c", directory: URL(fileURLWithPath: "/tmp/ws"), composeFile: "compose.yaml"),
                               state: .live, ports: [:], createdAt: fixedLive, liveAt: fixedLive)
        let briefing = BriefingInfo(level: level, scenario: try catalog.scenario(level.scenario), record: record)
        let form = ReportForm.incident(questions: briefing.questions)
        for question in level.questions {
            let label = try #require(form.fields.first { $0.id == IncidentReport.questionField(question.id) }?.label)
            #expect(label.hasPrefix(question.ask))
            if let prompt = question.kind.prompt {
                #expect(label.hasSuffix("[\(prompt)]"))
            } else {
                #expect(label == question.ask)
            }
        }
        #expect(form.fields.contains { $0.label.hasSuffix("[one HTTP status]") })
    }
}
