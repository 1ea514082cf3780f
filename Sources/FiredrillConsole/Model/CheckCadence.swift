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
