@testable import FiredrillConsole
import Foundation
import Testing

/// The Shell pane's emulator on a real pseudo-terminal: what scrolls off the top is kept, packed
/// (trailing blanks dropped, colours and attributes kept).
@Suite struct TerminalSessionTests {
    func run(_ script: String, rows: Int = 5, columns: Int = 40) throws -> TerminalSession {
        let session = try TerminalSession(arguments: ["/bin/sh", "-c", script], rows: rows, columns: columns)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            var poll = pollfd(fd: session.master, events: Int16(POLLIN), revents: 0)
            _ = Glibc.poll(&poll, 1, 100)
            if !session.readAvailable() { break }
        }
        return session
    }

    func text(_ session: TerminalSession, row: Int) -> String {
        (0..<session.columns).map { session.cell(row: row, column: $0).text }.joined().replacingOccurrences(of: " +$", with: "", options: .regularExpression)
    }

    @Test func scrolledLinesAreKeptWithTheirColours() throws {
        let session = try run("i=0; while [ $i -lt 30 ]; do echo line$i; i=$((i+1)); done; printf '\\033[1;31mred\\033[0m and plain   \\n'; i=0; while [ $i -lt 4 ]; do echo tail; i=$((i+1)); done")
        #expect(session.scrollbackCount >= 30)
        let generation = session.generation
        #expect(generation > 0)
        // Newest first below row 0: the red line has scrolled off just before the four tails.
        var red: Int?
        for back in 1...session.scrollbackCount where text(session, row: -back).hasPrefix("red and plain") { red = -back }
        let row = try #require(red)
        let cell = session.cell(row: row, column: 0)
        #expect(cell.style.bold && cell.style.fg == .index(1))
        #expect(session.cell(row: row, column: 4).style == Style())
        // Past the end of a kept line: blanks in the default style.
        #expect(session.cell(row: row, column: 39) == Cell(" ", width: 1, style: Style()))
        #expect(text(session, row: row - 1).hasPrefix("line29"))
        #expect(session.generation == generation)
    }
}
