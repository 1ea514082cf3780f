import Foundation

/// HTTP through curl, from the host: what a browser on the trainee's machine would send.
public struct CurlHTTPClient: HTTPClient {
    public init() {}

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let uploadFile = try request.upload.map(Self.payloadFile)
        let arguments = Self.arguments(for: request, uploadPath: uploadFile?.path)
        let output = try ProcessRunner.run(arguments, timeout: request.timeout + 5)
        if let problem = Self.notSent(output) { throw EngineError.requestNotSent("\(request.method) \(request.url): \(problem)") }
        return Self.parse(output)
    }

    /// curl's exit codes for a request it could not send at all (unsupported protocol, failed
    /// init, malformed URL, a feature missing, an unreadable upload, out of memory, an internal
    /// error), and a shell's for a curl that is not there. Every other failure (refused, no such
    /// host, timed out, reset) is a request sent that got no answer.
    static let unsentCodes: Set<Int32> = [1, 2, 3, 4, 26, 27, 43, 126, 127]

    /// Why curl did not send the request, or nil when it did (answered or not).
    static func notSent(_ output: ProcessOutput) -> String? {
        if output.timedOut { return "curl did not finish" }
        guard unsentCodes.contains(output.status) else { return nil }
        return "curl exited \(output.status) (\(ComposeRuntime.firstLine(output.stderr)))"
    }

    static let marker = "\n--firedrill-curl--"

    /// The curl command line for a request; the response comes back with its headers (`-i`) and a
    /// trailing marker with the status and the total time.
    static func arguments(for request: HTTPRequest, uploadPath: String?) -> [String] {
        var arguments = ["curl", "-sS", "-i", "--max-time", String(Int(request.timeout.rounded(.up))), "-X", request.method]
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if let body = request.body { arguments += ["--data-binary", body] }
        if let uploadPath { arguments += ["-F", "file=@\(uploadPath);filename=attachment.bin;type=application/octet-stream"] }
        arguments += ["-w", "\(marker)%{http_code} %{time_total}", request.url]
        return arguments
    }

    /// A file of `size` random bytes to upload, made once and shared by every check and process
    /// (written beside and renamed, so a reader never sees half of it).
    static func payloadFile(_ size: Int) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
        let url = directory.appendingPathComponent("firedrill-upload-\(size).bin")
        if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
           (attributes[.size] as? Int) == size { return url }
        let partial = directory.appendingPathComponent("firedrill-upload-\(size)-\(UUID().uuidString).part")
        let output = try ProcessRunner.run(["sh", "-c", "head -c \(size) /dev/urandom > \"$0\"", partial.path], timeout: 60)
        guard output.status == 0 else { throw EngineError.bootFailed("cannot make an upload payload: \(output.stderr)") }
        guard rename(partial.path, url.path) == 0 else { throw EngineError.bootFailed("cannot make an upload payload at \(url.path)") }
        return url
    }

    /// Parses curl's output: header blocks (a `100 Continue` block may come first), body, marker.
    static func parse(_ output: ProcessOutput) -> HTTPResponse {
        let text = output.stdout
        guard let range = text.range(of: marker, options: .backwards) else {
            return HTTPResponse(status: 0, headers: [:], body: "", seconds: 0, error: ComposeRuntime.firstLine(output.stderr))
        }
        let trailer = text[range.upperBound...].split(separator: " ")
        let status = Int(trailer.first ?? "") ?? 0
        let seconds = Double(trailer.count > 1 ? trailer[1] : "") ?? 0
        var rest = String(text[..<range.lowerBound])
        var headers: [String: String] = [:]
        while rest.hasPrefix("HTTP/") {
            let separator = rest.range(of: "\r\n\r\n") ?? rest.range(of: "\n\n")
            let block = separator.map { String(rest[..<$0.lowerBound]) } ?? rest
            rest = separator.map { String(rest[$0.upperBound...]) } ?? ""
            headers = [:]
            for line in block.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        let error = status == 0 ? ComposeRuntime.firstLine(output.stderr) : nil
        return HTTPResponse(status: status, headers: headers, body: rest, seconds: seconds, error: error)
    }
}

/// HTTP sent with curl from inside an instance (to reach URLs only its network sees).
struct InstanceHTTP {
    var runtime: any Runtime
    var project: String
    var instance: String

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        var arguments = CurlHTTPClient.arguments(for: request, uploadPath: nil)
        if let size = request.upload {
            // Generate the payload inside the instance and stream it to curl.
            let curl = (CurlHTTPClient.arguments(for: request, uploadPath: "-")).map(shellQuote).joined(separator: " ")
            arguments = ["sh", "-c", "head -c \(size) /dev/urandom | \(curl)"]
        }
        let output = try runtime.exec(project: project, instance: instance, command: arguments, user: nil, detach: false, timeout: request.timeout + 5)
        if let problem = CurlHTTPClient.notSent(output) {
            throw EngineError.requestNotSent("\(request.method) \(request.url) from \(instance): \(problem)")
        }
        return CurlHTTPClient.parse(output)
    }
}

func shellQuote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
