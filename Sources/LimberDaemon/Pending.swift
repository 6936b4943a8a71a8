// Temporary stand-ins until the systemd, core and audio branches merge.
import LimberCore
import Logging

struct SilentOutput: CueOutput {
    func beginSession() {}
    func schedule(_ cue: Cue, in delay: Duration) {}
    func cancelScheduled() {}
    func endSession() {}
    func play(_ cue: Cue) {}
    func shutdown() {}
    var report: AudioReport { AudioReport(state: "unavailable", device: "none", reason: "audio not built yet") }
}

extension Daemon {
    static func makeOutput(device: String, volume: Double, logger: Logger) -> any CueOutput { SilentOutput() }
}

