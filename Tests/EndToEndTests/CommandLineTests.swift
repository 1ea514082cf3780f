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
        let which = try firedrill(["shell", "--run", run.run])
        #expect(which.status != 0)
        #expect(run.instances.allSatisfy { which.stdout.contains("\n  \($0) ") }, "\(which.stdout)")

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
        #expect(try cluster.psql("SELECT count(*) FROM firedrill_migration", database: database) == "7")
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

    @Test func aTraineeJoinsTheClassThatAssignsTheirLevelAndGradesTheirReport() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let instructor = ["FIREDRILL_DATABASE_URL": cluster.url(database: database)]
        #expect(try firedrill(["class", "init"], environment: instructor).status == 0)
        let name = "yan_" + database.suffix(6)
        let added = try firedrill(["class", "add", name], environment: instructor)
        let url = try #require(added.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces))
        let config = testHome.appendingPathComponent("config-\(name)")
        let trainee = ["FIREDRILL_CONFIG_HOME": config.path]

        // Each wrong URL is one line, and nothing is saved.
        let wrongPassword = url.replacingOccurrences(of: "@", with: "x@")
        for (bad, says) in [("postgresql://\(name)@127.0.0.1:99999999/db", "invalid port number"),
                            ("postgres://\(name)@127.0.0.1:1/\(database)", "the class database cannot be reached"),
                            (wrongPassword, "password authentication failed"),
                            (cluster.url(database: database), "is not a trainee of the class")] {
            let refused = try firedrill(["class", "join", bad], environment: trainee)
            #expect(refused.status != 0)
            #expect(refused.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains(says), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: config.path))

        let joined = try firedrill(["class", "join", url], environment: trainee)
        #expect(joined.status == 0, "\(joined.stderr)")
        #expect(joined.stdout.contains("firedrill play"))
        let file = config.appendingPathComponent("class.url")
        #expect(try String(contentsOf: file, encoding: .utf8) == url + "\n")
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: config.path)[.posixPermissions] as? Int == 0o700)

        // The joined class is the game's database: the player is the login, the level the class's.
        let unassigned = try firedrill(["start"], environment: trainee)
        #expect(unassigned.stderr.contains("no level is assigned to \(name) yet"), "\(unassigned.stderr)")
        let assigned = try firedrill(["class", "assign", "payload-too-large", "--seed", "5"], environment: instructor)
        #expect(assigned.stdout == "\(name): payload-too-large, seed 5\n", "\(assigned.stderr)")
        for (arguments, says) in [(["start", "--seed", "6"], "the seed is the one assigned (5)"),
                                  (["start", "disk-full"], "your level is payload-too-large"),
                                  (["progress", "--player", "bob"], "in a class you play as your login, \(name)")] {
            let refused = try firedrill(arguments, environment: trainee)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(says), "\(arguments): \(refused.stderr)")
        }

        // A report submitted ungraded, as a trainee's game leaves it, is graded by the instructor.
        #expect(try firedrill(["class", "grade"], environment: instructor).stdout == "Nothing to grade.\n")
        var sealed = SealedAnswers(salt: "00")
        sealed.seal("413", question: "proxy-status")
        let expected = String(decoding: try JSONEncoder().encode(sealed), as: UTF8.self)
        _ = try cluster.psql("""
            INSERT INTO run (id, player, level, category, difficulty, seed, state, created_at, live_at)
                VALUES ('run-1', '\(name)', 'payload-too-large', 'http', 1, 5, 'live', 0, 1);
            INSERT INTO expected_answer VALUES ('run-1', '\(expected)', '{}', 1);
            INSERT INTO report_attempt VALUES ('run-1', 1, 2, '{"q.proxy-status": "413"}', NULL);
            INSERT INTO submission (run, document, status, submitted_at) VALUES ('run-1', 'report', 'submitted', 2);
            """, database: database)
        let graded = try firedrill(["class", "grade"], environment: instructor)
        #expect(graded.stdout == "Graded 1: run-1.\n", "\(graded.stderr)")
        let grades = try cluster.psql("SELECT grades FROM report_attempt WHERE run = 'run-1'", database: database)
        #expect(grades.contains(#""correct":true,"given":"413","id":"proxy-status""#), "\(grades)")
        #expect(try cluster.psql("SELECT count(*) FROM score WHERE run = 'run-1'", database: database) == "1")

        #expect(try firedrill(["class", "leave"], environment: trainee).status == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
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
