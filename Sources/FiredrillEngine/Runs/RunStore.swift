import Foundation

/// Runs on disk, under the user's data directory: `runs/<id>/run.json`, `runs/<id>/events.jsonl`
/// and `runs/<id>/workspace/`.
public struct RunStore: Sendable {
    public var root: URL

    public init(root: URL) { self.root = root }

    /// `$FIREDRILL_HOME`, else `$XDG_DATA_HOME/firedrill`, else `~/.local/share/firedrill`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["FIREDRILL_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data).appendingPathComponent("firedrill")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/firedrill")
    }

    public var runsDirectory: URL { root.appendingPathComponent("runs") }

    public func directory(of id: String) -> URL { runsDirectory.appendingPathComponent(id) }

    private func recordURL(_ id: String) -> URL { directory(of: id).appendingPathComponent("run.json") }
    private func eventsURL(_ id: String) -> URL { directory(of: id).appendingPathComponent("events.jsonl") }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Writes the record atomically: a crash leaves the old or the new one, never half of one.
    public func save(_ record: RunRecord) throws {
        try FileManager.default.createDirectory(at: directory(of: record.id), withIntermediateDirectories: true)
        try Self.encoder.encode(record).write(to: recordURL(record.id), options: .atomic)
    }

    public func load(_ id: String) throws -> RunRecord {
        guard let data = try? Data(contentsOf: recordURL(id)) else { throw EngineError.unknownRun(id) }
        return try Self.decoder.decode(RunRecord.self, from: data)
    }

    /// Every run on disk, oldest first. Unreadable records are skipped.
    public func all() -> [RunRecord] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        return ids.compactMap { try? load($0) }.sorted { $0.createdAt < $1.createdAt }
    }

    /// The newest run whose instances are meant to be up.
    public func newestActive() -> RunRecord? {
        all().last { $0.state == .live || $0.state == .mitigated }
    }

    public func append(_ event: RunEvent, to id: String) {
        guard var line = try? Self.lineEncoder.encode(event) else { return }
        line.append(0x0A)
        let url = eventsURL(id)
        if let handle = try? FileHandle(forWritingTo: url) {
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: line)
        } else {
            try? line.write(to: url)
        }
    }

    public func events(of id: String) -> [RunEvent] {
        guard let text = try? String(contentsOf: eventsURL(id), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? Self.decoder.decode(RunEvent.self, from: Data($0.utf8)) }
    }

    /// Deletes a run's folder (its workspace included).
    public func remove(_ id: String) throws {
        try? FileManager.default.removeItem(at: directory(of: id))
    }

    private static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
