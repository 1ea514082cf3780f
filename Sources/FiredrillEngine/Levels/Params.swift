import Foundation

/// A level parameter: one of its choices is drawn from the run's seed, so two runs of a level are
/// two different incidents of the same lesson. A choice is a value (`""` key) or a group of named
/// values that go together (`${param.zone.app}`, `${param.zone.db}`).
public struct Parameter: Sendable, Equatable {
    public var name: String
    public var choices: [[String: String]]

    /// The choice a draw picks.
    public func choice(_ draw: ParamDraw, level: String) -> [String: String] {
        switch draw {
        case let .index(index):
            return choices[index % choices.count]
        case let .seed(seed):
            // One generator per level and parameter: adding a parameter leaves the others' draws alone.
            var generator = SplitMix64(seed: seed ^ Self.fnv1a("\(level)/\(name)"))
            return choices[Int(generator.next() % UInt64(choices.count))]
        }
    }

    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// How a level's parameters are drawn: from a run's seed, or (for `lint`) the n-th choice of each.
public enum ParamDraw: Sendable, Hashable {
    case seed(UInt64)
    case index(Int)
}

/// What a level's `${...}` references are bound to: its parameters' draw, and the run's values.
/// Without a run (listing, lint) ports read as 0 and the run id as the level's id.
public struct LevelBindings: Sendable, Hashable {
    public var draw: ParamDraw
    public var ports: [String: Int]?
    public var runID: String?

    public init(draw: ParamDraw, ports: [String: Int]? = nil, runID: String? = nil) {
        self.draw = draw
        self.ports = ports
        self.runID = runID
    }

    public static let unbound = LevelBindings(draw: .index(0))

    var key: String {
        let ports = (ports ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "\(draw)|\(ports)|\(runID ?? "")"
    }
}

/// The `${...}` references of level files: `${param.NAME}` (`${param.NAME.FIELD}` for a group),
/// `${origin.PORT}` and `${url.PORT}` (`http://127.0.0.1:<host port>`), `${run.id}`, `${run.seed}`.
/// Only these prefixes are references; a shell's own `${HOME}` is left as it is.
public enum Interpolation {
    static let prefixes = ["param", "origin", "url", "run"]

    /// One reference found in a text: its name without the braces (`param.limit`) and its line.
    struct Reference {
        var name: String
        var range: Range<String.Index>
        var line: Int
    }

    static func references(in text: String) -> [Reference] {
        var found: [Reference] = []
        var line = 1
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\n" { line += 1 }
            if character == "$", text[index...].hasPrefix("${"), let close = text[index...].firstIndex(of: "}") {
                let name = String(text[text.index(index, offsetBy: 2)..<close])
                if let dot = name.firstIndex(of: "."), prefixes.contains(String(name[..<dot])), !name.contains("\n") {
                    found.append(Reference(name: name, range: index..<text.index(after: close), line: line))
                    index = text.index(after: close)
                    continue
                }
            }
            index = text.index(after: index)
        }
        return found
    }

    /// The text with every reference replaced by its value; unknown references are returned with their lines.
    static func substitute(_ text: String, values: [String: String]) -> (text: String, unknown: [Reference]) {
        var result = ""
        var unknown: [Reference] = []
        var last = text.startIndex
        for reference in references(in: text) {
            result += text[last..<reference.range.lowerBound]
            if let value = values[reference.name] {
                result += value
            } else {
                unknown.append(reference)
                result += text[reference.range]
            }
            last = reference.range.upperBound
        }
        result += text[last...]
        return (result, unknown)
    }

    /// The values a level's references resolve to under some bindings.
    static func values(level: String, parameters: [Parameter], bindings: LevelBindings, portNames: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for parameter in parameters {
            for (field, value) in parameter.choice(bindings.draw, level: level) {
                values[field.isEmpty ? "param.\(parameter.name)" : "param.\(parameter.name).\(field)"] = value
            }
        }
        for name in portNames {
            // A run's ports are known; a name that is not one of them stays unresolved.
            guard let port = bindings.ports.map({ $0[name] }) ?? 0 else { continue }
            let origin = "http://127.0.0.1:\(port)"
            values["origin.\(name)"] = origin
            values["url.\(name)"] = origin
        }
        values["run.id"] = bindings.runID ?? level
        if case let .seed(seed) = bindings.draw { values["run.seed"] = String(seed) } else { values["run.seed"] = "0" }
        return values
    }

    /// A text with every reference's name turned into a value a typed field accepts, for reading
    /// the `params` section before any value is drawn.
    static func placeholders(_ text: String) -> String {
        var values: [String: String] = [:]
        for reference in references(in: text) { values[reference.name] = "0" }
        return substitute(text, values: values).text
    }
}
