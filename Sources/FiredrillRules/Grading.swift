import FiredrillEngine
import Foundation

/// Grades the report's answers against what the run captured. A list cannot fool it:
///
/// - A question of a kind other than text (`AnswerKind`: status, size, instance, path, number,
///   identifier, duration) takes the candidates of its kind out of the answer, normalized. No
///   candidate, or more than one distinct candidate, is wrong ("lists 12 statuses: give one");
///   exactly one, equal to the expected answer's normalized form, is correct. Around it, write
///   what you like: "The proxy returned 413 for every upload." gives one status, 413.
/// - A text question is correct when its pattern is found within one sentence of at most
///   `sentenceWords` words, and none of its `not` patterns is found anywhere in the answer.
///
/// The expected answer is the run's sealed hash (`SealedAnswers`) when it has one; runs from
/// before answers were sealed kept them in clear, and those are normalized the same way. An
/// empty answer is never correct.
public enum Grading {
    /// The longest sentence a text answer's pattern may be found in.
    public static let sentenceWords = 30

    public static func grade(questions: [Question], sealed: SealedAnswers? = nil, captured: [String: String] = [:],
                             given: [String: String], instances: [String] = []) -> [QuestionGrade] {
        questions.map { question in
            let answer = given[question.id] ?? ""
            let (correct, reason) = judge(question, answer: answer, sealed: sealed, captured: captured, instances: instances)
            return QuestionGrade(id: question.id, ask: question.ask, given: answer, correct: correct, reason: reason)
        }
    }

    /// Whether an answer is correct and, when it is not, why.
    static func judge(_ question: Question, answer: String, sealed: SealedAnswers?, captured: [String: String],
                      instances: [String]) -> (Bool, String?) {
        guard !answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return (false, "no answer") }
        let kind = question.kind
        if kind == .text {
            guard case let .pattern(pattern) = question.answer else { return (false, "the level gives no pattern for this answer") }
            return text(answer, pattern: pattern, not: question.not)
        }
        let candidates = kind.candidates(in: answer, instances: instances)
        let nouns = kind.nouns
        if candidates.isEmpty {
            return (false, kind == .instance ? "names none of the instances (\(instances.joined(separator: ", ")))" : "no \(nouns.one) in the answer")
        }
        if candidates.count > 1 {
            if kind == .identifier {
                return (false, "has \(candidates.count) words: give the one asked for alone, or put it in `backticks`")
            }
            return (false, "lists \(candidates.count) \(nouns.many): give one")
        }
        let candidate = candidates[0]
        if let sealed, sealed.hashes[question.id] != nil {
            return sealed.matches(candidate, question: question.id) ? (true, nil) : (false, "not the expected \(nouns.one)")
        }
        let clear: String?
        switch question.answer {
        case let .value(value): clear = captured[question.id] ?? value
        case .command: clear = captured[question.id]
        case .pattern: clear = nil
        }
        guard let clear, let expected = kind.normalize(expected: clear) else {
            return (false, "the run captured no expected \(nouns.one) for this question")
        }
        return candidate == expected ? (true, nil) : (false, "not the expected \(nouns.one)")
    }

    /// A text answer: none of the `not` patterns anywhere, and the pattern within one sentence
    /// short enough to be an answer rather than a list.
    static func text(_ answer: String, pattern: String, not: [String]) -> (Bool, String?) {
        for excluded in not {
            if let found = firstMatch(pattern: excluded, in: answer) {
                return (false, "says \"\(found)\", which is not the answer")
            }
        }
        let short = sentences(answer).filter { words($0) <= sentenceWords }
        if short.contains(where: { matches(pattern: pattern, in: $0) }) { return (true, nil) }
        if matches(pattern: pattern, in: answer) {
            return (false, "the explanation must be one sentence of at most \(sentenceWords) words")
        }
        return (false, "does not give the explanation asked for")
    }

    /// The answer's sentences: split after ".", "!", "?" or ";" followed by a space, and at
    /// line breaks ("listcache.py" and "db()" stay whole).
    public static func sentences(_ text: String) -> [String] {
        let marked = text.replacingOccurrences(of: #"(?<=[.!?;])\s+"#, with: "\n", options: .regularExpression)
        return marked.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func words(_ sentence: String) -> Int {
        sentence.split(whereSeparator: \.isWhitespace).count
    }

    /// Whether the regular expression is found anywhere in the text; an invalid one never is.
    public static func matches(pattern: String, in given: String) -> Bool {
        firstMatch(pattern: pattern, in: given) != nil
    }

    static func firstMatch(pattern: String, in given: String) -> String? {
        guard !given.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: given, range: NSRange(given.startIndex..., in: given)),
              let range = Range(match.range, in: given) else { return nil }
        return String(given[range])
    }
}
