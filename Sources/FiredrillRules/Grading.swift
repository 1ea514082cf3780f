import FiredrillEngine
import Foundation

/// Grades the report's answers against what the run captured.
///
/// A value or command answer is correct when the given text contains the expected one,
/// case-insensitively, as a whole token: "37" is found in "session 37" and in "37." but not in
/// "137", "370" or "37.5" (nor "/var/log/a.log" in "/var/log/a.log.1"). Runs of white space
/// count as one space on both sides. A pattern answer ("/regex/") is correct when the regular
/// expression is found anywhere in the given text. An empty answer, or an empty expected text,
/// is never correct.
public enum Grading {
    public static func grade(questions: [Question], captured: [String: String], given: [String: String]) -> [QuestionGrade] {
        questions.map { question in
            let answer = given[question.id] ?? ""
            switch question.answer {
            case .pattern(let pattern):
                let source = captured[question.id].map(stripSlashes) ?? pattern
                return QuestionGrade(id: question.id, ask: question.ask, expected: "/\(source)/", given: answer,
                                     correct: matches(pattern: source, in: answer))
            case .value(let value):
                let expected = (captured[question.id] ?? value).trimmingCharacters(in: .whitespacesAndNewlines)
                return QuestionGrade(id: question.id, ask: question.ask, expected: expected, given: answer,
                                     correct: containsToken(expected, in: answer))
            case .command:
                let expected = (captured[question.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return QuestionGrade(id: question.id, ask: question.ask, expected: expected, given: answer,
                                     correct: containsToken(expected, in: answer))
            }
        }
    }

    /// Whether `expected` occurs in `given` as a whole token, ignoring case and runs of spaces.
    public static func containsToken(_ expected: String, in given: String) -> Bool {
        let needle = Array(normalized(expected))
        let haystack = Array(normalized(given))
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        var start = 0
        while start + needle.count <= haystack.count {
            if Array(haystack[start..<start + needle.count]) == needle,
               !continues(haystack, at: start - 1, step: -1, edge: needle[0]),
               !continues(haystack, at: start + needle.count, step: 1, edge: needle[needle.count - 1]) {
                return true
            }
            start += 1
        }
        return false
    }

    /// Whether the regular expression is found anywhere in the text; an invalid one never is.
    public static func matches(pattern: String, in given: String) -> Bool {
        guard !given.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: given, range: NSRange(given.startIndex..., in: given)) != nil
    }

    // MARK: - Helpers

    private static func stripSlashes(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") else { return text }
        return String(text.dropFirst().dropLast())
    }

    private static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// Whether the character at `index` extends the token whose edge character is `edge`: next to a
    /// letter, digit or underscore, another one does; so does a "." followed by one ("37.5",
    /// "big.log.1") and a "," between digits ("1,000"). An expected text that ends in punctuation
    /// ("/var/log/") is its own boundary.
    private static func continues(_ text: [Character], at index: Int, step: Int, edge: Character) -> Bool {
        guard text.indices.contains(index) else { return false }
        let character = text[index]
        if isWordCharacter(character) { return isWordCharacter(edge) }
        let beyond = index + step
        guard text.indices.contains(beyond) else { return false }
        if character == ".", isWordCharacter(edge) { return isWordCharacter(text[beyond]) }
        if character == ",", edge.isNumber { return text[beyond].isNumber }
        return false
    }
}
