import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine
@testable import FiredrillRules

/// The events of a played `payload-too-large` run, from boot to the report.
let gameRunEvents = gameEvents([
    (-45, "booting", "level payload-too-large"), (-30, "up", "instances created"), (-20, "ready", "the scenario serves"),
    (-5, "fault", "ran on proxy"), (0, "live", "fault live"),
    (95, "shell", "shell on proxy"),
    (120, "command", "proxy: tail -n 3 /var/log/nginx/access.log"),
    (180, "hint", "hint 1 revealed"),
    (240, "command", "proxy: grep -rn client_max_body_size /etc/nginx"),
    (300, "command", "proxy: sed -i 's/1m/20m/' /etc/nginx/conf.d/default.conf && nginx -s reload"),
    (312, "check", "upload passed"), (312, "check", "backend-log passed"),
    (312, "mitigated", "every objective holds"),
    (330, "verify", "solved 3/3"),
    (400, "costly", "restart-proxy: Restarted the proxy"),
    (720, "reported", "report submitted"),
])

let utc = TimeZone(identifier: "UTC")!

@Suite struct GameTimelineTests {
    @Test func eventsBecomeSentencesWithoutBootNoise() {
        let entries = Timeline.entries(events: gameRunEvents)
        #expect(entries.map(\.text) == [
            "Environment booted",
            "Fault live: the page fired",
            "Shell opened on proxy",
            "on proxy: `tail -n 3 /var/log/nginx/access.log`",
            "Hint 1 revealed",
            "on proxy: `grep -rn client_max_body_size /etc/nginx`",
            "on proxy: `sed -i 's/1m/20m/' /etc/nginx/conf.d/default.conf && nginx -s reload`",
            "Objective upload passes",
            "Objective backend-log passes",
            "Every objective holds: mitigated",
            "Verify: solved 3/3",
            "Costly fix: Restarted the proxy (restart-proxy)",
            "Incident report submitted",
        ])
    }

    @Test func entriesAreSortedByTimeAndStable() {
        let events = gameEvents([
            (50, "hint", "hint 2 revealed"), (10, "command", "db: mysql -e 'SHOW PROCESSLIST'"), (50, "stopped", "instances removed"),
            (10, "shell", "on db: df -h"), (60, "check", "disk failing"), (70, "somethingnew", "detail"),
            (80, "failed", "boot timed out"), (90, "command", "db: echo `date`"),
        ])
        #expect(Timeline.entries(events: events).map(\.text) == [
            "on db: `mysql -e 'SHOW PROCESSLIST'`", "on db: `df -h`", "Hint 2 revealed", "Environment stopped",
            "Objective disk fails", "Somethingnew: detail", "Run failed: boot timed out", "on db: `` echo `date` ``",
        ])
    }

    /// A verify that fails once the run was mitigated is its own line, naming what failed.
    @Test func aVerifyThatFailsAfterMitigationIsSaid() {
        let time = Date(timeIntervalSince1970: 1_795_000_000)
        let events = [
            RunEvent(time: time, kind: EventKind.mitigated, detail: "every objective holds"),
            RunEvent(time: time, kind: EventKind.verify, detail: "not solved 1/2 (passed: works)", payload: .verify(solved: false, passed: ["works"], total: 2)),
            RunEvent(time: time, kind: EventKind.unmitigated, detail: "lasts no longer holding", payload: .unmitigated(failing: ["lasts"])),
        ]
        #expect(Timeline.entries(events: events).map(\.text) == [
            "Every objective holds: mitigated", "Verify: not solved 1/2 (passed: works)", "No longer mitigated: lasts failed on verify",
        ])
    }

    @Test func textHasTheClockAndTheOffsetFromTheStart() {
        let entries = Timeline.entries(events: gameRunEvents)
        let live = gameRunEvents.first { $0.kind == "live" }!.time
        let text = Timeline.text(entries, start: live, timeZone: utc)
        let lines = text.components(separatedBy: "\n")
        #expect(lines.count == entries.count)
        #expect(lines[0] == "11:06:10  -00:30  Environment booted")
        #expect(lines[1] == "11:06:40  +00:00  Fault live: the page fired")
        #expect(lines[9] == "11:11:52  +05:12  Every objective holds: mitigated")
        #expect(lines[12] == "11:18:40  +12:00  Incident report submitted")

        let paris = Timeline.text(Array(entries[1...1]), start: nil, timeZone: TimeZone(identifier: "Europe/Paris")!)
        #expect(paris == "12:06:40  -       Fault live: the page fired")
        let long = Timeline.text([TimelineEntry(time: live.addingTimeInterval(4000), text: "late")], start: live, timeZone: utc)
        #expect(long == "12:13:20  +66:40  late")
        #expect(Timeline.text([], start: live) == "")
        // Under a second before the start is not "-00:00".
        let early = Timeline.text([TimelineEntry(time: live.addingTimeInterval(-0.4), text: "booted")], start: live, timeZone: utc)
        #expect(early.contains("+00:00  booted"))
        #expect(Timeline.text([TimelineEntry(time: live.addingTimeInterval(-61), text: "up")], start: live, timeZone: utc).contains("-01:01  up"))
    }
}

