import Foundation

/// The time and the waiting of the engine: the system's in a run, a manual one in tests, so that
/// a timeout is proven without waiting it out.
public protocol Clock: Sendable {
    var now: Date { get }
    func sleep(_ seconds: Double)
}

/// The wall clock, and a sleeping thread.
public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(_ seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
}
