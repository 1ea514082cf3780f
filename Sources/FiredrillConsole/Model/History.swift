/// The last samples of one figure (about a minute at one a second), oldest first.
public struct History: Sendable, Equatable {
    public private(set) var values: [Double] = []
    public let capacity: Int

    public init(capacity: Int = 60, values: [Double] = []) {
        self.capacity = capacity
        self.values = Array(values.suffix(capacity))
    }

    public mutating func append(_ value: Double) {
        values.append(value)
        if values.count > capacity { values.removeFirst(values.count - capacity) }
    }

    public var last: Double? { values.last }

    /// The newest `width` samples as bar characters, scaled to `maximum` (or the samples' own
    /// maximum when nil), right-aligned.
    public func sparkline(width: Int, maximum: Double?, bars: [String]) -> String {
        guard width > 0, !bars.isEmpty else { return "" }
        let shown = values.suffix(width)
        let top = maximum ?? max(shown.max() ?? 1, 1e-9)
        let line = shown.map { value -> String in
            guard top > 0 else { return bars[0] }
            let ratio = min(max(value / top, 0), 1)
            return bars[min(bars.count - 1, Int((ratio * Double(bars.count - 1)).rounded()))]
        }.joined()
        return String(repeating: " ", count: width - shown.count) + line
    }
}

/// When a figure turns yellow, then red.
public struct Threshold: Sendable, Equatable {
    public var warn: Double
    public var bad: Double

    public init(warn: Double, bad: Double) {
        self.warn = warn
        self.bad = bad
    }

    public enum Level: Sendable, Equatable { case ok, warn, bad }
    public func level(_ value: Double) -> Level { value >= bad ? .bad : (value >= warn ? .warn : .ok) }

    public static let cpu = Threshold(warn: 70, bad: 90)
    public static let memory = Threshold(warn: 75, bad: 90)
    public static let disk = Threshold(warn: 80, bad: 95)
    public static let pids = Threshold(warn: 75, bad: 90)
}
