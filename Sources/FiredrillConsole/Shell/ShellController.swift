import FiredrillEngine
import Foundation

/// The Shell pane's program: the workspace's shell on the host, or an instance's (its command
/// line comes from the runtime, through the worker). Started at the pane's size, resized with
/// it, read when its PTY has output, reaped when it exits.
final class ShellController {
    private(set) var session: TerminalSession?
    /// The inside of the Shell pane at the last frame: a new shell starts at that size.
    private(set) var size = (rows: 0, columns: 0)
    let record: RunRecord
    /// The workspace shell's history file (its commands go into the report's timeline).
    let historyPath: String
    /// Asks the engine for the command line of an instance's shell (answered by `start`).
    let askInstanceShell: (String) -> Void

    init(record: RunRecord, runDirectory: URL, askInstanceShell: @escaping (String) -> Void) {
        self.record = record
        historyPath = ShellHistory.workspacePath(runDirectory).path
        self.askInstanceShell = askInstanceShell
    }

    /// The program still running, to poll and to type into.
    var running: TerminalSession? { session?.exitStatus == nil ? session : nil }

    func open(_ target: String, model: inout ConsoleModel) {
        close()
        model.shell.target = target
        model.shell.scrollBack = 0
        model.shell.status = .notStarted
        if target == "workspace" {
            let program = ProcessInfo.processInfo.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/bash"
            let history = ShellHistory.environment(path: historyPath)
            start(arguments: [program, "-l"], directory: record.workspace.path, environment: history.map { "\($0.key)=\($0.value)" }, model: &model)
        } else {
            askInstanceShell(target)
        }
    }

    func start(arguments: [String], directory: String?, environment: [String] = [], model: inout ConsoleModel) {
        let rows = max(1, size.rows), columns = max(1, size.columns)
        do {
            session = try TerminalSession(arguments: arguments, environment: [
                "TERM=xterm-256color", "FIREDRILL_RUN=\(record.id)", "FIREDRILL_WORKSPACE=\(record.workspace.path)",
            ] + environment, directory: directory, rows: rows > 1 ? rows : 24, columns: columns > 1 ? columns : 80)
            model.shell.status = .running
        } catch {
            model.shell.status = .failed("\(error)")
        }
    }

    /// Follows the pane (`rect`, borders included): returns true when the terminal was resized,
    /// so the frame must be drawn again.
    func fit(_ rect: Rect?) -> Bool {
        guard let rect else { return false }
        size = (rect.height - 2, rect.width - 2)
        guard let session, size.rows > 0, size.columns > 0, size != (session.rows, session.columns) else { return false }
        session.resize(rows: size.rows, columns: size.columns)
        return true
    }

    /// The PTY has something: output (true when the screen changed) or the program's end.
    func output(_ polled: TerminalSession, model: inout ConsoleModel) -> Bool {
        guard polled === session else { return false }
        if !polled.readAvailable() {
            model.shell.status = .exited(polled.reap(block: false) ?? polled.reap(block: true) ?? 0)
            return true
        }
        return polled.takeDamage()
    }

    /// A key for the shell: typed into the program, or Enter on an ended shell starts it again.
    func send(_ key: Key, model: inout ConsoleModel) {
        if let running {
            running.send(key)
        } else if key == .enter {
            open(model.shell.target, model: &model)
        }
    }

    func close() {
        session?.close()
        session = nil
    }
}
