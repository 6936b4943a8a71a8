// libFuzzer target: a session script's bytes through the parser and the timeline compiler,
// with the built-in sessions available to `include:`, and every timeline it accepts through
// the speech plan (what limberd speaks, and where).
import FuzzSupport
import LimberCore

private let compiler = TimelineCompiler(resolver: InMemorySessions(Repository.sessionTexts()))

@main
enum FuzzSession {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input, as libFuzzer hands it over.
private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let result = compiler.compile(bytes: bytes(data, size), path: "fuzz.yaml")
    checkDiagnostics(result.diagnostics)
    invariant(result.isValid == result.errors.isEmpty, "isValid disagrees with the errors")
    if let timeline = result.timeline {
        invariant(result.errors.isEmpty, "a timeline together with errors")
        checkWellFormed(timeline)
        let lines = SpeechPlan.lines(for: timeline, cueLengthMs: { _ in 150 })
        for (previous, next) in zip(lines, lines.dropFirst()) {
            invariant(previous.offsetMs <= next.offsetMs, "phrase at \(next.offsetMs) after one at \(previous.offsetMs)")
        }
    } else {
        invariant(!result.errors.isEmpty, "no timeline and no error")
    }
    return 0
}
