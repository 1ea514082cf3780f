import Foundation

/// One kind of check that looks at the run (`http`, `sql`...): its fields, how a level file
/// writes it and how it is evaluated, all in one file of `Checks/Kinds/`. The composites (`all`,
/// `any`, `not`, `after`) are `Check`'s own.
public protocol CheckKind: Sendable {
    /// Looks at the run once. Throws when it cannot be made (the runtime failing): an error.
    func evaluate(in context: CheckContext) throws -> CheckResult
    /// The instances it reaches, validated against the scenario by lint.
    var instances: [String] { get }
    /// The named ports it reaches.
    var ports: [String] { get }
}

extension CheckKind {
    public var ports: [String] { [] }
}

/// How a kind is read from a level file: under its `key`, strictly (problems go to the reader
/// with their line and field).
protocol ParsedCheckKind: CheckKind, Equatable {
    static var key: String { get }
    static func parse(_ value: YAMLReader.Value) -> Self?
}

/// The kinds a level file can name; adding one is its file and a line here.
enum CheckKinds {
    static let all: [any ParsedCheckKind.Type] = [
        HTTPCheck.self, CommandCheck.self, SQLCheck.self, ProcessCheck.self, FileCheck.self, ResourceCheck.self,
    ]

    static func named(_ key: String) -> (any ParsedCheckKind.Type)? { all.first { $0.key == key } }

    static func equal(_ a: any CheckKind, _ b: any CheckKind) -> Bool {
        guard let a = a as? any ParsedCheckKind else { return false }
        return a.isEqual(to: b)
    }
}

extension ParsedCheckKind {
    func isEqual(to other: any CheckKind) -> Bool { (other as? Self) == self }
}

/// What a check reaches the run through: the runtime (exec, stats), the host's HTTP client, the
/// run's published ports and its workspace.
public struct CheckContext: Sendable {
    public var runtime: any Runtime
    public var http: any HTTPClient
    public var project: String
    public var ports: [String: Int]
    public var workspace: URL

    /// Runs a command (an argument list, no shell) inside an instance.
    func exec(_ instance: String, _ command: [String], user: String? = nil, timeout: Double = 30) throws -> ProcessOutput {
        try runtime.exec(project: project, instance: instance, command: command, user: user, detach: false, timeout: timeout)
    }
}
