/// The kinds of events a run records, in the engine's run log and the game's database. The
/// kinds the game reads carry an `EventPayload`, named below; their detail is for people only.
public enum EventKind {
    public static let booting = "booting", up = "up", ready = "ready", fault = "fault", live = "live"
    public static let mitigated = "mitigated", failed = "failed", stopped = "stopped"
    /// An explicit verify; `.verify`, detail "solved 3/3" or "not solved 1/3 (passed: a)".
    public static let verify = "verify"
    /// An objective changed state in a routine check; `.check`, detail "<objective id> passed|failing".
    public static let check = "check"
    /// A hint was revealed; `.hint`, detail "hint <n> revealed".
    public static let hint = "hint"
    /// A shell was opened, or a one-off command run through `firedrill shell`; `.shell`, detail
    /// "shell on <instance>" or "on <instance>: <command>".
    public static let shell = "shell"
    /// A command typed in an instance's shell, from its history; `.command`, detail "<instance>: <command>".
    public static let command = "command"
    /// A verify failed after the run was mitigated; `.unmitigated`, detail "<objective ids> no longer holding".
    public static let unmitigated = "unmitigated"
    /// A costly fix was detected (blast radius); `.costly`, detail "<costly id>: <title>".
    public static let costly = "costly"
    /// The incident report was submitted; the postmortem was submitted; the run was closed.
    public static let reported = "reported", postmortem = "postmortem", closed = "closed"
}
