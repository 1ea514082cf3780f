import Foundation
import Yams

/// Validates levels against their scenario, and compose files against the sandbox rules: a level
/// must not be able to reach past its own containers.
public enum Lint {
    /// Problems of one level folder: its file, its references into the scenario, and the compose
    /// files it would run.
    /// A level with parameters is validated once with each of their choices.
    public static func level(at directory: URL, catalog: Catalog) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var count = 1
        var index = 0
        while index < count {
            do {
                let level = try LevelLoader.level(at: directory, bindings: LevelBindings(draw: .index(index)))
                count = min(64, level.parameters.map(\.choices.count).max() ?? 1)
                for problem in references(of: level, catalog: catalog) where !problems.contains(problem) { problems.append(problem) }
            } catch let error as Diagnostics {
                problems += error.items.filter { !problems.contains($0) }
            } catch {
                return [Diagnostic(file: directory.path, line: nil, field: "", message: "\(error)")]
            }
            index += 1
        }
        return problems
    }

    /// Checks that what a parsed level names exists in its scenario.
    public static func references(of level: Level, catalog: Catalog) -> [Diagnostic] {
        let file = level.directory.appendingPathComponent("level.yaml").path
        var problems: [Diagnostic] = []
        func problem(_ field: String, _ message: String, line: Int? = nil) {
            problems.append(Diagnostic(file: file, line: line, field: field, message: message))
        }
        let lines = ((try? String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8)) ?? "").components(separatedBy: "\n")
        /// The first line naming an instance that is not in the scenario (`instance: NAME`,
        /// `restart: NAME`), for its error; nil when the check took the default.
        func line(naming instance: String) -> Int? {
            let name = NSRegularExpression.escapedPattern(for: instance)
            let pattern = "\\b(instance|restart):\\s*[\"']?\(name)[\"']?\\s*($|[,}\\]#])"
            return lines.firstIndex { CheckEvaluator.matches(pattern, $0) }.map { $0 + 1 }
        }
        let scenario: Scenario
        do {
            scenario = try catalog.scenario(level.scenario)
        } catch let error as Diagnostics {
            return [Diagnostic(file: file, line: nil, field: "scenario", message: "scenario '\(level.scenario)' cannot be loaded")] + error.items
        } catch {
            return [Diagnostic(file: file, line: nil, field: "scenario", message: "\(error)")]
        }
        do {
            let categories = try catalog.categories().map(\.id)
            if !categories.contains(level.category) {
                let line = lines.firstIndex { $0.hasPrefix("category:") }.map { $0 + 1 }
                problem("category", "'\(level.category)' is not a category of the catalogue (\(catalog.categoriesFile.lastPathComponent): \(categories.map(\.rawValue).joined(separator: ", ")))", line: line)
            }
        } catch let error as Diagnostics {
            problems += error.items
        } catch {
            problem("category", "\(error)")
        }
        let instances = Set(scenario.instanceNames)
        let ports = Set(scenario.ports.map(\.name))
        for name in level.portReferences where !ports.contains(name) {
            problem("${origin.\(name)}", "port '\(name)' is not in scenario '\(scenario.id)' (\(ports.sorted().joined(separator: ", ")))")
        }
        func checkRefs(_ check: Check, field: String) {
            for name in check.instances where !instances.contains(name) {
                problem(field, "instance '\(name)' is not in scenario '\(scenario.id)' (\(scenario.instanceNames.joined(separator: ", ")))", line: line(naming: name))
            }
            for name in check.ports where !ports.contains(name) {
                problem(field, "port '\(name)' is not in scenario '\(scenario.id)' (\(ports.sorted().joined(separator: ", ")))")
            }
        }
        for (index, objective) in level.objectives.enumerated() { checkRefs(objective.check, field: "objectives[\(index)].check") }
        for (index, symptom) in level.symptoms.enumerated() {
            checkRefs(symptom.check, field: "symptoms[\(index)].check")
            if symptom.check.isDisruptive { problem("symptoms[\(index)].check", "a symptom cannot disrupt the run ('after')") }
        }
        var overlays: [URL] = []
        for (index, fault) in level.faults.enumerated() {
            switch fault {
            case let .patch(path, replace, _):
                let url = scenario.directory.appendingPathComponent(path)
                if let text = try? String(contentsOf: url, encoding: .utf8) {
                    if !text.contains(replace) { problem("faults[\(index)].patch.replace", "text not found in \(path)") }
                } else if !overlayProvides(path, level: level) {
                    problem("faults[\(index)].patch.file", "\(path) is not a file of scenario '\(scenario.id)'")
                }
            case let .overlay(directory):
                let url = level.directory.appendingPathComponent(directory)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    overlays.append(url)
                    for (relative, reference) in Workspace.unknownReferences(inOverlay: url, values: level.values) {
                        problems.append(Diagnostic(file: url.appendingPathComponent(relative).path, line: reference.line, field: "",
                                                   message: "unknown reference ${\(reference.name)}"))
                    }
                } else {
                    problem("faults[\(index)].overlay", "folder \(directory) does not exist in the level")
                }
            case let .exec(instance, _, _, _):
                if !instances.contains(instance) { problem("faults[\(index)].exec.instance", "instance '\(instance)' is not in scenario '\(scenario.id)'", line: line(naming: instance)) }
            case let .restart(instance):
                if !instances.contains(instance) { problem("faults[\(index)].restart", "instance '\(instance)' is not in scenario '\(scenario.id)'", line: line(naming: instance)) }
            }
        }
        for (index, question) in level.questions.enumerated() {
            if case let .command(instance, _, _) = question.answer, !instances.contains(instance) {
                problem("questions[\(index)].answer.command.instance", "instance '\(instance)' is not in scenario '\(scenario.id)'", line: line(naming: instance))
            }
        }
        for (index, fix) in level.costly.enumerated() where !instances.contains(fix.instance) {
            problem("costly[\(index)].probe.instance", "instance '\(fix.instance)' is not in scenario '\(scenario.id)'", line: line(naming: fix.instance))
        }
        // The compose files the level would run: the scenario's, or one its overlay replaces it with.
        let overlayCompose = overlays.map { $0.appendingPathComponent(scenario.compose) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        for compose in [scenario.composeFile] + overlayCompose {
            problems += Self.compose(at: compose, allowedCapabilities: Set(level.capabilities))
        }
        return problems
    }

    private static func overlayProvides(_ path: String, level: Level) -> Bool {
        level.faults.contains { fault in
            guard case let .overlay(directory) = fault else { return false }
            return FileManager.default.fileExists(atPath: level.directory.appendingPathComponent(directory).appendingPathComponent(path).path)
        }
    }

    /// The sandbox rules for a compose file.
    public static func compose(at url: URL, allowedCapabilities: Set<String> = []) -> [Diagnostic] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return [Diagnostic(file: url.path, line: nil, field: "", message: "cannot read the compose file")]
        }
        return compose(text: text, file: url.path, allowedCapabilities: allowedCapabilities)
    }

    public static func compose(text: String, file: String, allowedCapabilities: Set<String> = []) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func problem(_ node: Node?, _ field: String, _ message: String) {
            problems.append(Diagnostic(file: file, line: node?.mark?.line, field: field, message: message))
        }
        let root: Node
        do {
            guard let parsed = try Yams.compose(yaml: text) else { return [Diagnostic(file: file, line: 1, field: "", message: "the file is empty")] }
            root = parsed
        } catch {
            return [Diagnostic(file: file, line: nil, field: "", message: "not valid YAML: \(error)")]
        }
        guard let services = root["services"]?.mapping else {
            problem(root, "services", "a compose file needs a 'services' mapping")
            return problems
        }
        for (nameNode, service) in services {
            let name = nameNode.string ?? "?"
            let base = "services.\(name)"
            if service["privileged"]?.bool == true {
                problem(service["privileged"], "\(base).privileged", "privileged containers are not allowed")
            }
            for key in ["network_mode", "pid", "ipc", "userns_mode", "uts"] where service[key]?.string == "host" {
                problem(service[key], "\(base).\(key)", "the host's namespaces are not allowed")
            }
            if let devices = service["devices"] {
                problem(devices, "\(base).devices", "host devices are not allowed")
            }
            for cap in service["cap_add"]?.sequence ?? [] {
                let value = (cap.string ?? "").uppercased().replacingOccurrences(of: "CAP_", with: "")
                let allowed = allowedCapabilities.map { $0.uppercased().replacingOccurrences(of: "CAP_", with: "") }
                if !allowed.contains(value) {
                    problem(cap, "\(base).cap_add", "capability \(value) is not documented by the level (capabilities:)")
                }
            }
            for option in service["security_opt"]?.sequence ?? [] where (option.string ?? "").contains("unconfined") {
                problem(option, "\(base).security_opt", "unconfined security profiles are not allowed")
            }
            for volume in service["volumes"]?.sequence ?? [] {
                let source: String?
                if let short = volume.string {
                    let parts = short.split(separator: ":", omittingEmptySubsequences: false)
                    source = parts.count > 1 ? String(parts[0]) : nil
                } else {
                    source = volume["source"]?.string
                }
                if let source, let reason = hostPathProblem(source) {
                    problem(volume, "\(base).volumes", "\(source): \(reason)")
                }
            }
            for port in service["ports"]?.sequence ?? [] {
                let boundToLoopback: Bool
                if let short = port.string {
                    boundToLoopback = short.hasPrefix("127.0.0.1:")
                } else if let mapping = port.mapping {
                    boundToLoopback = mapping["host_ip"]?.string == "127.0.0.1" || mapping["published"] == nil
                } else {
                    boundToLoopback = false
                }
                if !boundToLoopback {
                    problem(port, "\(base).ports", "published ports must bind 127.0.0.1 (\"127.0.0.1:HOST:CONTAINER\")")
                }
            }
            let limits = service["deploy"]?["resources"]?["limits"]
            if service["mem_limit"] == nil, limits?["memory"] == nil {
                problem(nameNode, base, "every instance needs a memory limit (mem_limit)")
            }
            if service["cpus"] == nil, limits?["cpus"] == nil {
                problem(nameNode, base, "every instance needs a CPU limit (cpus)")
            }
        }
        return problems
    }

    /// Why a volume source may not be mounted, or nil when it is a named volume or a path inside
    /// the workspace.
    static func hostPathProblem(_ source: String) -> String? {
        if source.contains("docker.sock") { return "the Docker socket is not allowed" }
        let isPath = source.hasPrefix("/") || source.hasPrefix(".") || source.hasPrefix("~") || source.contains("/")
        guard isPath else { return nil }
        if source.hasPrefix("/") || source.hasPrefix("~") || source.hasPrefix("$") { return "host paths outside the run's workspace are not allowed" }
        if source.split(separator: "/").contains("..") { return "paths may not leave the run's workspace ('..')" }
        return nil
    }
}
