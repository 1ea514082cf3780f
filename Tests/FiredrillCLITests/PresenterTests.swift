import FiredrillCLI
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine
@testable import FiredrillGame

/// What the command line prints, from fixed data, compared as text with Snapshots/.
@Suite struct PresenterTests {
    let scratch = ScratchDirectory()
    /// A fixed moment: snapshots never depend on the clock.
    static let live = Date(timeIntervalSince1970: 1_800_000_000)

    /// A two-instance scenario and a level of it, with a briefing of two paragraphs.
    func levelAndScenario() throws -> (Level, Scenario) {
        scratch.write("Scenarios/shop/scenario.yaml", """
        id: shop
        title: Shop
        compose: compose.yaml
        images: [{tag: shop/app, context: images/app}]
        instances:
          - {name: proxy, role: "nginx reverse proxy in front of the API (/etc/nginx/conf.d, /var/log/nginx)"}
          - {name: backend, role: "the API, Flask under gunicorn (/srv/app, /var/log/shop)"}
        ports: [{name: app, instance: proxy, env: FD_APP_PORT}, {name: api, instance: proxy, env: FD_API_PORT}]
        ready: {command: {instance: backend, run: "true"}}
        """)
        scratch.write("Scenarios/shop/compose.yaml", "services: {}\n")
        scratch.write("Levels/uploads/level.yaml", """
        id: uploads
        title: Attachments that never arrive
        scenario: shop
        category: http
        difficulty: 2
        par: 15m
        briefing: |
          PAGE from support, 09:12: "Customers say they pick a file in the attachment form,
          press Upload, and nothing happens."

          Find where the request goes and where it stops, restore uploads.
        objectives:
          - {id: upload, title: A 5 MB attachment uploads through the proxy, check: {command: {instance: proxy, run: "true"}}}
          - {id: logged, title: The upload reaches the backend and is logged there, check: {command: {instance: backend, run: "true"}}}
        """)
        let catalog = Catalog(root: scratch.url)
        return (try catalog.level("uploads"), try catalog.scenario("shop"))
    }

    func record(_ state: RunState) throws -> RunRecord {
        var record = RunRecord(id: "uploads-1d000c", level: "uploads", scenario: "shop",
                               project: Project(name: "firedrill-uploads-1d000c", directory: URL(fileURLWithPath: "/home/ana/.local/share/firedrill/runs/uploads-1d000c/workspace"),
                                                composeFile: "compose.yaml"),
                               state: .booting, ports: ["app": 33951, "api": 57063], createdAt: Self.live.addingTimeInterval(-40))
        if state != .booting { try record.move(to: .live, at: Self.live) }
        if state == .mitigated { try record.move(to: .mitigated, at: Self.live.addingTimeInterval(600)) }
        return record
    }

    @Test func briefing() throws {
        let (level, scenario) = try levelAndScenario()
        assertSnapshot(Briefing.text(level: level, scenario: scenario, record: try record(.live), bootSeconds: 38.46), named: "start")
    }

    @Test func status() throws {
        let instances = [InstanceStatus(name: "backend", container: "c1", running: true, state: "running"),
                         InstanceStatus(name: "proxy", container: "c2", running: false, state: "exited")]
        let runs = [RunStatus(try record(.mitigated), stage: "reported", instances: instances), RunStatus(try record(.booting), stage: "booting", instances: [])]
        assertSnapshot(RunStatus.text(runs, now: Self.live.addingTimeInterval(754)), named: "status")
        assertSnapshot(RunStatus.text([], now: Self.live), named: "status-none")
    }

    @Test func levels() throws {
        let (level, _) = try levelAndScenario()
        var tutorial = LevelRow(level)
        (tutorial.id, tutorial.title, tutorial.category, tutorial.difficulty, tutorial.par) = ("tutorial", "Your first incident", "app", 1, 600)
        assertSnapshot(LevelRow.table([tutorial, LevelRow(level)]), named: "levels")
    }

