import Foundation

/// Where levels and scenarios live: `Levels/<id>/level.yaml` and `Scenarios/<id>/scenario.yaml`
/// under one root folder. Each level and scenario is read once, when first asked for: a run's
/// checks, shells and saves use the copy loaded then.
public struct Catalog: Sendable {
    public let root: URL
    private let loaded = Loaded()
    public var levelsDirectory: URL { root.appendingPathComponent("Levels") }
    public var scenariosDirectory: URL { root.appendingPathComponent("Scenarios") }

    public init(root: URL) { self.root = root }

    /// The catalog root: `FIREDRILL_ROOT`, else the nearest folder above the current directory or
    /// above the executable that holds both `Levels/` and `Scenarios/`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Catalog {
        if let root = environment["FIREDRILL_ROOT"], !root.isEmpty {
            return Catalog(root: URL(fileURLWithPath: root).standardizedFileURL)
        }
        let starts = [FileManager.default.currentDirectoryPath,
                      URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path]
        for start in starts {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                if isCatalog(url) { return Catalog(root: url) }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        throw EngineError.catalogNotFound
    }

    static func isCatalog(_ url: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: url.appendingPathComponent("Levels").path)
            && fm.fileExists(atPath: url.appendingPathComponent("Scenarios").path)
    }

    public func levelIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: levelsDirectory.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: levelsDirectory.appendingPathComponent($0).appendingPathComponent("level.yaml").path)
        }.sorted()
    }

    public func levelDirectory(_ id: String) -> URL { levelsDirectory.appendingPathComponent(id) }

    /// A level, its `${...}` references bound to `bindings` (a run's seed, ports and id); each
    /// binding of a level is parsed once.
    public func level(_ id: String, bindings: LevelBindings = .unbound) throws -> Level {
        let directory = levelDirectory(id)
        let file = directory.appendingPathComponent("level.yaml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw EngineError.unknownLevel(id, known: levelIDs())
        }
        return try loaded.value("level/\(id)/\(bindings.key)", counted: false) {
            let text = try loaded.value("level/\(id)") { try LevelLoader.text(of: file, what: "level") }
            return try LevelLoader.level(text: text, file: file.path, directory: directory, bindings: bindings)
        }
    }

    /// The level once with each choice of its parameters (the n-th of each, as many times as the
    /// longest list has choices, up to `limit`): what `lint` validates.
    public func levelVariants(_ id: String, limit: Int = 64) throws -> [Level] {
        let first = try level(id)
        let count = min(limit, first.parameters.map(\.choices.count).max() ?? 1)
        return try [first] + (1..<max(count, 1)).map { try level(id, bindings: LevelBindings(draw: .index($0))) }
    }

    /// Every level that loads; those that do not are returned as problems.
    public func levels() -> (levels: [Level], problems: [Diagnostic]) {
        var levels: [Level] = []
        var problems: [Diagnostic] = []
        for id in levelIDs() {
            do { levels.append(try level(id)) } catch let error as Diagnostics { problems += error.items } catch {
                problems.append(Diagnostic(file: levelDirectory(id).path, line: nil, field: "", message: "\(error)"))
            }
        }
        return (levels, problems)
    }

    public var categoriesFile: URL { levelsDirectory.appendingPathComponent("categories.yaml") }

    /// The categories levels may be in, in the catalogue's order.
    public func categories() throws -> [CatalogCategory] {
        try loaded.value("categories", counted: false) {
            try LevelLoader.categories(text: LevelLoader.text(of: categoriesFile, what: "categories"), file: categoriesFile.path)
        }
    }

    public func scenario(_ id: String) throws -> Scenario {
        let directory = scenariosDirectory.appendingPathComponent(id)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("scenario.yaml").path) else {
            throw Diagnostics([Diagnostic(file: directory.appendingPathComponent("scenario.yaml").path, line: nil, field: "",
                                          message: "no such scenario '\(id)'")])
        }
        return try loaded.value("scenario/\(id)") { try LevelLoader.scenario(at: directory) }
    }

    /// How many level and scenario files were read.
    var reads: Int { loaded.reads }

    /// The levels and scenarios loaded so far (by "level/ID", "scenario/ID"), shared by the
    /// copies of a catalog. A file that does not load is read again next time.
    private final class Loaded: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String: Any] = [:]
        private var count = 0

        var reads: Int { lock.withLock { count } }

        func value<T>(_ key: String, counted: Bool = true, read: () throws -> T) rethrows -> T {
            if let item = lock.withLock({ items[key] }) as? T { return item }
            let item = try read()
            lock.withLock {
                if counted { count += 1 }
                items[key] = item
            }
            return item
        }
    }
}
