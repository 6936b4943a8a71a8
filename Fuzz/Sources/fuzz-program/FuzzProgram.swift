// libFuzzer target: a program's text through the program parser, checked against the
// built-in session ids as `limber validate` checks it.
import FuzzSupport
import LimberCore

private let knownSessions = Array(Repository.sessionTexts().keys)

@main
enum FuzzProgram {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input, as libFuzzer hands it over.
private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    _ = Program.looksLikeProgram(text)
    let result = Program.parse(text: text, path: "fuzz.yaml", knownSessions: knownSessions)
    checkDiagnostics(result.diagnostics)
    invariant((result.program == nil) == !result.errors.isEmpty,
              "program \(result.program == nil ? "missing" : "present") with \(result.errors.count) errors")
    if let program = result.program {
        invariant(!program.stages.isEmpty, "a program without stages")
        for stage in program.stages {
            invariant(stage.weeks >= 1 && stage.weeks <= Program.maximumWeeks, "stage '\(stage.name)' of \(stage.weeks) weeks")
        }
    }
    return 0
}
