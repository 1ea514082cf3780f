import Foundation
import Testing
@testable import FiredrillEngine

/// The Docker socket's stats and ping against a socket of the test's own that answers as the
/// daemon does (HTTP/1.0: the body as it is, then the connection closes).
@Suite struct DockerSocketTests {
    static let frame = #"{"read":"2026-11-25T22:20:43Z","cpu_stats":{"cpu_usage":{"total_usage":2000},"system_cpu_usage":20000,"online_cpus":2},"#
        + #""precpu_stats":{"cpu_usage":{"total_usage":1000},"system_cpu_usage":10000},"memory_stats":{"usage":150,"limit":1000},"pids_stats":{"current":7}}"#

    /// A socket that answers each connection with `answer(request)`, a piece at a time.
    final class Daemon {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-daemon-\(UUID().uuidString.prefix(8)).sock").path
        let fd: Int32
        private let log = Log()

        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var requests: [String] = []
        }

        init(answer: @escaping @Sendable (String) -> [String]) throws {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0 && listen(fd, 4) == 0)
            let server = fd, log = log
            Thread.detachNewThread {
                while true {
                    let client = accept(server, nil, nil)
                    guard client >= 0 else { return }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let n = read(client, &buffer, buffer.count)
                    let request = String(decoding: buffer[0..<max(0, n)], as: UTF8.self)
                    log.lock.withLock { log.requests.append(request) }
                    for piece in answer(request) {
                        _ = Array(piece.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                        usleep(20_000)
                    }
                    close(client)
                }
            }
        }

        var asked: [String] { log.lock.withLock { log.requests } }

        deinit {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
            unlink(path)
        }
    }

    @Test func oneFrameWithoutAFinalNewline() throws {
        let daemon = try Daemon { _ in ["HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n", Self.frame] }
        let frame = try #require(try DockerStatsStream.frame(container: "c1", timeout: 5, socketPath: daemon.path))
        #expect(InstanceStats(frame) == InstanceStats(cpuPercent: 20, memoryPercent: 15, memoryBytes: 150, pids: 7))
        #expect(daemon.asked.first?.hasPrefix("GET /containers/c1/stats?stream=false HTTP/1.0\r\n") == true)
    }

    @Test func anUnknownContainerIsNoFrame() throws {
        let daemon = try Daemon { _ in ["HTTP/1.0 404 Not Found\r\n\r\n", #"{"message":"No such container: c9"}"# + "\n"] }
        #expect(try DockerStatsStream.frame(container: "c9", timeout: 5, socketPath: daemon.path) == nil)
    }

    @Test func aStreamGivesFramesUntilItEnds() throws {
        let daemon = try Daemon { _ in
            ["HTTP/1.0 200 OK\r\n\r\n", Self.frame + "\n" + String(Self.frame.prefix(40)), String(Self.frame.dropFirst(40)) + "\n"]
        }
        let stream = DockerStatsStream(instance: "proxy", container: "c1")
        try stream.open(socketPath: daemon.path)
        var frames: [ContainerStatsFrame] = []
        while stream.fd >= 0 {
            var ready = pollfd(fd: stream.fd, events: Int16(POLLIN), revents: 0)
            try #require(poll(&ready, 1, 5000) == 1)
            guard let more = stream.read() else { break }
            frames += more
        }
        #expect(frames.count == 2)
        #expect(stream.read() == nil)
        #expect(daemon.asked.first?.hasPrefix("GET /containers/c1/stats?stream=true HTTP/1.0\r\n") == true)
    }

    @Test func pingAndNoDaemon() throws {
        let daemon = try Daemon { request in [request.hasPrefix("GET /_ping ") ? "HTTP/1.0 200 OK\r\n\r\nOK" : "HTTP/1.0 404 Not Found\r\n\r\n"] }
        #expect(DockerSocket.ping(path: daemon.path))
        let nowhere = daemon.path + ".gone"
        #expect(!DockerSocket.ping(path: nowhere))
        #expect(throws: POSIXError.self) { try DockerStatsStream.frame(container: "c1", timeout: 1, socketPath: nowhere) }
        #expect(DockerSocket.path(environment: ["DOCKER_HOST": "unix:///run/user/1000/docker.sock"]) == "/run/user/1000/docker.sock")
        #expect(DockerSocket.path(environment: ["DOCKER_HOST": "tcp://10.0.0.1:2375"]) == "/var/run/docker.sock")
    }
}
