import FiredrillConsole
import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

/// The folder of this file: fixtures live beside the tests.
let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

func fixture(_ name: String) throws -> String {
    try String(contentsOf: testsFolder.appendingPathComponent("Fixtures").appendingPathComponent(name), encoding: .utf8)
}

/// Compares text with `Snapshots/NAME.txt` beside the calling test (see FiredrillTestSupport).
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    FiredrillTestSupport.assertSnapshot(text, named: name, sourceLocation: sourceLocation)
}

/// A fixed moment: snapshots never depend on the clock.
let fixedLive = Date(timeIntervalSince1970: 1_800_000_000)

/// The console's state for a run of payload-too-large, 3 min 12 s in, one objective passing.
func sampleModel(theme: Theme = .standard(), glyphs: Glyphs = .unicode) -> ConsoleModel {
    let briefing = BriefingInfo(
        levelID: "payload-too-large", title: "Attachments that never arrive", category: "http", difficulty: 1, par: 900,
        text: BriefingInfo.reflow("""
            PAGE from support, 09:12: "Customers say they pick a file in the attachment form,
            press Upload, and nothing happens. Finance needs scanned invoices (a few MB each) today."

            Find where the request goes and where it stops, restore uploads, and write down what you saw.
            """),
        links: [.init(name: "app", url: "http://127.0.0.1:33951", instance: "frontend"),
                .init(name: "api", url: "http://127.0.0.1:57063", instance: "proxy")],
        instances: [.init(name: "frontend", role: "nginx serving the single-page app (/etc/nginx, /var/www/billing)"),
                    .init(name: "proxy", role: "nginx reverse proxy in front of the API (/etc/nginx/conf.d, /var/log/nginx)"),
                    .init(name: "backend", role: "the API, Flask under gunicorn (/srv/app, /var/log/billing)"),
                    .init(name: "db", role: "MariaDB with the billing database (mysql client)")],
        workspace: "/root/.local/share/firedrill/runs/payload-too-large-1d000c/workspace",
        hints: ["Follow one upload: browser, frontend, proxy, backend. Which log has it?", "The proxy answers 413 itself.", "client_max_body_size"],
        questions: [("status", "What HTTP status did the proxy log for the failed uploads?"), ("instance", "Which instance rejected the uploads?")])
    var model = ConsoleModel(
        runID: "payload-too-large-1d000c", runState: .live, briefing: briefing,
        objectives: [ObjectiveRow(id: "upload", title: "A 5 MB attachment uploads through the proxy", status: .failed, detail: "POST /api/attachments: status 413, expected 200 or 201"),
                     ObjectiveRow(id: "logged", title: "The upload reaches the backend and is logged there", status: .passed),
                     ObjectiveRow(id: "valid", title: "The proxy's configuration is valid as loaded", status: .deferred, detail: "checked on verify")],
        hintsRevealed: 1, liveAt: fixedLive, now: fixedLive.addingTimeInterval(192), theme: theme)
    model.theme.glyphs = glyphs
    model.docker = .reachable
    var host = HostHealth()
    host.cpuCount = 2
    for (index, value) in [5.0, 12, 30, 64, 80, 95, 40, 20].enumerated() {
        host.record(HostSample(cpu: CPUTimes(busy: UInt64(index) * 1000, idle: 0), cpuCount: 2, load: [0.52, 0.40, 0.31],
                               memoryTotal: 24 << 30, memoryAvailable: UInt64(22 << 30) - UInt64(value) * (1 << 24),
                               diskTotal: 250 << 30, diskAvailable: 70 << 30))
        host.cpuHistory = History(values: Array([5.0, 12, 30, 64, 80, 95, 40, 20].prefix(index + 1)))
        host.cpuPercent = value
    }
    model.host = host
    let figures: [(String, Double, UInt64, UInt64, Int)] = [("frontend", 0.1, 3 << 20, 128 << 20, 3), ("proxy", 2.5, 5 << 20, 128 << 20, 4),
                                                           ("backend", 45, 400 << 20, 512 << 20, 9), ("db", 98, 300 << 20, 1 << 30, 31)]
    model.instances = figures.map { name, cpu, memory, limit, pids in
        var health = InstanceHealth(name: name, state: "running", running: true)
        health.cpuPercent = cpu
        health.memoryUsed = memory
        health.memoryLimit = limit
        health.pids = pids
        health.pidsLimit = 256
        health.networkRate = (2048, 1024)
        health.cpuHistory = History(values: [cpu / 4, cpu / 2, cpu, cpu])
        health.memoryHistory = History(values: [10, 20, Double(memory) / Double(limit) * 100])
        return health
    }
    model.shell.target = "proxy"
    model.shell.status = .running
    model.report.set("title", "Uploads over 1 MB rejected by the proxy")
    model.report.set("impact", "Customers could not attach scanned invoices for about an hour.")
    return model
}

func sampleShell(rows: Int = 20, columns: Int = 80) -> TextShellScreen {
    TextShellScreen(lines: ["root@proxy:/# grep -n client_max /etc/nginx/conf.d/*", "18:    client_max_body_size 1m;", "root@proxy:/# "],
                    rows: rows, columns: columns, cursor: (2, 14))
}
