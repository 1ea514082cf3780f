import Foundation

/// Loads `level.yaml` and `scenario.yaml` files into their models, strictly: every problem is a
/// `Diagnostic` naming the file, line and field.
public enum LevelLoader {
    static let levelFields = ["id", "title", "scenario", "category", "difficulty", "par", "briefing",
                              "faults", "symptoms", "objectives", "hints", "questions", "capabilities", "wait_for_ready", "costly", "params", "warm"]

    /// Parses a level from its text. `file` is the path shown in errors; `directory` is the level's
    /// folder. The `params` section is read first; its values drawn under `bindings` and the run's
    /// values replace the text's `${...}` references before the level is parsed, so a reference
    /// can stand in any field, typed ones included.
    public static func level(text: String, file: String, directory: URL, bindings: LevelBindings = .unbound) throws -> Level {
        let parameters = try parse(Interpolation.placeholders(text), file: file, only: "params") { root in
            root.mapping(levelFields).map { self.parameters($0["params"]) }
        }
        let referenced = Interpolation.references(in: text).map(\.name)
        let portNames = Set(referenced.compactMap { name -> String? in
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            return ["origin", "url"].contains(parts[0]) && parts.count == 2 ? parts[1] : nil
        })
        let values = Interpolation.values(level: directory.lastPathComponent, parameters: parameters, bindings: bindings,
                                          portNames: portNames.sorted())
        let (bound, unknown) = Interpolation.substitute(text, values: values)
        guard unknown.isEmpty else {
            let known = values.keys.filter { $0.hasPrefix("param.") }.sorted()
            throw Diagnostics(unknown.map { reference in
                let hint = closest(to: reference.name, in: known).map { " (did you mean '${\($0)}'?)" } ?? ""
                return Diagnostic(file: file, line: reference.line, field: field(onLine: reference.line, of: text),
                                  message: "unknown reference ${\(reference.name)}\(hint)")
            })
        }
        var level = try parse(bound, file: file) { parseLevel($0, directory: directory) }
        level.parameters = parameters
        level.values = values
        level.portReferences = portNames.sorted()
        return level
    }

    public static func level(at directory: URL, bindings: LevelBindings = .unbound) throws -> Level {
        let url = directory.appendingPathComponent("level.yaml")
        return try level(text: read(url, what: "level"), file: url.path, directory: directory, bindings: bindings)
    }

    /// The field a line of a level file sets, for a reference's error.
    private static func field(onLine line: Int, of text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line - 1 < lines.count else { return "" }
        let trimmed = lines[line - 1].trimmingCharacters(in: .whitespaces).drop { $0 == "-" || $0 == " " }
        guard let colon = trimmed.firstIndex(of: ":") else { return "" }
        return String(trimmed[..<colon])
    }

    public static func scenario(text: String, file: String, directory: URL) throws -> Scenario {
        try parse(text, file: file) { parseScenario($0, directory: directory) }
    }

    public static func scenario(at directory: URL) throws -> Scenario {
        let url = directory.appendingPathComponent("scenario.yaml")
        return try scenario(text: read(url, what: "scenario"), file: url.path, directory: directory)
    }

    /// Runs a parser over a document; any problem it or the YAML reader reports is thrown. With
    /// `only`, problems of other fields are left for a later pass.
    private static func parse<T>(_ text: String, file: String, only: String? = nil, _ parser: (YAMLReader.Value) -> T?) throws -> T {
        let reader = YAMLReader(file: file)
        let value = reader.root(text).flatMap(parser)
        let problems = reader.diagnostics.filter { only == nil || $0.field == "" || $0.field.hasPrefix(only!) }
        if let value, problems.isEmpty { return value }
        throw Diagnostics(problems)
    }

    static func text(of url: URL, what: String) throws -> String { try read(url, what: what) }