@Suite struct GameDocumentTests {
    @Test func theFormsFieldsAreInOrder() {
        #expect(IncidentReport.fields.map(\.id) == ["title", "severity", "detected", "mitigated", "impact", "symptoms", "actions",
                                                    "root_cause", "timeline"])
        #expect(IncidentReport.fields[1].choices == IncidentReport.severities)
        #expect(IncidentReport.fields.first { $0.id == "actions" }?.label == "Actions taken")
        #expect(IncidentReport.questionField("status") == "q.status")
        #expect(IncidentReport.answers(["q.status": "413", "title": "x"]) == ["status": "413"])
        #expect(Postmortem.fields.map(\.id) == ["summary", "impact", "root_causes", "trigger", "detection", "resolution", "timeline",
                                                "action_items", "went_well", "went_wrong", "lucky"])
        #expect(Postmortem.fields.map(\.label).suffix(4) == ["Action items", "What went well", "What went wrong", "Where we got lucky"])
        #expect(Postmortem.fields.allSatisfy { $0.multiline && $0.choices.isEmpty })
    }

    @Test func actionItemsAreParsedForgivingly() {
        let text = """
        Priority | Owner | Action
        ---|---|---
        P2 | db team | add a lock timeout
        - p1 | proxy owners | alert on 413 rate | page the on-call

        * [P3] |  platform |  document the body limit
        | P4 | docs | link the runbook from the alert |
        1. P2 | ci | lint nginx config before deploy
        add a dashboard
        P3 | | nobody yet
        P9 | team | wrong priority
        P2 | just an action
        """
        let items = Postmortem.actionItems(text)
        #expect(items == [
            ActionItem(priority: "P2", owner: "db team", action: "add a lock timeout"),
            ActionItem(priority: "P1", owner: "proxy owners", action: "alert on 413 rate | page the on-call"),
            ActionItem(priority: "P3", owner: "platform", action: "document the body limit"),
            ActionItem(priority: "P4", owner: "docs", action: "link the runbook from the alert"),
            ActionItem(priority: "P2", owner: "ci", action: "lint nginx config before deploy"),
            ActionItem(priority: "", owner: "", action: "add a dashboard"),
            ActionItem(priority: "P3", owner: "", action: "nobody yet"),
            ActionItem(priority: "P9", owner: "team", action: "wrong priority"),
            ActionItem(priority: "P2", owner: "", action: "just an action"),
        ])
        #expect(items.map(\.isWellFormed) == [true, true, true, true, true, false, false, false, false])
    }

    static let goodPostmortem: [String: String] = [
        "summary": "Uploads over 1 MB failed for 5 minutes after a proxy config change.",
        "impact": "Finance could not attach scanned invoices.",
        "root_causes": "The proxy's body limit was lowered to 1m by a config change.\nNo check covered large uploads.",
        "trigger": "The deploy of the new proxy config.",
        "detection": "Support paged on-call after customer reports.",
        "resolution": "Raised client_max_body_size to 20m and reloaded nginx.",
        "timeline": "09:12 page\n09:17 mitigated",
        "action_items": "P2 | proxy owners | alert on the 413 rate\n- P3 | ci | test a 5 MB upload before deploy",
        "went_well": "The proxy log showed the 413s at once.",
        "went_wrong": "The deploy pipeline allowed a config change with no upload test.",
        "lucky": "It happened on a quiet morning.",
    ]

    @Test func aCompletePostmortemHasNoProblems() {
        #expect(Postmortem.problems(Self.goodPostmortem) == [])
        #expect(Postmortem.isComplete(Self.goodPostmortem))
    }

    @Test func problemsNameMissingSectionsAndMalformedItems() {
        var fields = Self.goodPostmortem
        fields["lucky"] = "  \n"
        fields["trigger"] = nil
        fields["action_items"] = "P2 | proxy owners | alert on the 413 rate\nP7 | | \nraise the limit"
        #expect(Postmortem.problems(fields) == [
            "Trigger: not written yet",
            "Where we got lucky: not written yet",
            "Action items, line 2: needs a priority P1 to P4 and an owner (\"P2 | db team | add a lock timeout\")",
            "Action items, line 3: needs a priority P1 to P4 and an owner (\"P2 | db team | add a lock timeout\")",
        ])
        #expect(!Postmortem.isComplete(fields))
        fields = Self.goodPostmortem
        fields["action_items"] = ""
        #expect(Postmortem.problems(fields) == ["Action items: at least one is needed (\"P2 | db team | add a lock timeout\")"])
    }

    @Test func blamingWordingMakesItIncomplete() {
        var fields = Self.goodPostmortem
        fields["went_wrong"] = "Bob forgot to test the upload."
        #expect(Postmortem.problems(fields) == [])
        #expect(!Postmortem.isComplete(fields))
    }
}

