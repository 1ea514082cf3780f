import FiredrillTestSupport
import FiredrillEngine
import FiredrillRules
import Testing

/// Each kind of answer: what the grader finds in free text, and how it is normalized.
@Suite struct AnswerKindTests {
    let instances = ["frontend", "proxy", "backend", "db"]

    @Test func statusesAreThreeDigitCodesFrom100To599() {
        #expect(AnswerKind.status.candidates(in: "The proxy returned 413 for every upload.") == ["413"])
        #expect(AnswerKind.status.candidates(in: "HTTP/1.1 413 Request Entity Too Large") == ["413"])
        #expect(AnswerKind.status.candidates(in: "413s all day, 413 again") == ["413"])
        #expect(AnswerKind.status.candidates(in: "a 5 MB file, 1048576 bytes, 2026-11-26, 099, 600, 4130, 41.3") == [])
        #expect(AnswerKind.status.candidates(in: "413 or 502") == ["413", "502"])
    }

    @Test func sizesAreNormalizedToBytes() {
        for given in ["1m", "1 MiB", "1048576", "1 MB", "1M", "1,048,576 bytes", "1024k", "1024 KB", "client_max_body_size 1m;"] {
            #expect(AnswerKind.size.candidates(in: given) == ["1048576"], "\(given)")
        }
        #expect(AnswerKind.size.candidates(in: "0.5g") == ["536870912"])
        #expect(AnswerKind.size.normalize(expected: "1m") == "1048576")
        // With a unit somewhere, bare numbers are not sizes: "line 12" is not 12 bytes.
        #expect(AnswerKind.size.candidates(in: "1m, on line 12 of billing.conf") == ["1048576"])
        #expect(AnswerKind.size.candidates(in: "1m, then 20m") == ["1048576", "20971520"])
    }

    @Test func instancesAreTheScenariosOwnNames() {
        #expect(AnswerKind.instance.candidates(in: "The PROXY's nginx rejected them.", instances: instances) == ["proxy"])
        #expect(AnswerKind.instance.candidates(in: "proxyd, backends, the db", instances: instances) == ["db"])
        #expect(AnswerKind.instance.candidates(in: "nginx", instances: instances) == [])
        #expect(AnswerKind.instance.normalize(expected: " Proxy\n") == "proxy")
    }

    @Test func pathsStartWithASlash() {
        #expect(AnswerKind.path.candidates(in: "It was /var/log/big.log.") == ["/var/log/big.log"])
        #expect(AnswerKind.path.candidates(in: "`/var/app/tmp/attachments/2026-11/`") == ["/var/app/tmp/attachments/2026-11"])
        #expect(AnswerKind.path.candidates(in: "/var//app/tmp/") == ["/var/app/tmp"])
        #expect(AnswerKind.path.candidates(in: "the root, /") == ["/"])
        #expect(AnswerKind.path.candidates(in: "http://127.0.0.1:5173/x and/or 1/2") == [])
        #expect(AnswerKind.path.candidates(in: "/var/log/big.log.1") == ["/var/log/big.log.1"])
    }

    @Test func numbersIgnoreCommasLeadingZerosAndUnits() {
        #expect(AnswerKind.number.candidates(in: "about 1,000,000 rows") == ["1000000"])
        #expect(AnswerKind.number.candidates(in: "mode 0755") == ["755"])
        #expect(AnswerKind.number.candidates(in: "256MB") == ["256"])
        #expect(AnswerKind.number.candidates(in: "37.50") == ["37.5"])
        #expect(AnswerKind.number.candidates(in: "session37, idx_2, 0002_tidy, v2") == [])
        #expect(AnswerKind.number.candidates(in: "137 or 37") == ["137", "37"])
    }

    @Test func identifiersAreOneWordOrOneInBackticks() {
        #expect(AnswerKind.identifier.candidates(in: " DEBUG. ") == ["debug"])
        #expect(AnswerKind.identifier.candidates(in: "\"root:root\"") == ["root:root"])
        #expect(AnswerKind.identifier.candidates(in: "https://billing.staging.example.com") == ["https://billing.staging.example.com"])
        #expect(AnswerKind.identifier.candidates(in: "It ran at `DEBUG`, not INFO") == ["debug"])
        #expect(AnswerKind.identifier.candidates(in: "It ran at DEBUG") == ["it", "ran", "at", "debug"])
    }

    @Test func durationsAreSecondsAndTimesOfDayToo() {
        for given in ["90s", "1.5 min", "1m30s", "90 seconds"] {
            #expect(AnswerKind.duration.candidates(in: given) == ["90"], "\(given)")
        }
        #expect(AnswerKind.duration.candidates(in: "It booted at 14:05 UTC.") == ["50700"])
        #expect(AnswerKind.duration.candidates(in: "14:05:00") == ["50700"])
        #expect(AnswerKind.duration.candidates(in: "2h") == AnswerKind.duration.candidates(in: "02:00"))
        #expect(AnswerKind.duration.candidates(in: "500ms") == ["0.5"])
        #expect(AnswerKind.duration.candidates(in: "25:00, 12:60, 5 MB") == [])
    }

    @Test func anExpectedAnswerNotOfItsKindIsNone() {
        #expect(AnswerKind.status.normalize(expected: "") == nil)
        #expect(AnswerKind.status.normalize(expected: "413 502") == nil)
        #expect(AnswerKind.identifier.normalize(expected: "two words") == nil)
        #expect(AnswerKind.text.normalize(expected: "anything") == nil)
    }
}

