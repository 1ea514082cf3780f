import Foundation

/// A player's settings, from `settings.yaml` in firedrill's configuration folder (beside the
/// class's `class.url`); the environment overrides the file. Read strictly: a problem names the
/// file, line and field.
public struct Settings: Sendable, Equatable {
    /// Boot the next level ahead while a level is played, and give it paused-and-ready
    /// (`warm: false`, or `FIREDRILL_WARM=0`, turns it off).
    public var warm = true

    public init(warm: Bool = true) { self.warm = warm }

    static let fields = ["warm"]

    /// The file's settings (defaults when there is no file), then `FIREDRILL_WARM` over them.
    public static func load(file: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        var settings = Settings()
        if let text = try? String(contentsOf: file, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let reader = YAMLReader(file: file.path)
            if let fields = reader.root(text)?.mapping(Self.fields), let warm = fields["warm"]?.bool() { settings.warm = warm }
            if !reader.diagnostics.isEmpty { throw Diagnostics(reader.diagnostics) }
        }
        if let value = environment["FIREDRILL_WARM"]?.lowercased(), !value.isEmpty {
            switch value {
            case "0", "off", "false", "no": settings.warm = false
            case "1", "on", "true", "yes": settings.warm = true
            default:
                throw Diagnostics([Diagnostic(file: "FIREDRILL_WARM", line: nil, field: "", message: "'\(value)' is not on or off (1/0, true/false)")])
            }
        }
        return settings
    }
}
