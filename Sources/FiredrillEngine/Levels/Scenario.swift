import Foundation

/// A runnable system: a compose file, the images it runs, its instances and published ports.
public struct Scenario: Sendable, Equatable {
    public struct Image: Sendable, Equatable {
        public var tag: String
        public var context: String
    }

    public struct Instance: Sendable, Equatable {
        public var name: String
        public var role: String
    }

    /// A port published on 127.0.0.1, chosen free for each run and passed to compose in `env`.
    public struct Port: Sendable, Equatable {
        public var name: String
        public var instance: String
        public var env: String
    }

    public var id: String
    public var title: String
    public var compose: String
    public var images: [Image]
    public var instances: [Instance]
    public var ports: [Port]
    /// Holds once the system is up and serving.
    public var ready: Check
    public var directory: URL

    public var instanceNames: [String] { instances.map(\.name) }
    public var composeFile: URL { directory.appendingPathComponent(compose) }
}
