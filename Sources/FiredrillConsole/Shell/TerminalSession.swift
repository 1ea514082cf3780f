import CConsoleSupport
import CVterm
import Foundation

/// A program on a pseudo-terminal, its output fed to libvterm: the Shell pane's terminal.
/// PTY bytes go into the emulator; the pane reads its cells; keys go through the emulator's
/// keyboard functions so they are encoded as the program expects (application cursor mode…).
public final class TerminalSession: ShellScreen {
    public let pid: pid_t
    public let master: Int32
    private let term: OpaquePointer
    public private(set) var rows: Int
    public private(set) var columns: Int
    public private(set) var exitStatus: Int32?

    public static let scrollbackLines = 2000

    public init(arguments: [String], environment: [String] = [], directory: String? = nil, rows: Int, columns: Int) throws {
        var masterFD: Int32 = -1
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let child = fd_spawn_pty(argv, envp, directory, Int32(max(1, rows)), Int32(max(1, columns)), &masterFD)
        guard child > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        pid = child
        master = masterFD
        _ = fcntl(masterFD, F_SETFL, fcntl(masterFD, F_GETFL) | O_NONBLOCK)
        self.rows = max(1, rows)
        self.columns = max(1, columns)
        term = fd_vterm_new(Int32(self.rows), Int32(self.columns), masterFD, Int32(Self.scrollbackLines))
    }

    deinit {
        close()
        fd_vterm_free(term)
    }

    /// Reads what the program wrote. Returns false once the program has gone (EOF or EIO).
    public func readAvailable() -> Bool {
        var buffer = [CChar](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { Foundation.read(master, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.withUnsafeBufferPointer { fd_vterm_input(term, $0.baseAddress, n) }
                continue
            }
            if n < 0, errno == EAGAIN || errno == EINTR { return true }
            _ = reap(block: false)
            return false
        }
    }

    /// Whether the screen changed since the last call.
    public func takeDamage() -> Bool { fd_vterm_take_damage(term) != 0 }

    public var generation: UInt64 { UInt64(fd_vterm_generation(term)) }

    public func resize(rows: Int, columns: Int) {
        guard rows > 0, columns > 0, rows != self.rows || columns != self.columns else { return }
        self.rows = rows
        self.columns = columns
        fd_vterm_resize(term, Int32(rows), Int32(columns))
        _ = fd_pty_resize(master, Int32(rows), Int32(columns))
    }

    /// Sends a key to the program, encoded by the emulator.
    public func send(_ key: Key) {
        func k(_ key: VTermKey, _ modifiers: VTermModifier = VTERM_MOD_NONE) { fd_vterm_key(term, Int32(key.rawValue), Int32(modifiers.rawValue)) }
        switch key {
        case let .char(c):
            for scalar in c.unicodeScalars { fd_vterm_char(term, scalar.value, 0) }
        case let .ctrl(c):
            guard let ascii = c.asciiValue else { return }
            var byte = UInt8(ascii == UInt8(ascii: "@") ? 0 : ascii & 0x1F)
            _ = Foundation.write(master, &byte, 1)
        case .enter: k(VTERM_KEY_ENTER)
        case .tab: k(VTERM_KEY_TAB)
        case .backTab: k(VTERM_KEY_TAB, VTERM_MOD_SHIFT)
        case .backspace: k(VTERM_KEY_BACKSPACE)
        case .escape: k(VTERM_KEY_ESCAPE)
        case .up: k(VTERM_KEY_UP)
        case .down: k(VTERM_KEY_DOWN)
        case .left: k(VTERM_KEY_LEFT)
        case .right: k(VTERM_KEY_RIGHT)
        case .home: k(VTERM_KEY_HOME)
        case .end: k(VTERM_KEY_END)
        case .pageUp: k(VTERM_KEY_PAGEUP)
        case .pageDown: k(VTERM_KEY_PAGEDOWN)
        case .insert: k(VTERM_KEY_INS)
        case .delete: k(VTERM_KEY_DEL)
        case .shiftUp: k(VTERM_KEY_UP, VTERM_MOD_SHIFT)
        case .shiftDown: k(VTERM_KEY_DOWN, VTERM_MOD_SHIFT)
        case .shiftPageUp: k(VTERM_KEY_PAGEUP, VTERM_MOD_SHIFT)
        case .shiftPageDown: k(VTERM_KEY_PAGEDOWN, VTERM_MOD_SHIFT)
        case let .function(n): fd_vterm_key(term, Int32(VTERM_KEY_FUNCTION_0.rawValue) + Int32(n), 0)
        }
    }

    /// Sends raw text (a paste).
    public func send(text: String) {
        for scalar in text.unicodeScalars { fd_vterm_char(term, scalar.value, 0) }
    }

    /// The exit status once the program has ended (nil while it runs).
    @discardableResult
    public func reap(block: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, block ? 0 : WNOHANG)
        guard result == pid else { return nil }
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = code
        return code
    }

    /// Hangs up the program (SIGHUP, as a closed terminal does), then SIGKILL if it lingers.
    public func close() {
        guard exitStatus == nil else { return }
        kill(pid, SIGHUP)
        for _ in 0..<20 {
            if reap(block: false) != nil { break }
            usleep(10_000)
        }
        if exitStatus == nil {
            kill(pid, SIGKILL)
            reap(block: true)
        }
        Foundation.close(master)
    }

    // MARK: - ShellScreen

    public var scrollbackCount: Int { Int(fd_vterm_scrollback_count(term)) }

    public var cursor: (row: Int, column: Int, visible: Bool) {
        var row: Int32 = 0, column: Int32 = 0, visible: Int32 = 0
        fd_vterm_cursor(term, &row, &column, &visible)
        return (Int(row), Int(column), visible != 0)
    }

    public func cell(row: Int, column: Int) -> Cell {
        var raw = fd_cell()
        guard fd_vterm_cell(term, Int32(row), Int32(column), &raw) != 0 else { return .blank }
        var text = ""
        withUnsafeBytes(of: raw.chars) { bytes in
            for value in bytes.bindMemory(to: UInt32.self) {
                if value == 0 { break }
                if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
            }
        }
        var style = Style()
        if raw.fg >= 0 { style.fg = .index(UInt8(raw.fg)) }
        if raw.bg >= 0 { style.bg = .index(UInt8(raw.bg)) }
        let attrs = Int(raw.attrs)
        style.bold = attrs & Int(FD_ATTR_BOLD) != 0
        style.underline = attrs & Int(FD_ATTR_UNDERLINE) != 0
        style.italic = attrs & Int(FD_ATTR_ITALIC) != 0
        style.reverse = attrs & Int(FD_ATTR_REVERSE) != 0
        if raw.width == 0 && text.isEmpty { return Cell("", width: 0, style: style) }
        return Cell(text.isEmpty ? " " : text, width: UInt8(max(1, min(2, raw.width))), style: style)
    }
}
