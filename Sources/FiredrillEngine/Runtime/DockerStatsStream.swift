import Foundation

/// A live feed of one instance's resource figures, a frame a second: a descriptor to poll and
/// the frames read when it is ready. Opened by `Runtime.statsStream`.
public protocol StatsStream: AnyObject {
    var instance: String { get }
    var container: String { get }
    /// The descriptor to poll for input; -1 once the stream is closed.
    var fd: Int32 { get }
    /// Reads what arrived; returns the complete frames, or nil when the stream ended (the
    /// instance stopped, the runtime went away).
    func read() -> [ContainerStatsFrame]?
    func close()
}

/// The Docker daemon's socket, spoken to directly (HTTP/1.0, so a body comes as it is, no
/// chunked encoding): stats streams and the liveness probe, no process per call.
enum DockerSocket {
    /// The daemon's socket: DOCKER_HOST when it names one (unix://PATH), else the default.
    static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let host = environment["DOCKER_HOST"], host.hasPrefix("unix://") { return String(host.dropFirst("unix://".count)) }
        return "/var/run/docker.sock"
    }

    static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Foundation.close(fd)
            throw POSIXError(.ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let error = errno
            Foundation.close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: error) ?? .ECONNREFUSED)
        }
        return fd
    }

    static func writeAll(_ fd: Int32, _ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            bytes = bytes.dropFirst(n)
        }
        return true
    }

    /// Whether the daemon answers on its socket (GET /_ping), within about a second.
    static func ping(path: String = DockerSocket.path()) -> Bool {
        guard let fd = try? connect(path) else { return false }
        defer { Foundation.close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard writeAll(fd, "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n") else { return false }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        return n > 0 && String(decoding: buffer[0..<n], as: UTF8.self).contains(" 200 ")
    }
}

/// One container's stats from the Docker Engine API (`GET /containers/ID/stats`), read straight
/// from the daemon's socket: one long-lived connection per instance, no process per tick
/// (lazydocker's way). The body is one JSON object a line.
public final class DockerStatsStream: StatsStream {
    public let instance: String
    public let container: String
    public private(set) var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var headerDone = false

    public init(instance: String, container: String) {
        self.instance = instance
        self.container = container
    }

    deinit { close() }

    /// Connects and asks for the stream (`follow`), or for one frame. Throws when the daemon
    /// cannot be reached.
    func open(socketPath: String = DockerSocket.path(), follow: Bool = true) throws {
        close()
        fd = try DockerSocket.connect(socketPath)
        let request = "GET /containers/\(container)/stats?stream=\(follow) HTTP/1.0\r\nHost: docker\r\n\r\n"
        guard DockerSocket.writeAll(fd, request) else {
            close()
            throw POSIXError(.EPIPE)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// One frame of a container's stats (`stream=false`: the daemon waits for a second sample,
    /// so the CPU use is known), or nil when there is none (a stopped or unknown container, no
    /// answer within `timeout` seconds).
    static func frame(container: String, timeout: Double, socketPath: String = DockerSocket.path()) throws -> ContainerStatsFrame? {
        let stream = DockerStatsStream(instance: "", container: container)
        try stream.open(socketPath: socketPath, follow: false)
        let deadline = ProcessInfo.processInfo.systemUptime + timeout
        while stream.fd >= 0 {
            let left = deadline - ProcessInfo.processInfo.systemUptime
            guard left > 0 else { return nil }
            var ready = pollfd(fd: stream.fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&ready, 1, Int32(min(left, 1) * 1000))
            guard let frames = stream.read() else { return nil }
            if let first = frames.first { return first }
        }
        return nil
    }

    public func close() {
        if fd >= 0 { Foundation.close(fd) }
        fd = -1
        buffer.removeAll()
        headerDone = false
    }

    public func read() -> [ContainerStatsFrame]? {
        guard fd >= 0 else { return nil }
        var ended = false
        while true {
            // Straight into the buffer's spare room: no chunk to allocate and copy per read.
            let count = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 8192))
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + count, 8192) }
            buffer.removeLast(8192 - max(0, n))
            if n > 0 { continue }
            if n < 0, errno == EAGAIN || errno == EINTR { break }
            ended = true
            break
        }
        // A body that ends without a newline (one frame, `stream=false`) ends its last line.
        if ended, !buffer.isEmpty, buffer.last != 10 { buffer.append(10) }
        let frames = takeFrames()
        if ended {
            close()
            return frames.isEmpty ? nil : frames
        }
        return frames
    }

    /// Splits the buffer into lines (after the HTTP header) and parses each.
    func takeFrames() -> [ContainerStatsFrame] {
        if !headerDone {
            guard let end = Self.find([13, 10, 13, 10], in: buffer) else { return [] }
            buffer.removeFirst(end + 4)
            headerDone = true
        }
        var frames: [ContainerStatsFrame] = []
        var start = 0
        buffer.withUnsafeBufferPointer { bytes in
            while let newline = bytes[start...].firstIndex(of: 10) {
                if let frame = ContainerStatsFrame.parse(bytes: UnsafeBufferPointer(rebasing: bytes[start..<newline])) { frames.append(frame) }
                start = newline + 1
            }
        }
        buffer.removeFirst(start)
        return frames
    }

    /// Feeds bytes as if read from the socket (tests).
    func feed(_ bytes: [UInt8]) -> [ContainerStatsFrame] {
        buffer += bytes
        return takeFrames()
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}
