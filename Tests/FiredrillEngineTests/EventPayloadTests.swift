import Foundation
import Testing
@testable import FiredrillEngine

/// Events' payloads in the run log (`events.jsonl`), and the details written before them.
@Suite struct EventPayloadTests {
    let store = RunStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-events-\(UUID().uuidString)"))
    let time = Date(timeIntervalSince1970: 1_795_000_000)

    func log(_ lines: [String]) throws -> [RunEvent] {
        try FileManager.default.createDirectory(at: store.directory(of: "r1"), withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: store.directory(of: "r1").appendingPathComponent("events.jsonl"),
                                                         atomically: true, encoding: .utf8)
        return store.events(of: "r1")
    }

    @Test func everyPayloadRoundTripsThroughTheRunLog() throws {
        let events = [
            RunEvent(time: time, kind: EventKind.verify, detail: "not solved 1/3 (passed: a)", payload: .verify(solved: false, passed: ["a"], total: 3)),
            RunEvent(time: time, kind: EventKind.verify, detail: "solved", payload: .verify(solved: true, passed: [], total: nil)),
            RunEvent(time: time, kind: EventKind.check, detail: "a failing", payload: .check(objective: "a", passed: false)),
            RunEvent(time: time, kind: EventKind.hint, detail: "hint 2 revealed", payload: .hint(number: 2)),
            RunEvent(time: time, kind: EventKind.shell, detail: "shell on db", payload: .shell(instance: "db", command: nil)),
            RunEvent(time: time, kind: EventKind.shell, detail: "on db: df -h", payload: .shell(instance: "db", command: "df -h")),
            RunEvent(time: time, kind: EventKind.command, detail: "workspace: ls", payload: .command(instance: "workspace", command: "ls")),
            RunEvent(time: time, kind: EventKind.costly, detail: "restart-db: Restarted", payload: .costly(fix: "restart-db", title: "Restarted")),
            RunEvent(time: time, kind: EventKind.unmitigated, detail: "a no longer holding", payload: .unmitigated(failing: ["a"])),
            RunEvent(time: time, kind: EventKind.live, detail: "fault live"),
        ]
        try FileManager.default.createDirectory(at: store.directory(of: "r1"), withIntermediateDirectories: true)
        for event in events { store.append(event, to: "r1") }
        #expect(store.events(of: "r1") == events)
    }

    /// A line written before payloads gets its payload from its detail; a line with a payload
    /// keeps it, whatever its detail says.
    @Test func aLineWithoutAPayloadStillDecodes() throws {
        let events = try log([
            #"{"detail":"not solved 2/3 (passed: a, b)","kind":"verify","time":"2026-11-18T10:13:20Z"}"#,
            #"{"detail":"fault live","kind":"live","time":"2026-11-18T10:13:20Z"}"#,
            #"{"detail":"anything","kind":"hint","payload":{"hint":{"number":3}},"time":"2026-11-18T10:13:20Z"}"#,
        ])
        #expect(events.map(\.payload) == [.verify(solved: false, passed: ["a", "b"], total: 3), nil, .hint(number: 3)])
        #expect(events.map(\.detail) == ["not solved 2/3 (passed: a, b)", "fault live", "anything"])
    }

    @Test func detailsWrittenBeforePayloadsAreRead() {
        let read = { (kind: String, detail: String) in EventPayload(kind: kind, legacyDetail: detail) }
        #expect(read("verify", "solved 3/3") == .verify(solved: true, passed: [], total: 3))
        #expect(read("verify", "not solved 1/3 (passed: a)") == .verify(solved: false, passed: ["a"], total: 3))
        #expect(read("verify", "not solved 0/3 (passed: )") == .verify(solved: false, passed: [], total: 3))
        #expect(read("verify", "solved") == .verify(solved: true, passed: [], total: nil))
        #expect(read("verify", "not solved (passed: a, b)") == .verify(solved: false, passed: ["a", "b"], total: nil))
        #expect(read("check", "backend-log passed") == .check(objective: "backend-log", passed: true))
        #expect(read("check", "disk failing") == .check(objective: "disk", passed: false))
        #expect(read("hint", "hint 12 revealed") == .hint(number: 12))
        #expect(read("command", "db: mysql -e 'a: b'") == .command(instance: "db", command: "mysql -e 'a: b'"))
        #expect(read("shell", "shell on proxy") == .shell(instance: "proxy", command: nil))
        #expect(read("shell", "on db: df -h") == .shell(instance: "db", command: "df -h"))
        #expect(read("costly", "restart-db: Restarted: all of it") == .costly(fix: "restart-db", title: "Restarted: all of it"))
        #expect(read("costly", "restart-db") == .costly(fix: "restart-db", title: ""))
        for (kind, detail) in [("check", "upload"), ("hint", "a hint"), ("command", "no instance here"), ("shell", "opened"),
                               ("live", "fault live"), ("verify-ish", "solved 1/1")] {
            #expect(read(kind, detail) == nil, "\(kind): \(detail)")
        }
    }

    @Test func theShellHistorySetsTheCommandsPayload() {
        let events = ShellHistory.parse("#1700000000\nnginx -t\n", source: "proxy")
        #expect(events.map(\.payload) == [.command(instance: "proxy", command: "nginx -t")])
    }
}
