import FiredrillGame
import FiredrillRules
import FiredrillStore
import Foundation

/// How the dashboard orders its rows.
public enum BoardSort: String, Sendable {
    /// Furthest behind first (no run, booting, live… closed), then by name.
    case stage
    /// Most over par first, then by name.
    case time
    case name
}

/// What the dashboard's loop does for the model.
public enum BoardEffect: Equatable, Sendable {
    case quit, redraw
    /// Open a run read-only (`firedrill watch RUN`), then come back to the board.
    case openRun(run: String, player: String)
    /// Read the run's postmortem into `BoardModel.review`.
    case loadReview(run: String, player: String)
    /// The instructor's verdict on the run's postmortem.
    case review(run: String, approve: Bool, comment: String)
}

/// The postmortem under review, as the store gave it.
public struct BoardReview: Sendable, Equatable {
    public var run: String
    public var player: String
    /// (field, value) in the document's order.
    public var fields: [(String, String)]
    /// Submitted, approved, returned, or nil when not submitted.
    public var status: String?
    public var comment: String?
    public var scroll = 0
    /// The comment being typed to send it back; nil when not typing one.
    public var typing: String?

    public init(run: String, player: String, fields: [(String, String)], status: String?, comment: String? = nil) {
        self.run = run
        self.player = player
        self.fields = fields
        self.status = status
        self.comment = comment
    }

    public static func == (a: BoardReview, b: BoardReview) -> Bool {
        a.run == b.run && a.player == b.player && a.fields.map { [$0.0, $0.1] } == b.fields.map { [$0.0, $0.1] }
            && a.status == b.status && a.comment == b.comment && a.scroll == b.scroll && a.typing == b.typing
    }
}

/// The class dashboard's state: one row per trainee, sorted, one selected; keys change it and
/// return effects for the loop (`BoardApp`). Pure: snapshot-tested without a terminal.
public struct BoardModel: Sendable {
    public enum Overlay: Sendable, Equatable { case help, review(BoardReview) }

    /// The class's name (its database) for the title.
    public var title: String
    public private(set) var rows: [TraineeRow] = []
    public var sort: BoardSort = .name { didSet { order() } }
    /// The selected trainee, kept across refreshes and sorts.
    public private(set) var selected: String?
    public var overlay: Overlay?
    public var theme: Theme
    public var message: String?
    /// When the rows were last read; nil before the first read.
    public var updatedAt: Date?
    /// The clock the times are shown at (a tick moves it every second).
    public private(set) var now = Date()
    /// The store could not be read: said in the status bar, the last rows stay.
    public var problem: String?

    public init(title: String, theme: Theme) {
        self.title = title
        self.theme = theme
    }

    /// With the theme's glyphs as the locale allows (ASCII when it is not UTF-8).
    public init(title: String, theme: Theme.Name) {
        self.init(title: title, theme: .named(theme, glyphs: ConsoleApp.utf8Locale() ? .unicode : .ascii))
    }

    public static let context = KeyContext("board", title: "The class")
    public static let reviewContext = KeyContext("board-review", title: "Reviewing a postmortem")

    /// The dashboard's keys: data, so the help and the status bar are generated from them.
    public static let bindings: [Binding] = [
        Binding([.char("k"), .up], .up, context, "select the trainee above"),
        Binding([.char("j"), .down], .down, context, "select the trainee below"),
        Binding([.char("g"), .home], .top, context, "the first trainee"),
        Binding([.char("G"), .end], .bottom, context, "the last trainee"),
        Binding([.enter], .openRun, context, "watch the selected trainee's run, read-only (q comes back)", status: "watch"),
        Binding([.char("r")], .reviewRun, context, "review the selected run's postmortem", status: "review"),
        Binding([.char("s")], .sortByStage, context, "sort by stage: furthest behind first", status: "stage"),
        Binding([.char("t")], .sortByTime, context, "sort by time against par: most over first", status: "time"),
        Binding([.char("n")], .sortByName, context, "sort by name", status: "name"),
        Binding([.char("?"), .function(1)], .help, context, "this help", status: "help"),
        Binding([.ctrl("l")], .redraw, context, "redraw the screen"),
        Binding([.char("q")], .quit, context, "quit", status: "quit"),
        Binding([.char("a")], .approve, reviewContext, "approve the postmortem", status: "approve"),
        Binding([.char("b")], .sendBack, reviewContext, "send it back: type a comment, Enter sends, Esc cancels", status: "send back"),
        Binding([.char("k"), .up], .up, reviewContext, "scroll up"),
        Binding([.char("j"), .down], .down, reviewContext, "scroll down"),
        Binding([.escape, .char("q")], .cancel, reviewContext, "back to the class", status: "back"),
    ]

