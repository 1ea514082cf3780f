import Foundation

/// Who plays: `FIREDRILL_PLAYER`, else the login name.
public enum Player {
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for key in ["FIREDRILL_PLAYER", "USER", "LOGNAME"] {
            if let name = environment[key]?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "player"
    }
}
