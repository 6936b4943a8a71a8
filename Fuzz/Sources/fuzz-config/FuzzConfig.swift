// libFuzzer target: config.yaml text through the config parser; every config it accepts must
// render (as `limber config` shows it) to text that reads back as the same config.
import FuzzSupport
import LimberCore

@main
enum FuzzConfig {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input, as libFuzzer hands it over.
private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let (config, diagnostics) = ConfigParser.parse(text: text, path: "config.yaml")
    checkDiagnostics(diagnostics)
    let errors = diagnostics.filter { $0.severity == .error }
    invariant((config == nil) == !errors.isEmpty, "config \(config == nil ? "missing" : "present") with \(errors.count) errors")
    if let config {
        let shown = config.render()
        let (again, problems) = ConfigParser.parse(text: shown, path: "shown.yaml")
        invariant(problems.isEmpty, "the rendered config does not read back: \(problems.map(\.description))\n\(shown)")
        invariant(again == config, "the rendered config reads back differently:\n\(shown)")
    }
    return 0
}
