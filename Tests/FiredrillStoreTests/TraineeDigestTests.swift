import FiredrillEngine
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillPostgres

/// A class of three written through the store: ada mid-level, bob reported, cem never played.
func writeClass(_ store: any GameStore) throws {
    try store.ensurePlayer("cem")
    var old = sampleRun("a0", player: "ada", createdAt: at(0))
    old.state = "stopped"
    try store.upsertRun(old)
    var ada = sampleRun("a1", player: "ada", createdAt: at(10))
    ada.state = "live"
    ada.liveAt = at(20)
    ada.hintsRevealed = 2
    try store.upsertRun(ada)
    try store.append([RunEvent(time: at(20), kind: EventKind.live, detail: "fault live"),
                      RunEvent(time: at(30), kind: EventKind.check, detail: "upload passed", payload: .check(objective: "upload", passed: true)),
                      RunEvent(time: at(31), kind: EventKind.command, detail: "proxy: nginx -t", payload: .command(instance: "proxy", command: "nginx -t")),
                      RunEvent(time: at(32), kind: EventKind.command, detail: "proxy: nginx -s reload", payload: .command(instance: "proxy", command: "nginx -s reload")),
                      RunEvent(time: at(33), kind: EventKind.hint, detail: "hint 1 revealed")], run: "a1")
    try store.saveField(run: "a1", level: "payload-too-large", document: .report, field: "title", value: "Uploads rejected")
    try store.saveField(run: "a1", level: "payload-too-large", document: .report, field: "impact", value: "")
    var bob = sampleRun("b1", player: "bob", createdAt: at(5))
    bob.state = "mitigated"
    bob.liveAt = at(6)
    bob.mitigatedAt = at(400)
    try store.upsertRun(bob)
    try store.append([RunEvent(time: at(300), kind: EventKind.verify, detail: "solved 3/3",
                               payload: .verify(solved: true, passed: ["upload", "logged", "valid"], total: 3))], run: "b1")
    try store.saveField(run: "b1", level: "payload-too-large", document: .postmortem, field: "summary", value: "The proxy's limit")
    try store.submit(run: "b1", document: .report, at: at(500))
}

@Suite struct TraineeDigests {
    @Test(arguments: StoreKind.allCases) func everyPlayerWithTheirLatestRunAndWhatShowsItsProgress(_ kind: StoreKind) throws {
        let store = try kind.store()
        try writeClass(store)
        let digests = try store.traineeDigests()
        #expect(digests.map(\.player) == ["ada", "bob", "cem"])
        let ada = digests[0], bob = digests[1]
        #expect(ada.run?.id == "a1")
        #expect(ada.objectiveEvents.map(\.detail) == ["upload passed"])
        #expect(ada.lastCommand?.detail == "proxy: nginx -s reload")
        #expect(ada.submissions.isEmpty)
        #expect(ada.filled[.report] == 1)
        #expect(bob.objectiveEvents.map(\.kind) == [EventKind.verify])
        #expect(bob.submissions[.report]?.status == .submitted)
        #expect(bob.filled[.postmortem] == 1)
        #expect(digests[2] == TraineeDigest(player: "cem"))
        #expect(try store.traineeDigestsReadByRead() == digests)
    }

    /// PostgreSQL's five queries read what the protocol's reads do, for a class of 30, faster.
    @Test func postgresReadsAClassOfThirtyInFiveQueries() throws {
        let store = try PostgresStore(url: PostgresCluster.shared().database())
        for index in 0..<30 {
            let player = "trainee\(index)"
            var run = sampleRun("r\(index)", player: player, createdAt: at(Double(index)))
            run.state = "live"
            run.liveAt = at(100)
            try store.upsertRun(run)
            try store.append((0..<60).map { second in
                second % 10 == 0 ? RunEvent(time: at(200 + Double(second)), kind: EventKind.check, detail: "upload \(second % 20 == 0 ? "passed" : "failing")")
                    : RunEvent(time: at(200 + Double(second)), kind: EventKind.command, detail: "proxy: ls \(second)")
            }, run: run.id)
            try store.saveField(run: run.id, level: run.level, document: .report, field: "title", value: "t\(index)")
        }
        func best(_ read: () throws -> [TraineeDigest]) throws -> (Double, [TraineeDigest]) {
            var fastest = Double.infinity, digests: [TraineeDigest] = []
            for _ in 0..<5 {
                let start = Date()
                digests = try read()
                fastest = min(fastest, Date().timeIntervalSince(start))
            }
            return (fastest, digests)
        }
        let (fewQueries, digests) = try best { try store.readTraineeDigests() }
        let (readByRead, same) = try best { try store.traineeDigestsReadByRead() }
        #expect(digests == same)
        #expect(digests.count == 30)
        print("class of 30: \(Int(fewQueries * 1000)) ms in five queries, \(Int(readByRead * 1000)) ms read by read")
        #expect(fewQueries < readByRead)
    }
}

/// The dashboard's reads through PostgreSQL's roles: the instructor sees both trainees' runs as
/// their own logins wrote them; a trainee's login reads only their own digest.
@Suite struct TraineeDigestsOfAClass {
    @Test func theInstructorSeesEveryTraineeAndATraineeOnlyThemselves() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let roles = try ClassRoles(url: cluster.url(database: database))
        try roles.initialize()
        let suffix = String(database.suffix(6))
        let (adaName, bobName) = ("ada_\(suffix)", "bob_\(suffix)")
        let ada = try PostgresStore(url: cluster.url(database: database, user: adaName, password: try roles.addTrainee(adaName)))
        let bob = try PostgresStore(url: cluster.url(database: database, user: bobName, password: try roles.addTrainee(bobName)))
        let instructor = try PostgresStore(url: cluster.url(database: database))
        try instructor.assign(level: "payload-too-large", seed: 42, to: [adaName, bobName], at: at(0))
        try ada.upsertRun(sampleRun("a1", player: adaName))
        try bob.upsertRun(sampleRun("b1", player: bobName))
        try bob.append(RunEvent(time: at(1), kind: EventKind.check, detail: "upload passed", payload: .check(objective: "upload", passed: true)), run: "b1")
        try bob.saveField(run: "b1", level: "payload-too-large", document: .postmortem, field: "summary", value: "bob's")

        let all = try instructor.traineeDigests()
        #expect(all.map(\.player) == [adaName, bobName])
        #expect(all.map { $0.run?.id } == ["a1", "b1"])
        #expect(all[1].objectiveEvents.map(\.detail) == ["upload passed"])
        #expect(all[1].filled[.postmortem] == 1)
        let own = try ada.traineeDigests()
        #expect(own.map(\.player) == [adaName])
        #expect(own.first?.run?.id == "a1")
    }
}
