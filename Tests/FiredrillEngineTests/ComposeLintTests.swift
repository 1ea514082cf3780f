import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

@Suite struct ComposeLintTests {
    func lint(_ services: String, capabilities: Set<String> = []) -> [Diagnostic] {
        Lint.compose(text: "services:\n" + services, file: "compose.yaml", allowedCapabilities: capabilities)
    }

    let limits = "    mem_limit: 64m\n    cpus: 0.5\n"

    @Test func aSandboxedServicePasses() {
        let found = lint("  app:\n    image: x\n" + limits + "    ports: [\"127.0.0.1:${P}:80\"]\n    volumes: [./app:/srv/app, data:/var/lib/mysql]\n")
        #expect(found.isEmpty, "\(found)")
    }

    @Test func limitsAreRequired() {
        let found = lint("  app:\n    image: x\n")
        #expect(found.map(\.message).contains { $0.contains("memory limit") })
        #expect(found.map(\.message).contains { $0.contains("CPU limit") })
        #expect(found.allSatisfy { $0.field == "services.app" && $0.line == 2 })
    }

    @Test func deployLimitsCount() {
        #expect(lint("  app:\n    image: x\n    deploy: {resources: {limits: {memory: 64m, cpus: '0.5'}}}\n").isEmpty)
    }

    @Test func escapesAreRefusedWithTheirLine() {
        let found = lint("""
          app:
            image: x
            privileged: true
            network_mode: host
            pid: host
            cap_add: [NET_ADMIN]
            ports: ["8080:80"]
            volumes:
              - /var/run/docker.sock:/var/run/docker.sock
              - /etc:/host-etc
              - ../other:/x
        """ + "\n" + limits)
        let fields = found.map(\.field)
        #expect(fields.contains("services.app.privileged"))
        #expect(fields.contains("services.app.network_mode"))
        #expect(fields.contains("services.app.pid"))
        #expect(fields.contains("services.app.cap_add"))
        #expect(fields.contains("services.app.ports"))
        #expect(found.filter { $0.field == "services.app.volumes" }.count == 3)
        #expect(found.first { $0.field == "services.app.privileged" }?.line == 4)
        #expect(found.first { $0.message.contains("Docker socket") } != nil)
    }

    @Test func documentedCapabilitiesAreAllowed() {
        let service = "  app:\n    image: x\n" + limits + "    cap_add: [SYS_PTRACE]\n"
        #expect(!lint(service).isEmpty)
        #expect(lint(service, capabilities: ["CAP_SYS_PTRACE"]).isEmpty)
    }

    @Test func theScenarioComposeFilePasses() {
        let found = Lint.compose(at: repositoryRoot.appendingPathComponent("Scenarios/billing/compose.yaml"))
        #expect(found.isEmpty, "\(found)")
    }
}

@Suite struct ScenarioConsistencyTests {
    /// The db image bakes the schema that the app's baseline migration records as applied.
    @Test func baselineMigrationIsTheSchemaTheDatabaseImageBakes() throws {
        func statements(_ path: String) throws -> [String] {
            try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("--") }
        }
        #expect(try statements("Scenarios/billing/backend/app/migrations/0001_baseline.sql") == statements("Scenarios/billing/images/db/schema.sql"))
    }
}
