import Foundation

/// A run's workspace: a copy of the scenario (without its image build contexts) with the level's
/// file faults applied, and an `.env` file with the run's ports for compose.
public enum Workspace {
    /// Folders of a scenario that stay out of workspaces.
    static let excluded: Set<String> = ["images", "scenario.yaml"]

    public static func create(at destination: URL, scenario: Scenario, level: Level, ports: [String: Int], project: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: destination, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: scenario.directory.path) where !excluded.contains(name) {
            try fm.copyItem(at: scenario.directory.appendingPathComponent(name), to: destination.appendingPathComponent(name))
        }
        var values = level.values
        for (name, port) in ports {
            values["origin.\(name)"] = "http://127.0.0.1:\(port)"
            values["url.\(name)"] = "http://127.0.0.1:\(port)"
        }
        for fault in level.faults {
            try apply(fault, workspace: destination, level: level, values: values)
        }
        try environment(scenario: scenario, ports: ports, project: project).write(to: destination.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
    }

    /// The `.env` compose reads: each named port, and the origins derived from them.
    static func environment(scenario: Scenario, ports: [String: Int], project: String) -> String {
        var lines = ["# Written by firedrill for this run: its compose project and the host ports chosen for it.",
                     "COMPOSE_PROJECT_NAME=\(project)"]
        for port in scenario.ports {
            guard let value = ports[port.name] else { continue }
            lines.append("\(port.env)=\(value)")
            let prefix = port.env.hasSuffix("_PORT") ? String(port.env.dropLast("_PORT".count)) : port.env
            lines.append("\(prefix)_ORIGIN=http://127.0.0.1:\(value)")
            lines.append("\(prefix)_URL=http://127.0.0.1:\(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `${...}` references of an overlay's text files that `values` do not resolve.
    static func unknownReferences(inOverlay source: URL, values: [String: String]) -> [(String, Interpolation.Reference)] {
        var unknown: [(String, Interpolation.Reference)] = []
        let enumerator = FileManager.default.enumerator(atPath: source.path)
        while let relative = enumerator?.nextObject() as? String {
            guard let text = try? String(contentsOf: source.appendingPathComponent(relative), encoding: .utf8) else { continue }
            // Run values are known only to a run: here only parameters can be unknown.
            unknown += Interpolation.substitute(text, values: values).unknown.filter { $0.name.hasPrefix("param.") }.map { (relative, $0) }
        }
        return unknown
    }

    static func apply(_ fault: Fault, workspace: URL, level: Level, values: [String: String] = [:]) throws {
        let fm = FileManager.default
        switch fault {
        case let .patch(file, replace, with):
            let url = workspace.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw EngineError.faultFailed("\(file) is not in the workspace")
            }
            guard text.contains(replace) else { throw EngineError.faultFailed("'\(replace)' not found in \(file)") }
            try text.replacingOccurrences(of: replace, with: with).write(to: url, atomically: true, encoding: .utf8)
        case let .overlay(directory):
            let source = level.directory.appendingPathComponent(directory)
            guard let enumerator = fm.enumerator(atPath: source.path) else {
                throw EngineError.faultFailed("overlay folder \(directory) is missing")
            }
            while let relative = enumerator.nextObject() as? String {
                let from = source.appendingPathComponent(relative)
                let to = workspace.appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: from.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    try fm.createDirectory(at: to, withIntermediateDirectories: true)
                } else {
                    if fm.fileExists(atPath: to.path) { try fm.removeItem(at: to) }
                    try fm.copyItem(at: from, to: to)
                    try interpolate(to, values: values, name: "\(directory)/\(relative)")
                }
            }
        case .exec, .restart:
            break  // applied after boot, in the instances
        }
    }

    /// Binds the `${...}` references of a copied overlay file (text files only; the copy keeps the
    /// source's mode).
    private static func interpolate(_ url: URL, values: [String: String], name: String) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8), text.contains("${") else { return }
        let (bound, unknown) = Interpolation.substitute(text, values: values)
        if let first = unknown.first { throw EngineError.faultFailed("\(name):\(first.line): unknown reference ${\(first.name)}") }
        if bound != text { try Data(bound.utf8).write(to: url) }
    }
}

/// Chooses free TCP ports on 127.0.0.1 by letting the kernel pick them.
public enum PortAllocator {
    public static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        // All sockets stay open until every port is chosen, so the kernel never hands out one twice.
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw EngineError.bootFailed("cannot open a socket to choose a port") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw EngineError.bootFailed("cannot bind a socket to choose a port") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
