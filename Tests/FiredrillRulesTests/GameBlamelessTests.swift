import Foundation
import Testing
@testable import FiredrillEngine
@testable import FiredrillRules

@Suite struct GameBlamelessTests {
    func findings(_ text: String) -> [BlamelessFinding] { Blameless.lint([(id: "root_causes", text: text)]) }

    static let blaming = [
        "The outage was caused by human error.",
        "It was Bob's fault that the index was dropped.",
        "Honestly it was the intern's mistake.",
        "We should not have to blame anyone, but ops blamed the DBA.",
        "A careless change to the proxy config.",
        "The migration was written by a lazy developer.",
        "That was sloppy work and an incompetent review.",
        "He should have known the limit was 1m.",
        "Alice forgot to raise the body limit.",
        "After the deploy, Dmitri failed to check the logs.",
        "Someone neglected the disk alerts for weeks.",
        "The new guy messed up the cron entry.",
        "she screwed up the migration",
        "The on-call didn't bother to look at the dashboard.",
        "- he broke the proxy on Friday",
        "Then Priya simply forgot the index.",
        "Only an idiot would run that in production.",
        "It was negligent to skip the review.",
        "It was my fault.",
    ]

    static let blameless = [
        "The migration failed to acquire the lock and timed out.",
        "The deploy broke the proxy: the new config had a 1m body limit.",
        "The app forgot nothing: the sessions survived the restart.",
        "Nginx failed to reload because the config did not parse.",
        "Replication broke after the primary restarted.",
        "MariaDB failed to start with a full disk.",
        "Cron neglected nothing; the job ran every minute as configured.",
        "Lazy loading of the invoice list made each page query the database.",
        "No one is to blame: the runbook did not mention the limit.",
        "This is a blameless postmortem.",
        "The check failed to catch the dropped index because it only tested page one.",
        "Backups forgot to rotate because logrotate was not installed.",
        "It was nobody's fault; the alert threshold was too high.",
        "The fault was live at 09:12 and the page fired at 09:14.",
        "Uploads failed to reach the backend.",
        "The engineer on call restored the limit and verified with a 5 MB upload.",
    ]

    @Test func blamingWordingIsFlagged() {
        for sentence in Self.blaming {
            let found = findings(sentence)
            #expect(!found.isEmpty, "not flagged: \(sentence)")
            #expect(found.allSatisfy { $0.message.contains("describe what the system allowed, not who did it") })
        }
    }

    @Test func systemsAsSubjectsAreNotFlagged() {
        for sentence in Self.blameless {
            #expect(findings(sentence).isEmpty, "flagged: \(sentence) → \(findings(sentence).map(\.message))")
        }
    }

    @Test func findingsNameTheFieldTheLineAndTheWording() {
        let result = Blameless.lint([
            (id: "summary", text: "Uploads failed for an hour."),
            (id: "went_wrong", text: "The alert was late.\n\nBob forgot to check the proxy logs.\nIt was human error."),
        ])
        #expect(result.count == 2)
        #expect(result[0] == BlamelessFinding(
            field: "went_wrong", line: 3, excerpt: "Bob forgot to check the proxy logs.",
            message: "\"Bob forgot\" puts the incident on a person: describe what the system allowed, not who did it (\"the deploy had no step that…\")."))
        #expect(result[1].line == 4)
        #expect(result[1].message.hasPrefix("\"human error\" ends the analysis"))
    }

    @Test func aLongLineIsExcerptedAroundTheWording() {
        let line = String(repeating: "the proxy answered 413 for every upload, ", count: 5) + "and then Bob forgot to look."
        let result = findings(line)
        #expect(result.count == 1)
        #expect(result[0].excerpt.hasPrefix("…"))
        #expect(result[0].excerpt.contains("Bob forgot"))
        #expect(result[0].excerpt.count <= 102)
    }

    @Test func severalFindingsOnOneLineComeInOrder() {
        let result = findings("A careless push, and then he broke the build; human error.")
        #expect(result.map(\.message).map { String($0.prefix(12)) } == ["\"careless\" j", "\"he broke\" p", "\"human error"])
    }
}
