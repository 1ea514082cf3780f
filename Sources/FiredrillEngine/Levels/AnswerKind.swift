import Foundation

/// What a report question asks for. The grader takes the candidates of that kind out of an
/// answer, normalized, and an answer counts only when it gives exactly one: a list of every
/// status a proxy can return names the right one among the wrong ones, and is wrong.
///
/// The engine normalizes the expected answer it captures with the same rules (`normalize`), so
/// that "1m", "1 MiB" and "1048576" are one size, and keeps only a salted hash of that form.
public enum AnswerKind: String, Sendable, Codable, CaseIterable {
    /// An HTTP status: a 3-digit code from 100 to 599.
    case status
    /// A size: a number with a unit (`1m`, `1 MB`, `1048576 bytes`; K, M, G are powers of 1024,
    /// as nginx reads them), normalized to bytes; a bare number is a byte count when no number in
    /// the answer has a unit.
    case size
    /// One of the scenario's instances, by name.
    case instance
    /// An absolute path: a word that starts with `/` (a trailing `/` and closing punctuation dropped).
    case path
    /// A number: digits, with thousands commas and a decimal part ("1,000,000" = "1000000";
    /// "0755" = "755"). A unit right after it is allowed ("256MB" is 256).
    case number
    /// One word token (case ignored): the whole answer, or the one word put in `backticks`.
    case identifier
    /// A duration: a number with a unit (`90s`, `15 min`, `1h30m`) or a time of day (`14:05`),
    /// normalized to seconds.
    case duration
    /// Free text, graded with the question's pattern (and its `not` patterns).
    case text

    /// What the report form says under a question of this kind, so the trainee knows before
    /// submitting that one answer is graded, not a list; nil for free text.
    public var prompt: String? {
        switch self {
        case .status: return "one HTTP status"
        case .size: return "one size, with its unit"
        case .instance: return "one instance"
        case .path: return "one path"
        case .number: return "one number"
        case .identifier: return "one word, alone or in `backticks`"
        case .duration: return "one duration, with its unit"
        case .text: return nil
        }
    }

    /// The kind's noun, singular and plural, as grading reasons say it.
    public var nouns: (one: String, many: String) {
        switch self {
        case .status: return ("status", "statuses")
        case .size: return ("size", "sizes")
        case .instance: return ("instance", "instances")
        case .path: return ("path", "paths")
        case .number: return ("number", "numbers")
        case .identifier: return ("word", "words")
        case .duration: return ("duration", "durations")
        case .text: return ("sentence", "sentences")
        }
    }

