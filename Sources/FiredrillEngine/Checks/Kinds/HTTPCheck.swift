import Foundation

/// An HTTP request to one of the run's published ports, as a browser or a client would send it.
public struct HTTPCheck: Sendable, Equatable {
    /// A named port of the scenario (`app`, `api`); the request goes to 127.0.0.1 on it.
    public var port: String?
    /// Run the request from inside this instance instead of from the host (with `url`).
    public var instance: String?
    /// A full URL, used from inside `instance`.
    public var url: String?
    public var path: String = "/"
    public var method: String = "GET"
    public var headers: [String: String] = [:]
    public var body: String?
    /// Upload a generated file of this many bytes as multipart field `file`.
    public var upload: Int?
    public var status: [Int] = [200]
    /// The median time of the samples must stay under this many seconds.
    public var latency: Double?
    public var samples: Int = 1
    /// Regular expressions the response body must match / must not match.
    public var bodyMatches: String?
    public var bodyExcludes: String?
    /// Response headers that must be present and match a regular expression.
    public var responseHeaders: [String: String] = [:]
    /// Response headers that must be absent.
    public var absentHeaders: [String] = []
    public var timeout: Double = 30
}

extension HTTPCheck: ParsedCheckKind {
    static let key = "http"

    public var instances: [String] { instance.map { [$0] } ?? [] }
    public var ports: [String] { port.map { [$0] } ?? [] }

    static func parse(_ value: YAMLReader.Value) -> HTTPCheck? {
        guard let f = value.mapping(["port", "instance", "url", "path", "method", "headers", "body", "upload",
                                     "status", "latency", "samples", "body_matches", "body_excludes",
                                     "response_headers", "absent_headers", "timeout"]) else { return nil }
        var check = HTTPCheck()
        check.port = f["port"]?.string()
        check.instance = f["instance"]?.string()
        check.url = f["url"]?.string()
        if check.port == nil, check.url == nil { value.error("an http check needs 'port' (a named port of the scenario) or 'url'") }
        if check.port != nil, check.url != nil { value.error("an http check takes 'port' or 'url', not both") }
        if check.url != nil, check.instance == nil { value.error("'url' is requested from inside an instance: add 'instance'") }
        if let path = f["path"]?.string() {
            if !path.hasPrefix("/") { f["path"]?.error("must start with /") }
            check.path = path
        }
        if let method = f["method"]?.oneOf(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) { check.method = method }
        check.headers = f["headers"]?.stringMap() ?? [:]
        check.body = f["body"]?.string()
        check.upload = f["upload"]?.size()
        if check.body != nil, check.upload != nil { value.error("an http check takes 'body' or 'upload', not both") }
        if let status = f["status"] {
            if case .sequence = status.node {
                check.status = status.sequence()?.compactMap { $0.int(in: 100...599) } ?? []
            } else if let code = status.int(in: 100...599) {
                check.status = [code]
            }
        }
        check.latency = f["latency"]?.duration()
        check.samples = f["samples"]?.int(in: 1...50) ?? 1
        check.bodyMatches = f["body_matches"]?.regex()
        check.bodyExcludes = f["body_excludes"]?.regex()
        check.responseHeaders = f["response_headers"]?.stringMap() ?? [:]
        check.absentHeaders = f["absent_headers"]?.strings() ?? []
        check.timeout = f["timeout"]?.duration() ?? 30
        return check
    }

    public func evaluate(in context: CheckContext) throws -> CheckResult {
        let url: String
        if let name = port {
            guard let port = context.ports[name] else { return .error("the run has no port '\(name)'") }
            url = "http://127.0.0.1:\(port)\(path)"
        } else {
            url = self.url ?? ""
        }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body,
                                  upload: upload, timeout: timeout)
        var responses: [HTTPResponse] = []
        for _ in 0..<samples {
            let response: HTTPResponse
            if let instance {
                response = try InstanceHTTP(runtime: context.runtime, project: context.project, instance: instance).send(request)
            } else {
                response = try context.http.send(request)
            }
            if let problem = Self.problem(with: response, check: self) {
                // Refused on the first request (a 4xx): the server took nothing in, so asking
                // again soon costs nothing (the console does after a command ends).
                return CheckResult(passed: false, detail: "\(method) \(path): \(problem)",
                                   refused: responses.isEmpty && (400..<500).contains(response.status))
            }
            responses.append(response)
            // Once more than half the samples are over the bound, so is the median: the check fails.
            if let bound = latency, responses.filter({ $0.seconds > bound }).count > samples / 2 { break }
        }
        let times = responses.map(\.seconds).sorted()
        let median = times[times.count / 2]
        let timing = String(format: "%.0f ms", median * 1000)
        if let bound = latency, median > bound {
            return CheckResult(passed: false, detail: "\(method) \(path): \(responses[0].status) in \(timing), over the \(Int(bound * 1000)) ms bound")
        }
        return CheckResult(passed: true, detail: "\(method) \(path): \(responses[0].status) in \(timing)")
    }

    /// What is wrong with a response, or nil when it is what the check expects.
    static func problem(with response: HTTPResponse, check: HTTPCheck) -> String? {
        if response.status == 0 { return "no response (\(response.error ?? "connection failed"))" }
        if !check.status.contains(response.status) {
            return "status \(response.status), expected \(check.status.map(String.init).joined(separator: " or "))"
        }
        if let pattern = check.bodyMatches, !CheckEvaluator.matches(pattern, response.body) { return "body does not match /\(pattern)/" }
        if let pattern = check.bodyExcludes, CheckEvaluator.matches(pattern, response.body) { return "body matches /\(pattern)/" }
        for (name, pattern) in check.responseHeaders.sorted(by: { $0.key < $1.key }) {
            guard let value = response.header(name) else { return "no \(name) header" }
            if !CheckEvaluator.matches(pattern, value) { return "\(name): \(value) does not match /\(pattern)/" }
        }
        for name in check.absentHeaders {
            if let value = response.header(name) { return "unexpected \(name): \(value)" }
        }
        return nil
    }
}

extension Check {
    public static func http(_ check: HTTPCheck) -> Check { .kind(check) }
}
