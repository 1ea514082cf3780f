import FiredrillEngine
import Foundation
import Testing

/// Debian's Chromium, headless, driven through Debian's chromedriver: W3C WebDriver, JSON over
/// HTTP on a local port, spoken here with curl. One browser per test; `quit()` ends the
/// browser and the driver.
final class Browser {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let chromium = ProcessInfo.processInfo.environment["FIREDRILL_CHROMIUM"] ?? "/usr/bin/chromium"
    static let chromedriver = ProcessInfo.processInfo.environment["FIREDRILL_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"

    private let driver: pid_t
    private let endpoint: String
    private let session: String

    /// Starts chromedriver on a port of its choosing and opens a headless Chromium session.
    /// Fails (never skips) when either is missing: `make test` installs both
    /// (`scripts/setup.sh browser`).
    init() throws {
        for path in [Self.chromium, Self.chromedriver] where !FileManager.default.isExecutableFile(atPath: path) {
            throw Failure(description: "\(path) is missing: the browser tests need Debian's chromium and chromium-driver (make test installs them: scripts/setup.sh browser)")
        }
        let log = testHome.appendingPathComponent("chromedriver-\(UUID().uuidString.prefix(8)).log")
        driver = try spawn(["/bin/sh", "-c", "exec '\(Self.chromedriver)' --port=0 >'\(log.path)' 2>&1 </dev/null"])
        var port: String?
        let deadline = Date().addingTimeInterval(20)
        while port == nil, Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            port = text.firstMatch(of: /started successfully on port (\d+)/).map { String($0.1) }
            if port == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let port else {
            kill(driver, SIGKILL)
            var status: Int32 = 0
            waitpid(driver, &status, 0)
            throw Failure(description: "chromedriver did not start within 20 s: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        endpoint = "http://127.0.0.1:\(port)"
        let options: [String: Any] = [
            "binary": Self.chromium,
            // --no-sandbox: the tests run as root. The window is a laptop's.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"],
        ]
        let capabilities: [String: Any] = ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]
        do {
            let created = try Self.send(endpoint, "POST", "/session", ["capabilities": capabilities]) as? [String: Any]
            guard let id = created?["sessionId"] as? String else { throw Failure(description: "no session id in \(String(describing: created))") }
            session = id
        } catch {
            Self.end(driver)
            throw error
        }
    }

    deinit { quit() }

    private var ended = false

    /// Closes the browser, then stops the driver.
    func quit() {
        guard !ended else { return }
        ended = true
        _ = try? Self.send(endpoint, "DELETE", "/session/\(session)", nil)
        Self.end(driver)
    }

    /// SIGTERM, then SIGKILL when the driver is still there 5 s later; reaped either way.
    private static func end(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(5)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    // MARK: - Commands

    /// Loads `url` and waits for the page's load event (WebDriver's default strategy).
    func open(_ url: String) throws {
        try command("POST", "/url", ["url": url])
    }

    /// Runs `script` as the body of a function in the page (`arguments` holds `args`); returns
    /// what it returns, as JSON values.
    @discardableResult
    func run(_ script: String, _ args: [Any] = []) throws -> Any? {
        try command("POST", "/execute/sync", ["script": script, "args": args])
    }

    /// The first element matching a CSS selector.
    func element(_ selector: String) throws -> String {
        let found = try command("POST", "/element", ["using": "css selector", "value": selector]) as? [String: Any]
        guard let id = found?.values.first as? String else { throw Failure(description: "no element \(selector)") }
        return id
    }

    /// Types into an element as a user would (for a file input: the path of the file to pick).
    func type(_ text: String, into selector: String) throws {
        try command("POST", "/element/\(try element(selector))/value", ["text": text])
    }

    func click(_ selector: String) throws {
        try command("POST", "/element/\(try element(selector))/click", [:])
    }

    /// Runs `script` until it returns something other than null or false, and returns that.
    @discardableResult
    func waitFor(_ what: String, _ script: String, _ args: [Any] = [], timeout: Double = 30) throws -> Any {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let value = try run(script, args)
            if let value, !(value is NSNull), (value as? Bool) != false { return value }
            if Date() > deadline {
                let page = (try? run("return document.body.innerText") as? String) ?? ""
                throw Failure(description: "timed out after \(Int(timeout)) s waiting for \(what); the page reads:\n\(page)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// What the browser's console logged since the last call (CORS refusals, failed loads).
    func consoleLog() -> [String] {
        let entries = (try? command("POST", "/se/log", ["type": "browser"])) as? [[String: Any]] ?? []
        return entries.compactMap { $0["message"] as? String }
    }

    @discardableResult
    private func command(_ method: String, _ path: String, _ body: [String: Any]?) throws -> Any? {
        try Self.send(endpoint, method, "/session/\(session)" + path, body)
    }

    // MARK: - The wire

    /// One WebDriver request; returns the answer's `value`, or throws the driver's error. curl
    /// carries it: URLSession on Linux failed on chromedriver's answers ("Failed writing header").
    private static func send(_ endpoint: String, _ method: String, _ path: String, _ body: [String: Any]?) throws -> Any? {
        var arguments = ["curl", "-sS", "-m", "120", "-X", method, endpoint + path]
        var input: String?
        if let body {
            input = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        }
        let output = try ProcessRunner.run(arguments, input: input, timeout: 130)
        guard output.succeeded else { throw Failure(description: "WebDriver \(method) \(path): curl exited \(output.status): \(output.stderr)") }
        let answer = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8), options: [.fragmentsAllowed]) as? [String: Any]
        let value = answer?["value"]
        if let failure = value as? [String: Any], let error = failure["error"] as? String {
            throw Failure(description: "WebDriver \(method) \(path): \(error): \(failure["message"] as? String ?? "")")
        }
        return value
    }
}
