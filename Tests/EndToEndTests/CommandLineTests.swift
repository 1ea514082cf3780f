import Foundation
import Testing
import FiredrillEngine
import FiredrillTestSupport

extension EndToEnd {
/// The CLI as a trainee uses it, on the real engine.
@Suite struct CommandLineTests {
    struct Started: Decodable {
        var run, level, workspace: String
        var urls: [String: String]
        var instances: [String]
    }

    struct Checked: Decodable {
        struct Objective: Decodable { var id: String; var passed: Bool; var detail: String }
        var solved: Bool
        var objectives: [Objective]
    }

    @Test func startShellCheckStop() throws {
        let start = try firedrill(["start", "payload-too-large", "--json"])
        #expect(start.status == 0, "\(start.stderr)")
        let run = try decode(Started.self, start.stdout)
        #expect(run.level == "payload-too-large")
        #expect(run.instances == ["frontend", "proxy", "backend", "db"])
        #expect(run.urls["app"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(run.urls["api"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(run.urls["app"] != run.urls["api"])
        #expect(FileManager.default.fileExists(atPath: run.workspace + "/compose.yaml"))

        // The app answers through the proxy, and the fault is in the config the trainee can read.
        let health = try ProcessRunner.run(["curl", "-s", run.urls["api"]! + "/api/health"], timeout: 30)
        #expect(health.stdout.contains("\"db\":\"connected\""))
        let config = try firedrill(["shell", "proxy", "--run", run.run, "--", "grep", "client_max_body_size", "/etc/nginx/conf.d/billing.conf"])
        // The limit the run drew, not the scenario's own 20m.
        #expect(config.stdout.range(of: #"client_max_body_size \d+[km];"#, options: .regularExpression) != nil, "\(config.stdout)")
        #expect(!config.stdout.contains("client_max_body_size 20m;"))
        let missing = try firedrill(["shell", "nowhere", "--run", run.run, "--", "true"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no instance 'nowhere'"))

        let check = try firedrill(["check", "--run", run.run, "--json"])
        let result = try decode(Checked.self, check.stdout)
        #expect(!result.solved)
        #expect(result.objectives.first { $0.id == "upload-works" }?.detail.contains("413") == true)

        let status = try firedrill(["status", "--json"])
        #expect(status.stdout.contains(run.run))

        let stop = try firedrill(["stop", "--run", run.run])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try leftovers(project: "firedrill-" + run.run).isEmpty)
        let after = try firedrill(["check", "--run", run.run])
        #expect(after.status != 0 || after.stdout.contains("Not solved"))
    }

    @Test func dockerStoppedIsSaidPlainly() throws {
        let output = try firedrill(["start", "payload-too-large"], environment: ["DOCKER_HOST": "unix:///nonexistent/docker.sock"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("the Docker daemon does not answer"))
        #expect(output.stderr.contains("make docker"))
    }

    @Test func dockerMissingIsSaidPlainly() throws {
        let output = try firedrill(["start", "payload-too-large"], environment: ["PATH": "/nonexistent"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("Docker is not installed"))
    }

    @Test func aClassDatabaseIsUsedWhenNamedAndItsFailuresAreOneLine() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let used = try firedrill(["progress"], environment: ["FIREDRILL_DATABASE_URL": cluster.url(database: database), "FIREDRILL_PLAYER": "ada"])
        #expect(used.status == 0, "\(used.stderr)")
        #expect(try cluster.psql("SELECT count(*) FROM firedrill_migration", database: database) == "5")
        let refused = try firedrill(["progress"], environment: ["FIREDRILL_DATABASE_URL": cluster.url(database: database, password: "wrong")])
        #expect(refused.status != 0)
        #expect(refused.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("the class database cannot be reached: "), "\(refused.stderr)")
        #expect(refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
    }

    @Test func aClassServerDownAtStartLeavesTheWritesWaitingUntilItIsBack() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let home = testHome.appendingPathComponent("outbox-\(database)").path
        // The class's server is away: nothing listens where the class database was.
        let portAway = try PortAllocator.freePorts(1)[0]
        let away = url.replacingOccurrences(of: ":\(cluster.port)/", with: ":\(portAway)/")
        try cluster.psql("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        let down = try firedrill(["status"], environment: ["FIREDRILL_DATABASE_URL": url, "FIREDRILL_PLAYER": "ada", "FIREDRILL_HOME": home])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout.contains("class offline, 1 waiting (the class database cannot be reached: "), "\(down.stdout)")
        let nowhere = try firedrill(["status"], environment: ["FIREDRILL_DATABASE_URL": away, "FIREDRILL_PLAYER": "ada", "FIREDRILL_HOME": home])
        #expect(nowhere.stdout.contains("class offline, 1 waiting"), "\(nowhere.stdout)")
        try cluster.psql("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        let back = try firedrill(["status"], environment: ["FIREDRILL_DATABASE_URL": url, "FIREDRILL_PLAYER": "bob", "FIREDRILL_HOME": home])
        #expect(back.stdout.contains("class database: everything sent"), "\(back.stdout)")
        #expect(try cluster.psql("SELECT string_agg(name, ',' ORDER BY name) FROM player", database: database) == "ada,bob")
    }

    @Test func anInstructorSetsUpAClassAndATraineesLoginSeesOnlyTheirOwn() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let instructor = ["FIREDRILL_DATABASE_URL": cluster.url(database: database)]
        let set = try firedrill(["class", "init"], environment: instructor)
        #expect(set.status == 0, "\(set.stderr)")
        let name = "zoe_" + database.suffix(6)
        let added = try firedrill(["class", "add", name], environment: instructor)
        #expect(added.status == 0, "\(added.stderr)")
        let url = try #require(added.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces))
        #expect(url.hasPrefix("postgresql://\(name):"))
        #expect(try firedrill(["class", "list"], environment: instructor).stdout == "\(name)\n")
        // The trainee's login reads the class database, and cannot add trainees.
        let mine = try firedrill(["progress"], environment: ["FIREDRILL_DATABASE_URL": url, "FIREDRILL_PLAYER": name])
        #expect(mine.status == 0, "\(mine.stderr)")
        let refused = try firedrill(["class", "add", "eve"], environment: ["FIREDRILL_DATABASE_URL": url])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("42501"), "\(refused.stderr)")
        let badName = try firedrill(["class", "add", "Robert'); DROP TABLE run;--"], environment: instructor)
        #expect(badName.status != 0)
        #expect(badName.stderr.contains("a trainee's name is lowercase letters, digits and _"), "\(badName.stderr)")
    }

    @Test func lintNamesFileLineAndField() throws {
        let folder = testHome.appendingPathComponent("broken-levels/payload-too-large")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try String(contentsOf: repositoryRoot.appendingPathComponent("Levels/payload-too-large/level.yaml"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: "difficulty: 1", with: "dificulty: 1")
        try broken.write(to: folder.appendingPathComponent("level.yaml"), atomically: true, encoding: .utf8)
        let output = try firedrill(["lint", folder.path])
        #expect(output.status == 1)
        let line = broken.components(separatedBy: "\n").firstIndex { $0.hasPrefix("dificulty") }! + 1
        #expect(output.stdout.contains("\(folder.path)/level.yaml:\(line): dificulty: unknown field (did you mean 'difficulty'?)"))
        #expect(output.stdout.contains("level.yaml:1: difficulty: missing required field"))
        let clean = try firedrill(["lint"])
        #expect(clean.status == 0, "\(clean.stdout)")
    }
}
}
