import Foundation

/// "2026-11-25T22:20:43Z", as the report's detected and mitigated fields show a time. Written
/// from `gmtime_r`: Foundation's formatters look the time zone up in ICU, whose data then stays
/// resident (3 to 6 MB) for the one string.
public func isoTimestamp(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return "" }
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

