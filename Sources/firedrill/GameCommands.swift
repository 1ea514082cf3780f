import ArgumentParser
import FiredrillCLI
import FiredrillEngine
import FiredrillRules
import FiredrillGame
import FiredrillStore
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The incident report and the postmortem of a run.",
        subcommands: [ReportExport.self, ReportShow.self, ReportSubmit.self],
        defaultSubcommand: ReportShow.self
    )
}

/// The run a game command is about: named, else the newest of the player's (live or not).
func chooseRun(_ game: Game, _ id: String?) throws -> RunRecord {
    if let id { return try game.record(id) }
    if let live = game.engine.store.newestActive() { return live }
    if let last = ((try? game.store.runs(player: game.player)) ?? []).last, let record = try? game.record(last.id) { return record }
    throw EngineError.noLiveRun
}

struct ReportExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the run's incident report and postmortem as Markdown.",
        discussion: "Writes incident-report.md and postmortem.md, ready to paste into a wiki or a pull request. Submitting either in the console also writes them into the run's workspace."
    )

    @OptionGroup var options: EngineOptions
    @Option(name: .customLong("run"), help: "A run id (default: the live run, else your newest).") var runID: String?
    @Option(help: "The folder to write into (default: the current folder).") var output: String = "."

    func run() throws {
        do {
            let game = try options.game()
            let record = try chooseRun(game, runID)
            let directory = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            for file in try game.export(record, to: directory) { print(file.path) }
        } catch {
            throw fail(error)
        }
    }
}

struct ReportShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the run's incident report as Markdown, with its grades and score.")

    @OptionGroup var options: EngineOptions
    @Option(name: .customLong("run"), help: "A run id (default: the live run, else your newest).") var runID: String?
    @Flag(help: "Print the postmortem instead.") var postmortem = false

    func run() throws {
        do {
            let game = try options.game()
            let record = try chooseRun(game, runID)
            let documents = try game.markdown(record)
            print(postmortem ? documents.postmortem : documents.report)
        } catch {
            throw fail(error)
        }
    }
}

struct ReportSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit the run's incident report (graded and scored), or its postmortem for review.",
        discussion: "The console submits with a key; this does the same from the command line."
    )

    @OptionGroup var options: EngineOptions
    @Option(name: .customLong("run"), help: "A run id (default: the live run, else your newest).") var runID: String?
    @Flag(help: "Submit the postmortem instead.") var postmortem = false

    func run() throws {
        do {
            let game = try options.game()
            let record = try chooseRun(game, runID)
            if postmortem {
                try game.submitPostmortem(record)
                print("Postmortem of \(record.id) submitted for review.")
            } else {
                guard let card = try game.submitReport(record) else {
                    return print("Incident report of \(record.id) submitted; the class grades it ('firedrill progress' shows the score once graded).")
                }
                let attempts = game.attempts(record)
                if let attempt = attempts.last, attempt.number > 1 {
                    print("Incident report of \(record.id) submitted again: attempt \(attempt.number), recorded.")
                    print("Its grades (the run's score and certification keep those of attempt 1):\n")
                    print(ScoreText.lines(card, grades: attempt.grades ?? []).joined(separator: "\n"))
                } else {
                    print("Incident report of \(record.id) submitted.\n")
                    print(ScoreText.lines(card, grades: game.grades(record)).joined(separator: "\n"))
                }
            }
        } catch {
            throw fail(error)
        }
    }
}

struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Where you stand: levels played and passed, scores, categories, certification."
    )

    @OptionGroup var options: EngineOptions
    @Option(help: "Whose progress (default: FIREDRILL_PLAYER, else your login name).") var player: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let progress: FiredrillGame.Progress
        do {
            let game = try options.game(player: player)
            try game.gradeClass()
            progress = game.progress()
        } catch {
            throw fail(error)
        }
        if json { return try printJSON(progress) }
        print(ProgressText.text(progress))
    }
}

struct Certificate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the on-call certificate once earned, or write it to a file.")

    @OptionGroup var options: EngineOptions
    @Option(help: "Whose certificate (default: FIREDRILL_PLAYER, else your login name).") var player: String?
    @Option(help: "Write it to this file (Markdown) as well.") var output: String?

    func run() throws {
        let progress: FiredrillGame.Progress
        do {
            progress = try options.game(player: player).progress()
        } catch {
            throw fail(error)
        }
        guard progress.certification.certified, let earned = progress.certification.earnedAt else {
            print(CertificateText.notYet(progress))
            throw ExitCode(2)
        }
        let text = CertificateText.certificate(progress, earned: earned)
        print(text)
        if let output {
            do {
                try (text + "\n").write(toFile: output, atomically: true, encoding: .utf8)
                FileHandle.standardError.write(Data("Written to \(output)\n".utf8))
            } catch {
                throw fail(error)
            }
        }
    }
}

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For instructors: list submitted postmortems, read one, approve it or send it back.",
        discussion: """
        firedrill review                           list the postmortems waiting for review
        firedrill review RUN                       print one
        firedrill review RUN --approve             approve it
        firedrill review RUN --send-back "why"     return it to the trainee with a comment
        """
    )

    @OptionGroup var options: EngineOptions
    @Argument(help: "The run whose postmortem to read or review.") var runID: String?
    @Flag(help: "Approve the postmortem.") var approve = false
    @Option(name: .customLong("send-back"), help: "Return the postmortem with this comment.") var sendBack: String?
    @Flag(help: "List every postmortem, reviewed ones too.") var all = false
    @Option(help: "Your name as reviewer (default: your login name).") var reviewer: String?

    func validate() throws {
        if approve, sendBack != nil { throw ValidationError("--approve or --send-back, not both") }
        if (approve || sendBack != nil), runID == nil { throw ValidationError("name the run to review") }
        if let sendBack, sendBack.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--send-back needs a comment for the trainee") }
    }

    func run() throws {
        do {
            let game = try options.game()
            try game.gradeClass()
            guard let run = runID else {
                let list = try game.store.submissions(document: .postmortem, status: all ? nil : .submitted).map { item in
                    ReviewRow(run: item.run, player: (try? game.store.run(item.run))?.player ?? "?", status: item.status.rawValue,
                              submittedAt: item.submittedAt, comment: item.comment)
                }
                print(ReviewRow.table(list, all: all))
                return
            }
            let record = try game.record(run)
            if approve || sendBack != nil {
                try game.store.review(run: run, document: .postmortem, approve: approve, comment: sendBack ?? "",
                                      reviewer: reviewer ?? Player.current(), at: Date())
                print(approve ? "Approved the postmortem of \(run)." : "Sent the postmortem of \(run) back with your comment.")
                return
            }
            print(try game.markdown(record).postmortem)
            if let submission = try game.store.submission(run: run, document: .postmortem) {
                print("Status: \(submission.status.rawValue)\(submission.comment.map { " — \"\($0)\"" } ?? "")")
            } else {
                print("Status: not submitted")
            }
        } catch {
            throw fail(error)
        }
    }
}

struct Leaderboard: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Players ranked by the sum of their best score on each level.")

    @OptionGroup var options: EngineOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let rows: [LeaderboardRow]
        do {
            let game = try options.game()
            try game.gradeClass()
            rows = game.leaderboard()
        } catch {
            throw fail(error)
        }
        if json { return try printJSON(rows) }
        print(LeaderboardText.table(rows))
    }
}
