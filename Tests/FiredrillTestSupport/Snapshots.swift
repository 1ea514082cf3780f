import Foundation
import Testing

/// Compares text with `Snapshots/NAME.txt` beside the calling test's file.
/// FIREDRILL_RECORD_SNAPSHOTS=1 (re)records them; a missing snapshot is recorded and the test
/// fails, so that a new one is looked at once.
public func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: sourceLocation.filePath).deletingLastPathComponent()
    let url = folder.appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    let record = ProcessInfo.processInfo.environment["FIREDRILL_RECORD_SNAPSHOTS"] == "1"
    let existing = try? String(contentsOf: url, encoding: .utf8)
    if record || existing == nil {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        if !record { Issue.record("recorded a new snapshot \(name); check it and run again", sourceLocation: sourceLocation) }
        return
    }
    let expected = String(existing!.dropLast(existing!.hasSuffix("\n") ? 1 : 0))
    if expected != text {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false), b = text.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for index in 0..<max(a.count, b.count) where (index < a.count ? a[index] : nil) != (index < b.count ? b[index] : nil) {
            diff.append("line \(index + 1):\n  - \(index < a.count ? String(a[index]) : "")\n  + \(index < b.count ? String(b[index]) : "")")
            if diff.count > 8 { break }
        }
        Issue.record("snapshot \(name) differs (FIREDRILL_RECORD_SNAPSHOTS=1 re-records):\n\(diff.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
