import Crypto
import Foundation

/// The expected report answers of a run, as `run.json` keeps them: a salted SHA-256 of each
/// answer's normalized form (`AnswerKind.normalize`), never the answer itself. The salt is the
/// run's own, random, so that a hash cannot be looked up from another run or a table of common
/// answers; the grader hashes each candidate of a given answer the same way to compare.
///
/// A hash of a small space (a status among 500) can still be found by trying every value with
/// the salt beside it: what the seal prevents is reading the answers off the run's folder, and
/// copying them from one run to another. Answers that are secret from a determined trainee
/// with a shell on the host would need the game's database or a server to hold them.
public struct SealedAnswers: Sendable, Codable, Equatable {
    /// Hex of 16 random bytes.
    public var salt: String
    /// Question id to the hex SHA-256 of `salt`, the id and the normalized answer.
    public var hashes: [String: String]

    public init(salt: String = SealedAnswers.newSalt(), hashes: [String: String] = [:]) {
        self.salt = salt
        self.hashes = hashes
    }

    public static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Seals a normalized answer to a question.
    public mutating func seal(_ normalized: String, question: String) {
        hashes[question] = hash(normalized, question: question)
    }

    /// Whether a normalized candidate is the sealed answer to a question.
    public func matches(_ normalized: String, question: String) -> Bool {
        guard let sealed = hashes[question] else { return false }
        return hash(normalized, question: question) == sealed
    }

    public func hash(_ normalized: String, question: String) -> String {
        Self.hex(Array(SHA256.hash(data: Data("\(salt)\u{0}\(question)\u{0}\(normalized)".utf8))))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
