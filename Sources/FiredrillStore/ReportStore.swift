/// Where report answers are kept, field by field, as they are typed.
public protocol ReportStore: Sendable {
    /// Every saved field of a run's report.
    func load(run: String) throws -> [String: String]
    /// Saves one field; when it returns, the value survives a crash or a kill.
    func save(run: String, level: String, field: String, value: String) throws
}
