import Foundation

/// Wording in a postmortem that puts an incident on a person instead of on the system.
public struct BlamelessFinding: Sendable, Equatable, Codable {
    /// The id of the field the wording is in.
    public var field: String
    /// 1-based line within the field.
    public var line: Int
    /// The line, trimmed (a window around the wording when the line is long).
    public var excerpt: String
    /// What is wrong and how to say it blamelessly.
    public var message: String

    public init(field: String, line: Int, excerpt: String, message: String) {
        self.field = field
        self.line = line
        self.excerpt = excerpt
        self.message = message
    }
}

/// A lint for blameless wording. It flags "human error", "X's fault", blame, judging adjectives
/// ("careless", "lazy"…), hindsight ("should have known"), and a person as the subject of
/// forgot / failed to / neglected / messed up / screwed up / didn't bother / broke. A person is
/// he, she, someone, somebody, a role ("the intern", "the new guy"), or a first name; a
/// capitalised word starting a sentence is only taken for a name when it is a common first name,
/// so "Nginx failed to reload" or "The migration failed to acquire the lock" pass.
public enum Blameless {
    public static let advice = "describe what the system allowed, not who did it"

    public static func lint(_ fields: [(id: String, text: String)]) -> [BlamelessFinding] {
        var findings: [BlamelessFinding] = []
        for field in fields {
            let lines = field.text.components(separatedBy: "\n")
            for (index, raw) in lines.enumerated() {
                let line = raw.replacingOccurrences(of: "\r", with: "")
                for hit in hits(in: line).sorted(by: { $0.location < $1.location }) {
                    findings.append(BlamelessFinding(field: field.id, line: index + 1,
                                                     excerpt: excerpt(line, around: hit.location), message: hit.message))
                }
            }
        }
        return findings
    }

    // MARK: - Rules

    private struct Hit {
        var location: Int
        var message: String
    }

