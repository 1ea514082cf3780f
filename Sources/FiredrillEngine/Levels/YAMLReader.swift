import Foundation
import Yams

/// Reads a YAML document strictly: every value has the type its field expects, unknown fields are
/// errors, and every error names the file, the line and the field path. Errors are collected, not
/// thrown one at a time, so a broken file reports all its problems in one pass.
final class YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// Parses `text`; returns the root, or nil after recording a syntax error.
    func root(_ text: String) -> Value? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                report(line: 1, field: "", "the file is empty")
                return nil
            }
            return Value(node: node, path: "", reader: self)
        } catch let error as YamlError {
            report(line: Self.line(of: error), field: "", "not valid YAML: \(Self.describe(error))")
        } catch {
            report(line: nil, field: "", "not valid YAML: \(error)")
        }
        return nil
    }

    func report(line: Int?, field: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: line, field: field, message: message))
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _),
             let .composer(context, problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        default:
            return "\(error)"
        }
    }

    /// A node with its field path, for error messages.
    struct Value {
        let node: Node
        let path: String
        let reader: YAMLReader

        var line: Int? { node.mark?.line }

        func error(_ message: String) { reader.report(line: line, field: path, message) }

        private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        /// The fields of a mapping. Keys outside `allowed` are reported as unknown.
        func mapping(_ allowed: [String]) -> Fields? {
            guard case let .mapping(mapping) = node else {
                error("expected a mapping with fields \(allowed.joined(separator: ", "))")
                return nil
            }
            var values: [String: Value] = [:]
            var order: [String] = []
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else {
                    reader.report(line: keyNode.mark?.line, field: path, "a field name must be text")
                    continue
                }
                let value = Value(node: valueNode, path: child(key), reader: reader)
                if !allowed.contains(key) {
                    let hint = closest(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                    reader.report(line: keyNode.mark?.line, field: child(key), "unknown field\(hint); expected one of \(allowed.joined(separator: ", "))")
                    continue
                }
                values[key] = value
                order.append(key)
            }
            return Fields(owner: self, values: values, order: order)
        }

        /// A mapping whose keys are free (headers, environment): key to string value.
        func stringMap() -> [String: String]? {
            guard case let .mapping(mapping) = node else {
                error("expected a mapping of names to values")
                return nil
            }
            var result: [String: String] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else { continue }
                let value = Value(node: valueNode, path: child(key), reader: reader)
                if let text = value.string() { result[key] = text }
            }
            return result
        }

        func sequence() -> [Value]? {
            guard case let .sequence(sequence) = node else {
                error("expected a list")
                return nil
            }
            return sequence.enumerated().map { index, node in
                Value(node: node, path: "\(path)[\(index)]", reader: reader)
            }
        }

        func string() -> String? {
            guard case let .scalar(scalar) = node else {
                error("expected text")
                return nil
            }
            return scalar.string
        }

        func int(in range: ClosedRange<Int>? = nil) -> Int? {
            guard case let .scalar(scalar) = node, let value = Int(scalar.string) else {
                error("expected a whole number")
                return nil
            }
            if let range, !range.contains(value) {
                error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
                return nil
            }
            return value
        }

        func bool() -> Bool? {
            guard case let .scalar(scalar) = node, let value = Bool.construct(from: scalar) else {
                error("expected true or false")
                return nil
            }
            return value
        }

        /// A duration: a number of seconds, or a number with a unit: 500ms, 30s, 15m, 1h.
        func duration() -> Double? {
            guard case let .scalar(scalar) = node, let seconds = Units.seconds(scalar.string) else {
                error("expected a duration such as 30s, 15m or 500ms")
                return nil
            }
            return seconds
        }

        /// A size in bytes: a number, or with a unit: 512k, 5MB, 1g.
        func size() -> Int? {
            guard case let .scalar(scalar) = node, let bytes = Units.bytes(scalar.string) else {
                error("expected a size such as 5MB or 512k")
                return nil
            }
            return bytes
        }

        func regex() -> String? {
            guard let text = string() else { return nil }
            do {
                _ = try NSRegularExpression(pattern: text)
                return text
            } catch {
                self.error("not a valid regular expression: \(text)")
                return nil
            }
        }

        func oneOf(_ choices: [String]) -> String? {
            guard let text = string() else { return nil }
            guard choices.contains(text) else {
                let hint = closest(to: text, in: choices).map { " (did you mean '\($0)'?)" } ?? ""
                error("'\(text)' is not one of \(choices.joined(separator: ", "))\(hint)")
                return nil
            }
            return text
        }

        /// A string or a list of strings.
        func strings() -> [String]? {
            if case .scalar = node { return string().map { [$0] } }
            return sequence()?.compactMap { $0.string() }
        }
    }

    struct Fields {
        let owner: Value
        let values: [String: Value]
        let order: [String]

        subscript(key: String) -> Value? { values[key] }

        func required(_ key: String) -> Value? {
            if let value = values[key] { return value }
            owner.reader.report(line: owner.line, field: owner.path.isEmpty ? key : "\(owner.path).\(key)", "missing required field")
            return nil
        }

        /// Exactly one of `keys` must be present; returns it.
        func exactlyOne(of keys: [String], what: String) -> (String, Value)? {
            let present = keys.filter { values[$0] != nil }
            if present.count == 1 { return (present[0], values[present[0]]!) }
            if present.isEmpty {
                owner.error("\(what): needs one of \(keys.joined(separator: ", "))")
            } else {
                owner.error("\(what): has \(present.joined(separator: " and ")); only one is allowed")
            }
            return nil
        }
    }
}

/// Parsing of the units level files use for durations and sizes.
public enum Units {
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value >= 0 { return value * factor }
        }
        if let value = Double(text), value >= 0 { return value }
        return nil
    }

    public static func bytes(_ text: String) -> Int? {
        var text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasSuffix("ib") { text.removeLast(2) } else if text.hasSuffix("b") { text.removeLast() }
        let units: [(String, Int)] = [("k", 1024), ("m", 1024 * 1024), ("g", 1024 * 1024 * 1024)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast()), value >= 0 { return Int(value * Double(factor)) }
        }
        if let value = Int(text), value >= 0 { return value }
        return nil
    }

    /// A percentage written as "80%" or "80".
    public static func percent(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed
        guard let value = Double(number), value >= 0 else { return nil }
        return value
    }
}

/// The allowed name closest to a misspelt one, when it is close enough to be a likely typo.
func closest(to word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
    let best = candidates.map { ($0, distance(Array(word), Array($0))) }.min { $0.1 < $1.1 }
    guard let best, best.1 <= max(1, word.count / 3) else { return nil }
    return best.0
}