    func progress(certified: Bool) -> FiredrillGame.Progress {
        let requirements = [
            CertificationStatus.Requirement(title: "Pass a level in every category", met: certified, detail: certified ? "all five" : "missing: data, resources"),
            CertificationStatus.Requirement(title: "A postmortem approved by an instructor", met: certified, detail: "none approved yet"),
        ]
        return Progress(
            player: "ana",
            levels: [.init(level: "tutorial", category: "app", plays: 1, passed: true, bestScore: 1000),
                     .init(level: "uploads", category: "http", plays: 3, passed: true, bestScore: 1460),
                     .init(level: "missing-index", category: "data", plays: 1, passed: certified, bestScore: certified ? 870 : nil)],
            runs: [], totalScore: certified ? 3330 : 2460,
            certification: CertificationStatus(requirements: requirements, certified: certified,
                                               categories: ["app": true, "http": true, "data": certified, "resources": certified],
                                               earnedAt: certified ? Self.live : nil))
    }

    @Test func progressAndCertificate() {
        assertSnapshot(ProgressText.text(progress(certified: false)), named: "progress")
        assertSnapshot(ProgressText.text(progress(certified: true)), named: "progress-certified")
        assertSnapshot(CertificateText.notYet(progress(certified: false)), named: "certificate-not-yet")
        assertSnapshot(CertificateText.certificate(progress(certified: true), earned: Self.live), named: "certificate")
    }

    @Test func leaderboard() {
        let rows = [LeaderboardRow(player: "ana", score: 3330, passed: 3, certified: true), LeaderboardRow(player: "bob", score: 870, passed: 1, certified: false)]
        assertSnapshot(LeaderboardText.table(rows), named: "leaderboard")
        assertSnapshot(LeaderboardText.table([]), named: "leaderboard-empty")
    }

    @Test func review() {
        let rows = [ReviewRow(run: "uploads-1d000c", player: "ana", status: "submitted", submittedAt: Self.live, comment: nil),
                    ReviewRow(run: "missing-index-00ab12", player: "bob", status: "returned", submittedAt: Self.live.addingTimeInterval(3600), comment: "Say why the index went missing.")]
        assertSnapshot(ReviewRow.table(rows, all: true), named: "review")
        assertSnapshot(ReviewRow.table([], all: false), named: "review-none")
    }

    @Test func check() {
        let objectives = [ObjectiveResult(id: "upload", title: "A 5 MB attachment uploads through the proxy", passed: true, detail: "POST /api/attachments: 201 in 84 ms", deferred: false),
                          ObjectiveResult(id: "logged", title: "The upload reaches the backend and is logged there", passed: false,
                                          detail: "`grep -q POST /var/log/shop/access.log` on backend: exit 1, expected 0", deferred: false),
                          ObjectiveResult(id: "valid", title: "The proxy's configuration is valid as loaded", passed: false, detail: "checked on verify (restart proxy)", deferred: true)]
        var report = CheckReport(run: "uploads-1d000c", level: "uploads", verified: false, solved: false, mitigated: false, objectives: objectives)
        assertSnapshot(CheckText.text(report, verify: false), named: "check")
        report.objectives[1].passed = true
        report.objectives[1].detail = "`grep -q POST /var/log/shop/access.log` on backend: ok"
        report.mitigated = true
        assertSnapshot(CheckText.text(report, verify: false), named: "check-mitigated")
        report.objectives[2] = ObjectiveResult(id: "valid", title: "The proxy's configuration is valid as loaded", passed: true,
                                               detail: "after restart proxy: `nginx -t` on proxy: ok", deferred: false)
        report.solved = true
        assertSnapshot(CheckText.text(report, verify: true), named: "check-solved")
    }

    @Test func durations() {
        #expect([45, 900, 750, 3900].map { formatDuration(Double($0)) } == ["45s", "15m", "12m30s", "1h5m"])
    }
}