    private static func hits(in line: String) -> [Hit] {
        let ns = line as NSString
        var hits: [Hit] = []
        func add(_ location: Int, _ message: String) {
            if !hits.contains(where: { $0.location == location }) { hits.append(Hit(location: location, message: message)) }
        }

        for match in humanError.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            add(match.range.location, "\"\(ns.substring(with: match.range))\" ends the analysis where it should start: \(advice), and what made the slip easy and let it through.")
        }
        for match in possessiveFault.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            let owner = ns.substring(with: match.range(at: 1))
            let before = ns.substring(to: match.range.location)
            guard isBlamedOwner(owner, before: before) else { continue }
            add(match.range.location, "\"\(ns.substring(with: match.range))\" assigns fault to a person: \(advice).")
        }
        for match in pronounFault.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            add(match.range.location, "\"\(ns.substring(with: match.range))\" assigns fault to a person: \(advice).")
        }
        for match in blame.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            let before = words(ns.substring(to: match.range.location)).suffix(4).map { $0.lowercased() }
            if before.contains(where: { negations.contains($0) || $0.hasSuffix("n't") || $0.hasSuffix("n’t") }) { continue }
            add(match.range.location, "Blame has no place in a postmortem: \(advice).")
        }
        for match in judging.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            let word = ns.substring(with: match.range)
            add(match.range.location, "\"\(word)\" judges a person: \(advice) (a missing check, an unclear procedure, time pressure).")
        }
        for match in hindsight.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            add(match.range.location, "\"\(ns.substring(with: match.range))\" is hindsight: say what was missing or hard to see at the time, and \(advice).")
        }
        for match in personVerb.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            let verb = ns.substring(with: match.range).lowercased()
            let humanOnly = !(verb.hasPrefix("failed") || verb.hasPrefix("broke"))
            let before = ns.substring(to: match.range.location)
            guard let subject = personSubject(before: before, humanOnly: humanOnly) else { continue }
            add(subject.location, "\"\(subject.text) \(ns.substring(with: match.range))\" puts the incident on a person: \(advice) (\"the deploy had no step that…\").")
        }
        return hits
    }

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are constants of this file; a typo is a programming error.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    private static let humanError = regex(#"\bhuman[ -]errors?\b"#)
    private static let possessiveFault = regex(#"\b([\p{L}][\p{L}-]*)['’]s\s+(?:own\s+)?(?:fault|mistake|screw-?up)\b"#)
    private static let pronounFault = regex(#"\b(?:his|her|their|your|my)\s+(?:own\s+)?(?:fault|mistake|screw-?up)\b"#)
    private static let blame = regex(#"\bblam(?:e|ed|es|ing)\b"#)
    private static let judging = regex(#"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|lazy(?![- ](?:load|loading|loaded|evaluation|init|initiali[sz]ation|import))|laziness|incompeten(?:t|ce)|stupid(?:ity)?|sloppy|sloppiness|idiot(?:s|ic)?)\b"#)
    private static let hindsight = regex(#"\bshould(?:\s+have|['’]ve)\s+known\b"#)
    private static let wordPattern = regex(#"[\p{L}\p{N}'’-]+"#)
    private static let personVerb = regex(#"\b(?:forgot|forgotten|neglected|failed to|messed up|screwed up|didn['’]?t bother|did not bother|never bothered|broke)\b"#)

    private static let negations: Set<String> = ["no", "not", "nobody", "never", "without", "nothing", "none", "cannot"]

    /// Words that may stand between a subject and its verb: "Bob simply forgot", "he had forgotten".
    private static let fillers: Set<String> = [
        "had", "has", "have", "just", "simply", "again", "also", "then", "apparently", "clearly", "obviously",
        "probably", "once", "completely", "totally", "somehow", "accidentally",
    ]

    private static let pronouns: Set<String> = ["he", "she", "someone", "somebody", "you"]

    /// Roles that name a person.
    private static let roles: Set<String> = [
        "intern", "guy", "hire", "developer", "dev", "engineer", "admin", "sysadmin", "dba", "operator", "contractor",
        "colleague", "teammate", "junior", "on-call", "oncall", "sre", "employee", "person", "coworker", "co-worker",
        "newbie", "girl", "boy", "man", "woman", "reviewer", "manager",
    ]

    /// Capitalised words that are not people: software, the scenarios' parts, days and months,
    /// words that start sentences.
    private static let notNames: Set<String> = [
        "nginx", "mariadb", "mysql", "postgres", "postgresql", "redis", "docker", "flask", "gunicorn", "python", "linux",
        "kubernetes", "cron", "systemd", "compose", "git", "github", "gitlab", "jenkins", "terraform", "ansible", "java",
        "node", "grafana", "prometheus", "kafka", "rabbitmq", "elasticsearch", "varnish", "haproxy", "apache", "aws",
        "cloudflare", "billing", "api", "proxy", "backend", "frontend", "certbot", "chrome", "firefox", "safari", "sentry",
        "pagerduty", "slack", "memcached", "logrotate", "celery", "ci", "cd", "the", "this", "that", "it", "we", "they",
        "our", "then", "later", "after", "before", "when", "nobody", "everyone", "everybody", "anyone", "anybody", "one",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november", "december", "who", "what",
        "there", "here", "nothing", "something",
    ]

    /// Common first names: the only capitalised words taken for a person at the start of a sentence.
    private static let firstNames: Set<String> = [
        "alice", "bob", "carol", "dave", "david", "eve", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar",
        "peggy", "trent", "victor", "walter", "john", "jane", "mike", "michael", "sarah", "tom", "tim", "james", "mary",
        "robert", "patricia", "jennifer", "linda", "william", "elizabeth", "richard", "barbara", "joseph", "susan",
        "thomas", "jessica", "charles", "karen", "chris", "christopher", "daniel", "nancy", "matthew", "lisa",
        "anthony", "mark", "sandra", "paul", "steve", "steven", "andrew", "kevin", "brian", "george", "emily", "emma",
        "olivia", "ava", "sophia", "liam", "noah", "lucas", "ben", "sam", "alex", "max", "anna", "maria", "juan",
        "carlos", "pierre", "marie", "jean", "hans", "ahmed", "mohammed", "wei", "yuki", "raj", "priya", "kim", "dan",
        "joe", "jim", "bill", "fred", "ted", "nick", "pete", "peter", "jack", "harry", "lucy", "kate", "laura", "julia",
        "sophie", "greg", "ryan", "eric", "adam", "jason", "josh", "kyle", "sean", "zoe", "chloe", "nora", "hugo", "leo",
        "ali", "omar", "fatima", "aisha", "ravi", "arjun", "chen", "mei", "hiro", "ken", "igor", "olga", "sven", "lars",
        "ingrid", "paolo", "giulia", "marco", "lea", "tara", "nina", "rosa", "vera", "bruno", "claire", "diane", "ellen",
    ]

    /// The subject in front of a verb, when it is a person; skips filler words and adverbs.
    private static func personSubject(before: String, humanOnly: Bool) -> (text: String, location: Int)? {
        var tokens = wordTokens(before)
        while let last = tokens.last, last.text == last.text.lowercased(),
              fillers.contains(last.text) || last.text.hasSuffix("ly") {
            tokens.removeLast()
        }
        guard let word = tokens.last else { return nil }
        // The subject is the word right before the verb (fillers aside), not one across a comma or
        // a full stop: what lies between holds only the skipped words and spaces.
        let gap = (before as NSString).substring(from: word.location + (word.text as NSString).length)
        guard gap.allSatisfy({ $0.isWhitespace || $0.isLetter }) else { return nil }
        let lower = word.text.lowercased()
        if pronouns.contains(lower) || (humanOnly && lower == "they") { return (word.text, word.location) }
        if roles.contains(lower) {
            // "the new guy", "the intern", "our dba": start the excerpt at the determiner.
            let phrase = tokens.suffix(3)
            if let determiner = phrase.first(where: { ["the", "a", "an", "our", "their", "my", "your"].contains($0.text.lowercased()) }) {
                let text = (before as NSString).substring(with: NSRange(location: determiner.location,
                                                                        length: word.location + (word.text as NSString).length - determiner.location))
                return (text, determiner.location)
            }
            return (word.text, word.location)
        }
        if isName(word.text, before: (before as NSString).substring(to: word.location)) { return (word.text, word.location) }
        return nil
    }

    /// A capitalised word is a name when it is not a known non-name, and either does not start a
    /// sentence or is a common first name.
    private static func isName(_ word: String, before: String) -> Bool {
        guard let first = word.first, first.isUppercase, word.count >= 2,
              word.dropFirst().allSatisfy({ $0.isLowercase || $0 == "-" }) else { return false }
        let lower = word.lowercased()
        if notNames.contains(lower) { return false }
        return firstNames.contains(lower) || !startsSentence(before)
    }

    private static func startsSentence(_ before: String) -> Bool {
        var text = before.trimmingCharacters(in: .whitespaces)
        while let last = text.last, "\"'“‘([".contains(last) { text.removeLast(); text = text.trimmingCharacters(in: .whitespaces) }
        if text.isEmpty { return true }
        if let last = text.last, ".!?:;".contains(last) { return true }
        // A bullet or a numbered item: "- ", "* ", "1. ", "2) ", "> ".
        let bullet = text.trimmingCharacters(in: CharacterSet(charactersIn: "-*•+>#0123456789.) \t"))
        return bullet.isEmpty
    }

    private static func isBlamedOwner(_ owner: String, before: String) -> Bool {
        let lower = owner.lowercased()
        if notNames.contains(lower) { return false }
        if roles.contains(lower) || pronouns.contains(lower) { return true }
        let previous = words(before).last?.lowercased()
        let determiners: Set<String> = ["the", "a", "an", "this", "that", "our", "its", "their", "his", "her", "my", "your"]
        if let previous, determiners.contains(previous) { return false }
        return true
    }

    private static func words(_ text: String) -> [String] { wordTokens(text).map(\.text) }

    private static func wordTokens(_ text: String) -> [(text: String, location: Int)] {
        let ns = text as NSString
        return wordPattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            (ns.substring(with: $0.range), $0.range.location)
        }
    }

    private static func excerpt(_ line: String, around location: Int) -> String {
        let ns = line as NSString
        let limit = 100
        if ns.length <= limit { return line.trimmingCharacters(in: .whitespaces) }
        let start = max(0, min(location - 30, ns.length - limit))
        let end = min(ns.length, start + limit)
        var text = ns.substring(with: NSRange(location: start, length: end - start)).trimmingCharacters(in: .whitespaces)
        if start > 0 { text = "…" + text }
        if end < ns.length { text += "…" }
        return text
    }
}