    static func action(for key: Key, in context: KeyContext) -> Action? {
        bindings.first { $0.context == context && $0.keys.contains(key) }?.action
    }

    public var selectedRow: TraineeRow? { rows.first { $0.player == selected } }

    /// New rows from the store; the selection stays on the same trainee.
    public mutating func update(_ fresh: [TraineeRow], at time: Date) {
        rows = fresh
        updatedAt = time
        now = time
        problem = nil
        order()
    }

    /// The clock moves: the times shown, and their order when sorted by time.
    public mutating func tick(_ time: Date) {
        now = time
        if sort == .time { order() }
    }

    private mutating func order() {
        rows.sort { a, b in
            switch sort {
            case .stage where a.stageRank != b.stageRank: return a.stageRank < b.stageRank
            case .time where a.timeRank(at: now) != b.timeRank(at: now): return a.timeRank(at: now) > b.timeRank(at: now)
            default: return a.player < b.player
            }
        }
        if selected == nil || !rows.contains(where: { $0.player == selected }) { selected = rows.first?.player }
    }

    public mutating func handle(_ key: Key) -> [BoardEffect] {
        message = nil
        switch overlay {
        case .help?:
            overlay = nil
            return []
        case var .review(review)?:
            if let typing = review.typing {
                switch key {
                case .escape: review.typing = nil
                case .enter:
                    let comment = typing.trimmingCharacters(in: .whitespaces)
                    guard !comment.isEmpty else { message = "A postmortem is sent back with a comment for the trainee."; return [] }
                    overlay = nil
                    return [.review(run: review.run, approve: false, comment: comment)]
                case .backspace: if !typing.isEmpty { review.typing = String(typing.dropLast()) }
                case let .char(c): review.typing = typing + String(c)
                default: break
                }
                overlay = .review(review)
                return []
            }
            switch Self.action(for: key, in: Self.reviewContext) {
            case .approve?:
                guard review.status == "submitted" else { message = "Only a submitted postmortem is reviewed."; return [] }
                overlay = nil
                return [.review(run: review.run, approve: true, comment: "")]
            case .sendBack?:
                guard review.status == "submitted" else { message = "Only a submitted postmortem is reviewed."; return [] }
                review.typing = ""
            case .up?: review.scroll = max(0, review.scroll - 1)
            case .down?: review.scroll += 1
            case .cancel?: overlay = nil; return []
            default: return []
            }
            overlay = .review(review)
            return []
        case nil:
            break
        }
        guard let action = Self.action(for: key, in: Self.context) else { return [] }
        let index = rows.firstIndex { $0.player == selected } ?? 0
        switch action {
        case .up: select(index - 1)
        case .down: select(index + 1)
        case .top: select(0)
        case .bottom: select(rows.count - 1)
        case .sortByStage: sort = .stage
        case .sortByTime: sort = .time
        case .sortByName: sort = .name
        case .help: overlay = .help
        case .redraw: return [.redraw]
        case .quit: return [.quit]
        case .openRun, .reviewRun:
            guard let row = selectedRow else { return [] }
            guard let run = row.run else { message = "\(row.player) has no run yet."; return [] }
            return action == .openRun ? [.openRun(run: run, player: row.player)] : [.loadReview(run: run, player: row.player)]
        default: break
        }
        return []
    }

    private mutating func select(_ index: Int) {
        guard !rows.isEmpty else { return }
        selected = rows[max(0, min(rows.count - 1, index))].player
    }
}

extension BoardReview {
    /// A run's postmortem from the game's database: the template's fields in order, with their labels.
    public static func postmortem(_ store: any GameStore, run: String, player: String) throws -> BoardReview {
        let values = try store.fields(run: run, document: .postmortem)
        let known = Postmortem.fields.map { ($0.label, values[$0.id] ?? "") }
        let others = values.keys.filter { id in !Postmortem.fields.contains { $0.id == id } }.sorted().map { ($0, values[$0] ?? "") }
        let submission = try store.submission(run: run, document: .postmortem)
        return BoardReview(run: run, player: player, fields: known + others, status: submission?.status.rawValue, comment: submission?.comment)
    }
}

extension TraineeRow {
    /// Every trainee's row from the game's database; in a class, those without a run show the
    /// level assigned them.
    public static func rows(_ store: any GameStore, levels: [String: LevelFacts]) throws -> [TraineeRow] {
        try store.traineeDigests().map { digest in
            var row = TraineeRow(digest, levels: levels)
            if row.run == nil, let store = store as? any ClassStore { row.assigned = try store.assignment(player: row.player)?.level }
            return row
        }
    }
}
