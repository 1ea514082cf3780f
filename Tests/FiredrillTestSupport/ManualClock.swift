import FiredrillEngine
import Foundation

/// A clock that moves only when told or slept on: a sleep moves it at once, so a timeout is
/// proven exactly and without waiting it out.
public final class ManualClock: FiredrillEngine.Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var total: Double = 0

    /// Starts now, on a whole second: run files keep times to the second.
    public init(_ start: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) { current = start }

    public var now: Date { lock.withLock { current } }
    /// How long every sleep so far has lasted, together.
    public var slept: Double { lock.withLock { total } }

    public func sleep(_ seconds: Double) {
        lock.withLock { total += seconds }
        advance(seconds)
    }

    public func advance(_ seconds: Double) { lock.withLock { current += seconds } }
}
