/// How often the console asks the engine to check the objectives. A cheap check is still a
/// handful of `docker` and `curl` processes (payload-too-large's uploads 5 MB through the proxy
/// each time, and once it passes the backend keeps every upload), so the console checks as
/// often as the trainee's activity calls for: within a second of a command typed in the shell
/// (that is when a fix lands, and time-to-mitigate is measured from it), less often while keys
/// come, rarely when nobody types, and seldom once the run is mitigated (the time is taken; only
/// the display can change).
public enum CheckCadence {
    /// After a command typed in the shell, for `burstLength` seconds.
    public static let burst = 1.0
    public static let burstLength = 10.0
    /// A key in the last `activeLength` seconds.
    public static let active = 5.0
    public static let activeLength = 60.0
    public static let idle = 15.0
    public static let mitigated = 60.0

    /// Seconds to the next check. Times are monotonic seconds; -infinity for never.
    public static func interval(now: Double, lastKey: Double, lastCommand: Double, mitigated isMitigated: Bool) -> Double {
        if now - lastCommand < burstLength { return burst }
        if isMitigated { return mitigated }
        return now - lastKey < activeLength ? active : idle
    }
}

/// When the console checks next: at the cadence above, and as soon as a command typed in the
/// shell has ended, which is when a fix lands. A command has ended (or waits) when the shell's
/// output after Enter goes quiet for `quiet` seconds: its prompt is back. A check asked for while
/// another is in flight starts as soon as that one answers, which began before what it must see.
/// Until a command's output first settles and for `soonLength` after it last did, checks come every
/// `soon` seconds (a restarted app comes up while `supervisorctl restart` still waits to say so).
/// Times are monotonic seconds.
public struct CheckSchedule: Sendable, Equatable {
    public static let quiet = 0.1
    public static let soon = 0.5
    public static let soonLength = 5.0
    /// For this long after a command ended, checks are `eager` (`Engine.check`), at most one a
    /// second: what the server refused at no cost is asked again, not answered from an earlier check.
    public static let eagerLength = 3.0

    /// When the next check is due.
    public private(set) var next: Double
    public private(set) var lastKey = -Double.infinity
    public private(set) var lastCommand = -Double.infinity
    /// When a command's output last went quiet.
    public private(set) var lastEnded = -Double.infinity
    /// When the shell's output will have been quiet long enough; nil when no command's end is awaited.
    public private(set) var settleAt: Double?
    /// Since when a check is in flight.
    public private(set) var inFlight: Double?
    /// Enter was typed and no key since: the shell's output is the command's.
    private var awaiting = false
    /// A check was asked for while one was in flight.
    private var again = false
    private var lastEager = -Double.infinity

    public init(now: Double) { next = now }

    /// A key or a click, anywhere.
    public mutating func key(at now: Double) { lastKey = now }

    /// A key typed into the shell other than Enter: output now is its echo, not a command's.
    public mutating func typedInShell() {
        awaiting = false
        settleAt = nil
    }

    /// Enter in the shell: checked within `CheckCadence.burst`, and as soon as its output settles.
    public mutating func commandTyped(at now: Double) {
        lastKey = now
        lastCommand = now
        awaiting = true
        settleAt = nil
        next = min(next, now + CheckCadence.burst)
    }

    /// The shell wrote something.
    public mutating func shellOutput(at now: Double) {
        guard awaiting, now - lastCommand < CheckCadence.burstLength else {
            awaiting = false
            return
        }
        settleAt = now + Self.quiet
    }

    /// A check now (the `c` key, Docker back): at once, or as soon as the one in flight answers.
    public mutating func checkNow(at now: Double) {
        if inFlight != nil { again = true } else { next = min(next, now) }
    }

    /// What the loop must wake for: the next check (not while one is in flight: a past deadline
    /// would make the poll return at once until it answers) or a command's output settling.
    public var deadline: Double {
        min(inFlight == nil ? next : .infinity, settleAt ?? .infinity)
    }

    /// Whether a check is due at `now`; a command's output that settled asks for one.
    public mutating func due(at now: Double) -> Bool {
        if let settleAt, now >= settleAt {
            self.settleAt = nil
            lastEnded = now
            checkNow(at: now)
        }
        return inFlight == nil && now >= next
    }

    /// A check starts: returns whether it is eager.
    public mutating func started(at now: Double) -> Bool {
        inFlight = now
        again = false
        guard now - lastEnded < Self.eagerLength, now - lastEager >= 1 else { return false }
        lastEager = now
        return true
    }

    /// Whether a command runs with no output settled yet, or has just ended: checks come `soon`.
    public func commandNear(_ now: Double) -> Bool {
        awaiting && lastEnded < lastCommand && now - lastCommand < CheckCadence.burstLength || now - lastEnded < Self.soonLength
    }

    /// The check answered (or failed): the next is due at once if one was asked for meanwhile,
    /// else at the cadence from when this one started (a second apart, not a second plus a check).
    public mutating func answered(at now: Double, mitigated: Bool) {
        let start = inFlight ?? now
        inFlight = nil
        let interval = commandNear(now) ? Self.soon : CheckCadence.interval(now: now, lastKey: lastKey, lastCommand: lastCommand, mitigated: mitigated)
        next = again ? now : max(now, start + interval)
        again = false
    }
}
