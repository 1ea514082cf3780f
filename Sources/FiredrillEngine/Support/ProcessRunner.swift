import Foundation

/// The outcome of one finished child process.
public struct ProcessOutput: Sendable, Equatable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool = false

    public init(status: Int32, stdout: String, stderr: String, timedOut: Bool = false) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }

    public var succeeded: Bool { status == 0 && !timedOut }
}

/// Runs child processes to completion, capturing their output without risking a pipe deadlock.
public enum ProcessRunner {
    /// Runs `arguments` (looked up on PATH); kills it after `timeout` seconds.
    public static func run(_ arguments: [String], input: String? = nil, timeout: Double? = nil,
                           environment: [String: String]? = nil, directory: URL? = nil) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        // Output goes to files rather than pipes: no reader thread, no deadlock on large output.
        let outURL = temporaryFile("out"), errURL = temporaryFile("err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        if input != nil { process.standardInput = inputPipe } else { process.standardInput = FileHandle.nullDevice }
        // The end of the child is signalled, not polled: a caller waiting on checks costs no CPU.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        try? out.close()
        try? err.close()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inputPipe.fileHandleForWriting.close()
        }
        let timedOut = wait(for: process, exited: exited, timeout: timeout)
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessOutput(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// Waits for the process to exit; returns true when it had to be killed for running past
    /// `timeout` (SIGTERM, then SIGKILL after two seconds).
    private static func wait(for process: Process, exited: DispatchSemaphore, timeout: Double?) -> Bool {
        guard let timeout else {
            exited.wait()
            return false
        }
        if exited.wait(timeout: .now() + timeout) == .success { return false }
        process.terminate()
        if exited.wait(timeout: .now() + 2) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        return true
    }

    private static func temporaryFile(_ kind: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-\(kind)-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    /// Whether `name` is an executable on PATH.
    public static func which(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}