    private static func read(_ url: URL, what: String) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Diagnostics([Diagnostic(file: url.path, line: nil, field: "", message: "cannot read the \(what) file: \(error.localizedDescription)")])
        }
    }

    // MARK: - Level

    private static func parseLevel(_ root: YAMLReader.Value, directory: URL) -> Level? {
        guard let fields = root.mapping(levelFields) else { return nil }
        let id = fields.required("id")?.string()
        if let id, !isIdentifier(id) {
            fields["id"]?.error("'\(id)' must be lowercase letters, digits and dashes")
        }
        if let id, id != directory.lastPathComponent {
            fields["id"]?.error("'\(id)' does not match its folder name '\(directory.lastPathComponent)'")
        }
        let title = fields.required("title")?.string()
        let scenario = fields.required("scenario")?.string()
        let category = fields.required("category")?.string().flatMap { name -> Category? in
            guard let category = Category(rawValue: name) else {
                fields["category"]?.error("'\(name)' must be lowercase letters, digits and dashes")
                return nil
            }
            return category
        }
        let difficulty = fields.required("difficulty")?.int(in: 1...3)
        let par = fields.required("par")?.duration()
        let briefing = fields.required("briefing")?.string()
        let faults = fields["faults"]?.sequence()?.compactMap(fault) ?? []
        let symptoms = objectives(fields["symptoms"])
        let objectives = objectives(fields.required("objectives"))
        if fields["objectives"] != nil, objectives.isEmpty {
            fields["objectives"]?.error("a level needs at least one objective")
        }
        let hints = fields["hints"]?.sequence()?.compactMap { $0.string() } ?? []
        let questions = fields["questions"]?.sequence()?.compactMap(question) ?? []
        let capabilities = fields["capabilities"]?.strings() ?? []
        let waitForReady = fields["wait_for_ready"]?.bool() ?? true
        let costly = fields["costly"]?.sequence()?.compactMap(costlyFix) ?? []
        uniqueIDs(costly.map(\.id), in: fields["costly"])
        uniqueIDs(objectives.map(\.id), in: fields["objectives"])
        uniqueIDs(symptoms.map(\.id), in: fields["symptoms"])
        uniqueIDs(questions.map(\.id), in: fields["questions"])
        guard let id, let title, let scenario, let category, let difficulty, let par, let briefing else { return nil }
        var level = Level(id: id, title: title, scenario: scenario, category: category, difficulty: difficulty,
                          par: par, briefing: briefing, faults: faults, symptoms: symptoms, objectives: objectives,
                          hints: hints, questions: questions, capabilities: capabilities, directory: directory)
        level.waitForReady = waitForReady
        level.costly = costly
        if let warm = fields["warm"]?.mapping(["cold", "rearm", "recapture"]) {
            level.coldOnly = warm["cold"]?.string()
            level.recapture = warm["recapture"]?.strings() ?? []
            let fromRun = Set(questions.filter { if case .command = $0.answer { return true } else { return false } }.map(\.id))
            for id in level.recapture where !fromRun.contains(id) {
                warm["recapture"]?.error("'\(id)' is not a question whose answer comes from the run (answer: command)")
            }
            level.rearm = warm["rearm"]?.sequence()?.compactMap(fault) ?? []
            for (index, fault) in level.rearm.enumerated() {
                guard case .exec = fault else {
                    warm["rearm"]?.error("item \(index + 1): only exec faults can be run again on a live run")
                    continue
                }
            }
            if level.coldOnly != nil, !level.rearm.isEmpty || !level.recapture.isEmpty {
                warm["cold"]?.error("a level started cold has nothing to re-arm or capture again")
            }
        }
        return level
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
    }

    private static func uniqueIDs(_ ids: [String], in value: YAMLReader.Value?) {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            value?.error("id '\(id)' is used twice")
        }
    }

    /// `params:` names to choices: a list of values or of groups of named values, or `{from, to}`
    /// for a whole number.
    private static func parameters(_ value: YAMLReader.Value?) -> [Parameter] {
        guard let value else { return [] }
        guard case let .mapping(mapping) = value.node else {
            value.error("expected a mapping of parameter names to their choices")
            return []
        }
        var parameters: [Parameter] = []
        for (keyNode, node) in mapping {
            let choices = YAMLReader.Value(node: node, path: "params.\(keyNode.string ?? "?")", reader: value.reader)
            guard let name = keyNode.string, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !name.isEmpty else {
                choices.error("a parameter's name is letters, digits, - and _")
                continue
            }
            if case .mapping = node {
                guard let range = choices.mapping(["from", "to"]), let from = range.required("from")?.int(),
                      let to = range.required("to")?.int() else { continue }
                guard from <= to, to - from < 100_000 else {
                    choices.error("expected from ≤ to, at most 100000 apart")
                    continue
                }
                parameters.append(Parameter(name: name, choices: (from...to).map { ["": String($0)] }))
                continue
            }
            guard let list = choices.sequence() else { continue }
            let drawn: [[String: String]] = list.compactMap { choice in
                if case .mapping = choice.node { return choice.stringMap() }
                return choice.string().map { ["": $0] }
            }
            guard drawn.count == list.count else { continue }
            if drawn.isEmpty { choices.error("a parameter needs at least one choice") }
            if drawn.contains(where: { $0.values.contains { $0.contains("\n") || $0.contains("${") } }) {
                choices.error("a choice is one line of text, without references")
            }
            if Set(drawn.map { $0.keys.sorted() }).count > 1 { choices.error("every choice has the same fields") }
            if !drawn.isEmpty { parameters.append(Parameter(name: name, choices: drawn)) }
        }
        return parameters
    }

    private static func fault(_ value: YAMLReader.Value) -> Fault? {
        let kinds = ["patch", "overlay", "exec", "restart"]
        guard let fields = value.mapping(kinds), let (kind, body) = fields.exactlyOne(of: kinds, what: "a fault") else { return nil }
        switch kind {
        case "patch":
            guard let patch = body.mapping(["file", "replace", "with"]) else { return nil }
            let file = patch.required("file")?.string()
            let replace = patch.required("replace")?.string()
            let with = patch.required("with")?.string()
            guard let file, let replace, let with else { return nil }
            if !isRelativeInside(file) { patch["file"]?.error("must be a path inside the workspace, without '..'") }
            return .patch(file: file, replace: replace, with: with)
        case "restart":
            return body.string().map { .restart(instance: $0) }
        case "overlay":
            guard let directory = body.string() else { return nil }
            if !isRelativeInside(directory) { body.error("must be a folder of the level, without '..'") }
            return .overlay(directory: directory)
        default:
            guard let exec = body.mapping(["instance", "run", "user", "background"]) else { return nil }
            let instance = exec.required("instance")?.string()
            let run = exec.required("run")?.string()
            let user = exec["user"]?.string()
            let background = exec["background"]?.bool() ?? false
            guard let instance, let run else { return nil }
            return .exec(instance: instance, command: run, user: user, background: background)
        }
    }

    static func isRelativeInside(_ path: String) -> Bool {
        !path.hasPrefix("/") && !path.split(separator: "/").contains("..") && !path.isEmpty
    }

    private static func objectives(_ value: YAMLReader.Value?) -> [Objective] {
        guard let items = value?.sequence() else { return [] }
        return items.compactMap { item in
            guard let fields = item.mapping(["id", "title", "check", "every"]) else { return nil }
            let id = fields.required("id")?.string()
            let title = fields.required("title")?.string()
            let check = fields.required("check").flatMap(check)
            let every = fields["every"]?.duration()
            guard let id, let title, let check else { return nil }
            return Objective(id: id, title: title, check: check, every: every)
        }
    }

    private static func costlyFix(_ value: YAMLReader.Value) -> CostlyFix? {
        guard let fields = value.mapping(["id", "title", "probe"]) else { return nil }
        let id = fields.required("id")?.string()
        let title = fields.required("title")?.string()
        guard let probe = fields.required("probe")?.mapping(["instance", "run"]) else { return nil }
        let instance = probe.required("instance")?.string()
        let run = probe.required("run")?.string()
        guard let id, let title, let instance, let run else { return nil }
        return CostlyFix(id: id, title: title, instance: instance, probe: run)
    }

    private static func question(_ value: YAMLReader.Value) -> Question? {
        guard let fields = value.mapping(["id", "ask", "kind", "answer", "not"]) else { return nil }
        let id = fields.required("id")?.string()
        let ask = fields.required("ask")?.string()
        let kinds = AnswerKind.allCases.map(\.rawValue)
        let kind = fields.required("kind")?.oneOf(kinds).flatMap(AnswerKind.init(rawValue:))
        var answer: Answer?
        if let body = fields.required("answer"), let kinds = body.mapping(["value", "pattern", "command"]),
           let (kind, value) = kinds.exactlyOne(of: ["value", "pattern", "command"], what: "an answer") {
            switch kind {
            case "value": answer = value.string().map(Answer.value)
            case "pattern": answer = value.regex().map(Answer.pattern)
            default:
                if let command = value.mapping(["instance", "run", "user"]),
                   let instance = command.required("instance")?.string(),
                   let run = command.required("run")?.string() {
                    answer = .command(instance: instance, command: run, user: command["user"]?.string())
                }
            }
        }
        let not = fields["not"]?.sequence()?.compactMap { $0.regex() } ?? []
        if let kind, let answer {
            let isPattern: Bool
            if case .pattern = answer { isPattern = true } else { isPattern = false }
            if kind == .text, !isPattern { fields["kind"]?.error("a text answer is graded with a pattern: give 'answer: {pattern: ...}', or another kind") }
            if kind != .text, isPattern { fields["kind"]?.error("a pattern answer is of kind text, not \(kind.rawValue)") }
            if case let .value(expected) = answer, kind != .text, kind.normalize(expected: expected) == nil {
                fields["answer"]?.error("'\(expected)' is not one \(kind.nouns.one) (kind \(kind.rawValue))")
            }
        }
        if fields["not"] != nil, kind != .text { fields["not"]?.error("'not' goes with text answers only") }
        guard let id, let ask, let kind, let answer else { return nil }
        return Question(id: id, ask: ask, kind: kind, answer: answer, not: not)
    }

    // MARK: - Checks

    static let checkKinds = CheckKinds.all.map { $0.key } + ["all", "any", "not", "after"]

    static func check(_ value: YAMLReader.Value) -> Check? {
        guard let fields = value.mapping(checkKinds + ["then", "within", "hold"]) else { return nil }
        if fields["after"] != nil {
            let disruptions = fields["after"]?.sequence()?.compactMap(disruption) ?? []
            let then = fields.required("then").flatMap(check)
            let within = fields["within"]?.duration()
            let hold = fields["hold"]?.duration()
            if let hold, hold <= 0 { fields["hold"]?.error("must be longer than 0s") }
            let others = fields.order.filter { !["after", "then", "within", "hold"].contains($0) }
            if !others.isEmpty { value.error("'after' goes with 'then', 'within' and 'hold' only, not with \(others.joined(separator: ", "))") }
            guard let then, !disruptions.isEmpty else { return nil }
            return .after(disruptions, then, within: within, hold: hold)
        }
        if fields["then"] != nil { fields["then"]?.error("'then' needs 'after'") }
        if fields["within"] != nil { fields["within"]?.error("'within' needs 'after'") }
        if fields["hold"] != nil { fields["hold"]?.error("'hold' needs 'after'") }
        guard let (kind, body) = fields.exactlyOne(of: checkKinds, what: "a check") else { return nil }
        if let parsed = CheckKinds.named(kind) { return parsed.parse(body).map(Check.kind) }
        switch kind {
        case "all", "any":
            guard let items = body.sequence() else { return nil }
            if items.isEmpty { body.error("needs at least one check") }
            let checks = items.compactMap(check)
            guard checks.count == items.count else { return nil }
            return kind == "all" ? .all(checks) : .any(checks)
        default:
            return check(body).map(Check.not)
        }
    }

    private static func disruption(_ value: YAMLReader.Value) -> Disruption? {
        let kinds = ["restart", "remove", "wait", "run"]
        guard let f = value.mapping(kinds), let (kind, body) = f.exactlyOne(of: kinds, what: "a disruption") else { return nil }
        switch kind {
        case "restart": return body.string().map { .restart(instance: $0) }
        case "wait": return body.duration().map { .wait(seconds: $0) }
        case "remove":
            guard let r = body.mapping(["instance", "path"]),
                  let instance = r.required("instance")?.string(), let path = r.required("path")?.string() else { return nil }
            return .remove(instance: instance, path: path)
        default:
            guard let r = body.mapping(["instance", "run", "user"]),
                  let instance = r.required("instance")?.string(), let run = r.required("run")?.string() else { return nil }
            return .run(instance: instance, command: run, user: r["user"]?.string())
        }
    }

    // MARK: - Categories

    /// The catalogue's categories (`Levels/categories.yaml`): each an id, a title and whether it
    /// certifies (default true).
    public static func categories(text: String, file: String) throws -> [CatalogCategory] {
        try parse(text, file: file) { root -> [CatalogCategory]? in
            guard let items = root.mapping(["categories"])?.required("categories")?.sequence() else { return nil }
            let categories: [CatalogCategory] = items.compactMap { item in
                guard let f = item.mapping(["id", "title", "certifies"]) else { return nil }
                let id = f.required("id")?.string()
                let title = f.required("title")?.string()
                let certifies = f["certifies"]?.bool() ?? true
                guard let id, let title else { return nil }
                guard let category = Category(rawValue: id) else {
                    f["id"]?.error("'\(id)' must be lowercase letters, digits and dashes")
                    return nil
                }
                return CatalogCategory(id: category, title: title, certifies: certifies)
            }
            if items.isEmpty { root.error("the catalogue needs at least one category") }
            uniqueIDs(categories.map(\.id.rawValue), in: root)
            return categories
        }
    }

    // MARK: - Scenario

    private static func parseScenario(_ root: YAMLReader.Value, directory: URL) -> Scenario? {
        guard let f = root.mapping(["id", "title", "compose", "images", "instances", "ports", "ready"]) else { return nil }
        let id = f.required("id")?.string()
        let title = f.required("title")?.string()
        let compose = f.required("compose")?.string()
        let images: [Scenario.Image] = f["images"]?.sequence()?.compactMap { item in
            guard let i = item.mapping(["tag", "context"]),
                  let tag = i.required("tag")?.string(), let context = i.required("context")?.string() else { return nil }
            return Scenario.Image(tag: tag, context: context)
        } ?? []
        let instances: [Scenario.Instance] = f.required("instances")?.sequence()?.compactMap { item in
            guard let i = item.mapping(["name", "role"]),
                  let name = i.required("name")?.string(), let role = i.required("role")?.string() else { return nil }
            return Scenario.Instance(name: name, role: role)
        } ?? []
        let ports: [Scenario.Port] = f["ports"]?.sequence()?.compactMap { item in
            guard let p = item.mapping(["name", "instance", "env"]),
                  let name = p.required("name")?.string(), let instance = p.required("instance")?.string(),
                  let env = p.required("env")?.string() else { return nil }
            return Scenario.Port(name: name, instance: instance, env: env)
        } ?? []
        let ready = f.required("ready").flatMap(check)
        guard let id, let title, let compose, let ready else { return nil }
        return Scenario(id: id, title: title, compose: compose, images: images, instances: instances,
                        ports: ports, ready: ready, directory: directory)
    }
}
