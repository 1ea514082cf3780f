import Foundation

extension PaneID {
    public static let health = PaneID("health", title: "Health")
}

extension KeyContext {
    public static let health = KeyContext("health", title: "Health")
}

/// The Health pane: the host (CPU, load, memory, disk) and every instance (CPU, memory against
/// its limit, PIDs, network and block I/O), each with about a minute of history.
enum HealthPane: Pane {
    static let id = PaneID.health
    static let contexts: [KeyContext] = [.health]
    static let bindings: [Binding] = []

    /// Selects an instance.
    static func scroll(_ model: inout ConsoleModel, by delta: Int) {
        model.healthSelection = min(max(0, model.healthSelection + delta.signum() * min(abs(delta), 100)), max(0, model.instances.count - 1))
    }

    struct Inputs: Equatable {
        var host: HostHealth
        var instances: [InstanceHealth]
        var docker: DockerStatus
        var selection: Int
    }

    static func inputs(_ model: ConsoleModel, shell: ShellScreen?) -> Inputs {
        Inputs(host: model.host, instances: model.instances, docker: model.docker, selection: model.healthSelection)
    }

    static func style(_ value: Double?, _ threshold: Threshold, _ theme: Theme) -> Style {
        guard let value else { return theme.muted }
        switch threshold.level(value) {
        case .ok: return theme.ok.with(bold: false)
        case .warn: return theme.warn
        case .bad: return theme.bad
        }
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "  –  " }
        return value >= 99.95 ? String(format: "%4.0f%%", value) : String(format: "%4.1f%%", value)
    }

    static func lines(_ model: ConsoleModel, width: Int) -> [[Span]] {
        let theme = model.theme
        let bars = theme.glyphs.bars
        let host = model.host
        var block = TextBlock(width: width)
        let spark = max(8, min(30, width - 34))
        block.row([Span("Host", theme.heading), Span("  \(host.cpuCount) CPU\(host.cpuCount == 1 ? "" : "s")  load ", theme.muted),
                   Span(host.load.map { String(format: "%.2f", $0) }.joined(separator: " "), style(host.load.first.map { $0 / Double(host.cpuCount) * 100 }, .cpu, theme))])
        block.row([Span(pad("  CPU", 8), theme.muted), Span(pad(percent(host.cpuPercent), 22), style(host.cpuPercent, .cpu, theme)),
                   Span(host.cpuHistory.sparkline(width: spark, maximum: 100, bars: bars), style(host.cpuPercent, .cpu, theme))])
        block.row([Span(pad("  Memory", 8), theme.muted),
                   Span(pad("\(percent(host.memoryPercent)) \(formatBytes(Double(host.memoryUsed)))/\(formatBytes(Double(host.memoryTotal)))", 22), style(host.memoryPercent, .memory, theme)),
                   Span(host.memoryHistory.sparkline(width: spark, maximum: 100, bars: bars), style(host.memoryPercent, .memory, theme))])
        block.row([Span(pad("  Disk", 8), theme.muted),
                   Span(pad("\(percent(host.diskPercent)) \(formatBytes(Double(host.diskUsed)))/\(formatBytes(Double(host.diskTotal)))", 22), style(host.diskPercent, .disk, theme)),
                   Span(host.diskHistory.sparkline(width: spark, maximum: 100, bars: bars), style(host.diskPercent, .disk, theme))])
        block.blank()
        if case let .unreachable(detail) = model.docker {
            block.text("Docker is not answering: \(detail)", theme.bad)
            block.text("The console keeps running; the instances show again when Docker is back.", theme.muted)
            return block.lines
        }
        let name = max(9, (model.instances.map { DisplayWidth.of($0.name) }.max() ?? 8) + 1)
        // Columns: name, CPU 7, memory 18, PIDs 8, network 8, disk.
        block.row([Span(pad("Instance", name) + pad("CPU", 7) + pad("Memory", 18) + pad("PIDs", 8) + pad("Net/s", 8) + "Disk/s", theme.heading)])
        for (index, instance) in model.instances.enumerated() {
            let selected = model.focus == .health && index == model.healthSelection
            let nameStyle = selected ? theme.selection : theme.accent
            guard instance.running else {
                block.row([Span(pad(instance.name, name), nameStyle), Span(instance.state, instance.state == "unknown" ? theme.muted : theme.bad)])
                continue
            }
            let memory = instance.memoryLimit > 0
                ? "\(formatBytes(Double(instance.memoryUsed)))/\(formatBytes(Double(instance.memoryLimit))) \(String(format: "%.0f%%", instance.memoryPercent ?? 0))"
                : formatBytes(Double(instance.memoryUsed))
            let pids = instance.pidsLimit.map { "\(instance.pids)/\($0)" } ?? "\(instance.pids)"
            block.row([
                Span(pad(instance.name, name), nameStyle),
                Span(pad(percent(instance.cpuPercent).trimmingCharacters(in: .whitespaces), 7), style(instance.cpuPercent, .cpu, theme)),
                Span(pad(memory, 18), style(instance.memoryPercent, .memory, theme)),
                Span(pad(pids, 8), style(instance.pidsPercent ?? 0, .pids, theme)),
                Span(pad(formatBytes(instance.networkRate.rx + instance.networkRate.tx), 8), theme.text),
                Span(formatBytes(instance.blockRate.read + instance.blockRate.write), theme.text),
            ])
            let half = max(6, min(30, (width - name - 9) / 2))
            block.row([
                Span(pad("", name), .plain), Span("cpu", theme.muted),
                Span(instance.cpuHistory.sparkline(width: half, maximum: 100, bars: bars), style(instance.cpuPercent, .cpu, theme)),
                Span(" mem", theme.muted),
                Span(instance.memoryHistory.sparkline(width: half, maximum: 100, bars: bars), style(instance.memoryPercent, .memory, theme)),
            ])
        }
        return block.lines
    }

    static func draw(_ model: ConsoleModel, shell: ShellScreen?, into grid: inout CellGrid, rect: Rect, focused: Bool) -> (x: Int, y: Int)? {
        let right: String
        let rightStyle: Style
        switch model.docker {
        case .reachable: (right, rightStyle) = ("docker ok", model.theme.muted)
        case .unreachable: (right, rightStyle) = ("docker unreachable", model.theme.bad)
        case .unknown: (right, rightStyle) = ("docker …", model.theme.muted)
        }
        let inner = grid.frame(rect, title: "\(PaneID.health.number) Health", focused: focused, theme: model.theme, right: right, rightStyle: rightStyle)
        guard !inner.isEmpty else { return nil }
        grid.draw(lines(model, width: inner.width), in: inner)
        return nil
    }
}