    /// The distinct candidates of this kind in an answer, normalized, in order of appearance.
    /// `instances` are the scenario's instance names (for `.instance`). Text has none.
    public func candidates(in answer: String, instances: [String] = []) -> [String] {
        let found: [String]
        switch self {
        case .status:
            found = AnswerScanner.statuses(in: answer)
        case .number:
            found = AnswerScanner.numbers(in: answer).map(\.normalized)
        case .size:
            let withUnits = AnswerScanner.sizes(in: answer)
            found = withUnits.isEmpty
                ? AnswerScanner.numbers(in: answer).filter(\.isInteger).map(\.normalized)
                : withUnits
        case .duration:
            found = AnswerScanner.durations(in: answer)
        case .path:
            found = AnswerScanner.paths(in: answer)
        case .identifier:
            found = AnswerScanner.identifiers(in: answer)
        case .instance:
            found = AnswerScanner.words(in: answer, among: instances)
        case .text:
            found = []
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// The expected answer's normalized form: its one candidate of this kind; nil when it has
    /// none or several (a capture that went wrong). An instance's name is taken as it is.
    public func normalize(expected: String) -> String? {
        switch self {
        case .text: return nil
        case .instance:
            let name = expected.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return name.isEmpty || name.contains(where: \.isWhitespace) ? nil : name
        default:
            let found = candidates(in: expected)
            return found.count == 1 ? found[0] : nil
        }
    }
}

/// The scanners behind `AnswerKind.candidates`: each finds one kind of thing in free text.
enum AnswerScanner {
    struct Number {
        var text: String
        var fraction: String?
        var isInteger: Bool { fraction == nil }

        /// Digits without thousands commas or leading zeros; the fraction without trailing zeros.
        var normalized: String {
            var whole = String(text.filter(\.isNumber).drop { $0 == "0" })
            if whole.isEmpty { whole = "0" }
            guard let fraction else { return whole }
            let trimmed = String(fraction.reversed().drop { $0 == "0" }.reversed())
            return trimmed.isEmpty ? whole : "\(whole).\(trimmed)"
        }

        var value: Double { Double(normalized) ?? 0 }
    }

    /// Not part of a word, a longer number or a version ("v2", "idx_2", "1.1.3"); a unit may follow.
    static let number = #"(?<![\p{L}\p{N}_.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\p{N}_]|[.,]\d)"#

    /// 3-digit codes from 100 to 599, alone or in the plural ("413s"); not "512k" or "4130".
    static func statuses(in text: String) -> [String] {
        matches(#"(?<![\p{L}\p{N}_.,])([1-5]\d\d)s?(?![\p{L}\p{N}_]|[.,]\d)"#, in: text).compactMap { $0[1] }
    }

    static func numbers(in text: String) -> [Number] {
        matches(number, in: text).map { Number(text: $0[1] ?? "", fraction: $0[2]) }
    }

    static let kibi = 1024.0
    static let sizeUnits: [(String, Double)] = [
        ("bytes", 1), ("byte", 1), ("b", 1), ("kib", kibi), ("kb", kibi), ("k", kibi),
        ("mib", kibi * kibi), ("mb", kibi * kibi), ("m", kibi * kibi),
        ("gib", kibi * kibi * kibi), ("gb", kibi * kibi * kibi), ("g", kibi * kibi * kibi),
        ("tib", kibi * kibi * kibi * kibi), ("tb", kibi * kibi * kibi * kibi), ("t", kibi * kibi * kibi * kibi),
    ]

    /// Sizes with a unit, in bytes.
    static func sizes(in text: String) -> [String] {
        let units = sizeUnits.map(\.0).joined(separator: "|")
        let pattern = #"(?i)(?<![\p{L}\p{N}_.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?("# + units + #")(?![\p{L}\p{N}_])"#
        return matches(pattern, in: text).compactMap { groups in
            let number = Number(text: groups[1] ?? "", fraction: groups[2])
            guard let unit = groups[3]?.lowercased(), let factor = sizeUnits.first(where: { $0.0 == unit })?.1 else { return nil }
            return format(number.value * factor, rounded: true)
        }
    }

    static let durationUnits: [(String, Double)] = [
        ("milliseconds", 0.001), ("millisecond", 0.001), ("ms", 0.001),
        ("seconds", 1), ("second", 1), ("secs", 1), ("sec", 1), ("s", 1),
        ("minutes", 60), ("minute", 60), ("mins", 60), ("min", 60), ("m", 60),
        ("hours", 3600), ("hour", 3600), ("hrs", 3600), ("hr", 3600), ("h", 3600),
        ("days", 86400), ("day", 86400), ("d", 86400),
    ]

    /// Durations in seconds: runs of number+unit written together ("1h30m" is one), and times
    /// of day ("14:05", "14:05:30") as the seconds since midnight.
    static func durations(in text: String) -> [String] {
        let units = durationUnits.map(\.0).joined(separator: "|")
        let part = #"(\d+)(?:\.(\d+))?\s?("# + units + ")"
        let clock = #"(?<![\p{N}:.])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\p{N}:])"#
        let run = #"(?i)(?<![\p{L}\p{N}_.,:])(?:"# + part + #")+(?![\p{L}\p{N}_])"#
        var found: [(Int, String)] = []
        for match in ranges(run, in: text) {
            let piece = String(text[match])
            let total = matches("(?i)" + part, in: piece).reduce(0.0) { sum, groups in
                let number = Number(text: groups[1] ?? "", fraction: groups[2])
                let factor = durationUnits.first { $0.0 == groups[3]?.lowercased() }?.1 ?? 0
                return sum + number.value * factor
            }
            found.append((text.distance(from: text.startIndex, to: match.lowerBound), format(total, rounded: false)))
        }
        for match in ranges(clock, in: text) {
            let groups = matches(clock, in: String(text[match]))[0]
            let hours = Double(groups[1] ?? "") ?? 0, minutes = Double(groups[2] ?? "") ?? 0, seconds = Double(groups[3] ?? "0") ?? 0
            guard hours < 24, minutes < 60, seconds < 60 else { continue }
            found.append((text.distance(from: text.startIndex, to: match.lowerBound), format(hours * 3600 + minutes * 60 + seconds, rounded: false)))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Absolute paths: words that start with "/" (not inside a URL or "and/or").
    static func paths(in text: String) -> [String] {
        let pattern = #"(?<![\p{L}\p{N}_.:/~\-])/[^\s'"`,;()<>\[\]{}]*"#
        return matches(pattern, in: text).compactMap { groups in
            var path = groups[0] ?? ""
            while path.count > 1, let last = path.last, ".:!?".contains(last) { path.removeLast() }
            while path.contains("//") { path = path.replacingOccurrences(of: "//", with: "/") }
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path
        }
    }

    /// The words of the answer, or the spans in backticks when it has any; surrounding quotes,
    /// brackets and closing punctuation are not part of a word; case is ignored.
    static func identifiers(in text: String) -> [String] {
        let quoted = matches("`([^`]+)`", in: text).compactMap { $0[1] }
        let words = quoted.isEmpty ? text.split(whereSeparator: \.isWhitespace).map(String.init) : quoted
        return words.compactMap { word in
            let trimmed = word.trimmingCharacters(in: .whitespacesAndNewlines)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"'`([{<*"))
            var core = Substring(trimmed)
            while let last = core.last, "\"'`)]}>*.,;:!?".contains(last) { core.removeLast() }
            return core.isEmpty ? nil : core.lowercased()
        }
    }

    /// Each of `names` the text says as a whole word, case ignored.
    static func words(in text: String, among names: [String]) -> [String] {
        let lowered = names.map { $0.lowercased() }
        guard !lowered.isEmpty else { return [] }
        let pattern = #"(?i)(?<![\p{L}\p{N}_\-])("# + lowered.map(NSRegularExpression.escapedPattern).joined(separator: "|") + #")(?![\p{L}\p{N}_\-])"#
        return matches(pattern, in: text).compactMap { $0[1]?.lowercased() }
    }

    /// A whole number of bytes, or seconds with their fraction ("0.5").
    static func format(_ value: Double, rounded: Bool) -> String {
        let value = rounded ? value.rounded() : value
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    // MARK: - Regular expressions

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are this file's own: a failure is a bug here, caught by its tests.
        try! NSRegularExpression(pattern: pattern)
    }

    static func ranges(_ pattern: String, in text: String) -> [Range<String.Index>] {
        regex(pattern).matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
    }

    /// Each match's groups (0 = the whole match), nil where a group took no part.
    static func matches(_ pattern: String, in text: String) -> [[String?]] {
        regex(pattern).matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { index in
                Range(match.range(at: index), in: text).map { String(text[$0]) }
            }
        }
    }
}