/// payload-too-large's questions on the status, the limit and the instance.
let payloadTooLargeQuestions = [
    Question(id: "status", ask: "What HTTP status did the proxy log for the failed uploads?", kind: .status,
             answer: .command(instance: "proxy", command: "x", user: nil)),
    Question(id: "limit", ask: "What request-body limit was configured on the proxy when the incident started?", kind: .size,
             answer: .command(instance: "proxy", command: "y", user: nil)),
    Question(id: "instance", ask: "Which instance rejected the uploads?", kind: .instance, answer: .value("proxy")),
]

/// A list names the right answer among wrong ones: it is refused, and the grade says why.
@Suite struct ListAnswerTests {
    let instances = ["frontend", "proxy", "backend", "db"]
    let questions = payloadTooLargeQuestions

    var sealed: SealedAnswers {
        var sealed = SealedAnswers()
        sealed.seal("413", question: "status")
        sealed.seal("1048576", question: "limit")
        sealed.seal("proxy", question: "instance")
        return sealed
    }

    /// The instructor's answer on payload-too-large: one sentence with every candidate, given to
    /// each of the three questions.
    static let everything = "It was one of 200, 201, 301, 302, 400, 401, 403, 404, 413, 500, 502 or 504, with a limit of "
        + "1k, 64k, 512k, 1m, 2m, 8m or 20m, on frontend, proxy, backend or db."

    @Test func theListOfEveryCandidateIsRefusedOnPayloadTooLarge() {
        let given = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, Self.everything) })
        let grades = Grading.grade(questions: questions, sealed: sealed, given: given, instances: instances)
        #expect(grades.map(\.correct) == [false, false, false])
        #expect(grades.map(\.reason) == ["lists 12 statuses: give one", "lists 7 sizes: give one", "lists 4 instances: give one"])
        let score = Scoring.score(level: LevelFacts(id: "payload-too-large", category: .http, difficulty: 1, par: 900, objectives: 3, questions: 3),
                                  events: gameRunEvents, grades: grades, reportSubmitted: true)
        #expect(score.lines.contains { $0.label == "Report 0/3 answers correct" })
    }

    @Test func aCorrectShortAnswerInASentenceStillPasses() {
        let given = [
            "status": "The proxy returned 413 for every upload.",
            "limit": "client_max_body_size was 1 MiB (1m in billing.conf).",
            "instance": "The proxy, before the request went any further.",
        ]
        let grades = Grading.grade(questions: questions, sealed: sealed, given: given, instances: instances)
        #expect(grades.map(\.correct) == [true, true, true], "\(grades.map(\.reason))")
        let wrong = Grading.grade(questions: questions, sealed: sealed,
                                  given: ["status": "502", "limit": "nothing", "instance": "the backend"],
                                  instances: instances)
        #expect(wrong.map(\.reason) == ["not the expected status", "no size in the answer", "not the expected instance"])
    }

    @Test func oldRunsWithClearAnswersStillGrade() {
        let grades = Grading.grade(questions: questions, captured: ["status": "413", "limit": "1m"],
                                   given: ["status": "413", "limit": "1048576 bytes", "instance": "proxy"],
                                   instances: instances)
        #expect(grades.map(\.correct) == [true, true, true])
    }

    @Test func aTextAnswerMustBeOneShortSentenceAndNameNothingRuledOut() {
        let scheduler = Question(id: "scheduler", ask: "What ran that script, and how often?", kind: .text,
                                 answer: .pattern("(?i)cron.*(every|each|1) ?minute|minute.*cron"),
                                 not: ["(?i)systemd|anacron|supervisor", "(?i)\\bevery (hour|second|day|week)|hourly|daily|weekly"])
        func grade(_ answer: String) -> QuestionGrade {
            Grading.grade(questions: [scheduler], given: ["scheduler": answer])[0]
        }
        #expect(grade("A cron job in /etc/cron.d/billing-backup, every minute.").correct)
        #expect(grade("I looked at the process tree. It was cron, every minute. Then I removed the entry.").correct)
        let listed = grade("cron or systemd or anacron, every minute or every hour")
        #expect(!listed.correct)
        #expect(listed.reason == "says \"systemd\", which is not the answer")
        let long = grade("cron " + String(repeating: "and then some more words ", count: 8) + "every minute")
        #expect(!long.correct)
        #expect(long.reason == "the explanation must be one sentence of at most 30 words")
        #expect(grade("No idea.").reason == "does not give the explanation asked for")
    }

    @Test func anIdentifierInASentenceNeedsBackticks() {
        let level = Question(id: "log-level", ask: "At which log level was the API running?", kind: .identifier, answer: .value("DEBUG"))
        func grade(_ answer: String) -> QuestionGrade { Grading.grade(questions: [level], given: ["log-level": answer])[0] }
        #expect(grade("debug").correct)
        #expect(grade("It ran at `DEBUG`.").correct)
        #expect(grade("It ran at DEBUG").reason == "has 4 words: give the one asked for alone, or put it in `backticks`")
        #expect(!grade("`DEBUG` `INFO` `WARNING`").correct)
    }

    @Test func aSealedAnswerIsNotInClearAndMatchesOnlyItsRunsSalt() {
        let first = sealed
        #expect(!first.hashes.values.contains("413"))
        #expect(first.matches("413", question: "status"))
        #expect(!first.matches("413", question: "limit"))
        var other = SealedAnswers()
        other.seal("413", question: "status")
        #expect(other.salt != first.salt)
        #expect(other.hashes["status"] != first.hashes["status"])
    }
}
