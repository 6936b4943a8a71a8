import CLibFuzzer
import Foundation
import LimberCore

/// Stops the fuzzer with `message` when an invariant does not hold.
///
/// A crash is how libFuzzer learns that an input is interesting: it saves the input as
/// `crash-<sha1>` and stops. `fatalError` keeps the message in the report.
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// The fuzzer's input as bytes.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// The repository's files the fuzz targets use as context (built-in sessions for includes).
public enum Repository {
    /// The checkout this file was compiled from.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built-in sessions' texts by id, so fuzzed scripts can `include:` real sessions.
    public static func sessionTexts() -> [String: String] {
        let directory = root.appendingPathComponent("Sessions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var texts: [String: String] = [:]
        for name in names where name.hasSuffix(".yaml") {
            let url = directory.appendingPathComponent(name)
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                texts[String(name.dropLast(5))] = text
            }
        }
        return texts
    }
}

/// The invariants of every compiled timeline (as LimberCoreTests' `isWellFormed` states them),
/// each named so a crash says which one broke.
public func checkWellFormed(_ timeline: Timeline) {
    var offset: Int64 = 0
    for (index, segment) in timeline.segments.enumerated() {
        invariant(segment.index == index, "segment \(index) has index \(segment.index)")
        invariant(segment.offsetMs == offset, "segment \(index) starts at \(segment.offsetMs), not \(offset)")
        invariant(segment.durationMs > 0, "segment \(index) lasts \(segment.durationMs) ms")
        offset = segment.endMs
    }
    invariant(offset == timeline.totalMs, "segments end at \(offset) but the total is \(timeline.totalMs)")
    for (previous, next) in zip(timeline.cues, timeline.cues.dropFirst()) {
        invariant(previous.offsetMs <= next.offsetMs, "cue at \(next.offsetMs) after one at \(previous.offsetMs)")
    }
    for cue in timeline.cues {
        invariant(timeline.segments.indices.contains(cue.segmentIndex), "cue in segment \(cue.segmentIndex) of \(timeline.segments.count)")
        let segment = timeline.segments[cue.segmentIndex]
        invariant(cue.offsetMs >= segment.offsetMs && cue.offsetMs <= segment.endMs,
                  "cue at \(cue.offsetMs) outside its segment \(segment.offsetMs)..<\(segment.endMs)")
    }
    invariant(timeline.cues.last?.cue == .end, "the last cue is \(String(describing: timeline.cues.last?.cue)), not end")
}

/// Every diagnostic names a place (line and column from 0) and says something.
public func checkDiagnostics(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics {
        invariant(diagnostic.line >= 0 && diagnostic.column >= 0, "diagnostic at \(diagnostic.line):\(diagnostic.column)")
        invariant(!diagnostic.message.isEmpty, "empty diagnostic message at \(diagnostic.line):\(diagnostic.column)")
    }
}

/// Hands the process to libFuzzer, which calls `target` with each input; never returns.
///
/// SwiftPM links an executable target's own `main` (it points `main` at the module's entry
/// point), so libFuzzer's `main` is never used: each target has an `@main` that calls this.
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