@Suite struct GameMarkdownExportTests {
    static let live = gameRunEvents.first { $0.kind == "live" }!.time
    static let mitigated = gameRunEvents.first { $0.kind == "mitigated" }!.time
    static let context = ExportContext(runID: "payload-too-large-7f3a", levelID: "payload-too-large",
                                       levelTitle: "Attachments that never arrive", player: "alice",
                                       liveAt: live, mitigatedAt: mitigated, timeZone: utc)
    static let timeline = Timeline.text(Timeline.entries(events: gameRunEvents), start: live, timeZone: utc)

    func golden(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Compares with the golden file; on a difference, writes the output next to it as `<name>.actual`.
    func compare(_ output: String, golden name: String) throws {
        let expected = try golden(name)
        if output != expected {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).actual")
            try? output.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(output == expected, "differs from Golden/\(name); the output is in Golden/\(name).actual")
    }

    var report: String {
        let questions = payloadTooLargeQuestions + [
            Question(id: "why", ask: "Why did small files still work?", kind: .text, answer: .pattern("(?i)(under|below|smaller).*(limit|1 ?m)")),
        ]
        let fields = [
            "title": "Uploads over 1 MB rejected by the proxy",
            "severity": "SEV2 major",
            "detected": "2026-11-18T11:06:40Z",
            "mitigated": "",
            "impact": "Every upload over 1 MB failed for five minutes.\nFinance could not attach scanned invoices.",
            "symptoms": "The upload form did nothing; the proxy logged 413 for POST /api/attachments.",
            "actions": "- Read the proxy's access log\n- Found client_max_body_size 1m\n- Raised it to 20m and reloaded nginx",
            "root_cause": "A config change lowered the proxy's body limit to 1m.",
            "q.status": "413",
            "q.limit": "10m",
            "q.instance": "",
            "q.why": "They were under the 1m limit.\nSo the proxy let them through.",
        ]
        let grades = Grading.grade(questions: questions, captured: ["status": "413", "limit": "1m"],
                                   given: IncidentReport.answers(fields), instances: ["frontend", "proxy", "backend", "db"])
        let level = LevelFacts(id: "payload-too-large", category: .http, difficulty: 1, par: 900, objectives: 3, questions: 4)
        let score = Scoring.score(level: level, events: gameRunEvents, grades: grades, reportSubmitted: true)
        return MarkdownExport.report(context: Self.context, fields: fields, grades: grades, score: score, timeline: Self.timeline)
    }

    @Test func theReportMatchesItsGolden() throws {
        try compare(report, golden: "report.md")
    }

    @Test func thePostmortemMatchesItsGolden() throws {
        var fields = GameDocumentTests.goodPostmortem
        fields["timeline"] = ""
        fields["went_wrong"] = "The pipeline allowed a config change with no upload test.\nBob forgot to check the proxy logs | twice."
        fields["lucky"] = ""
        fields["action_items"] = "P2 | proxy owners | alert on the 413 rate\n- P3 | ci | test a 5 MB upload before deploy\nraise the limit"
        let findings = Blameless.lint(Postmortem.lintFields(fields))
        let output = MarkdownExport.postmortem(context: Self.context, fields: fields, timeline: Self.timeline, findings: findings)
        try compare(output, golden: "postmortem.md")
    }

    @Test func emptyDocumentsSayNotWritten() {
        let bare = ExportContext(runID: "r", levelID: "tutorial", levelTitle: "The tutorial", player: "bob", timeZone: utc)
        let report = MarkdownExport.report(context: bare, fields: [:], grades: [], score: nil, timeline: "")
        #expect(report.hasPrefix("# Incident report: The tutorial\n"))
        #expect(report.contains("- **Detected:** not yet\n- **Mitigated:** not yet\n- **Duration:** unknown"))
        #expect(report.contains("## Impact\n\n_Not written._"))
        #expect(report.contains("## Timeline\n\n_Not written._"))
        #expect(report.contains("## Score\n\n_Not scored yet._"))
        let postmortem = MarkdownExport.postmortem(context: bare, fields: ["summary": "\n  One line.\nTwo."], timeline: "", findings: [])
        #expect(postmortem.hasPrefix("# Postmortem: One line.\n"))
        #expect(postmortem.contains("## Root cause\n\n_Not written._"))
        #expect(postmortem.contains("## Action items\n\n_Not written._"))
        #expect(!postmortem.contains("Blamelessness"))
    }

    @Test func durationsReadNaturally() {
        let start = Date(timeIntervalSince1970: 0)
        #expect(MarkdownExport.duration(from: start, to: start.addingTimeInterval(45)) == "45 s")
        #expect(MarkdownExport.duration(from: start, to: start.addingTimeInterval(750)) == "12 min 30 s")
        #expect(MarkdownExport.duration(from: start, to: start.addingTimeInterval(3900)) == "1 h 05 min")
        #expect(MarkdownExport.duration(from: start, to: nil) == "not mitigated")
        #expect(Timeline.day(start, timeZone: utc) == "1970-01-01 00:00 UTC")
        #expect(Timeline.day(start, timeZone: TimeZone(identifier: "America/New_York")!) == "1969-12-31 19:00 UTC-05:00")
    }
}
