// Temporary stand-ins until the systemd, core and audio branches merge.
import LimberCore
import Logging

struct SystemdNotifier: Sendable {
    init(logger: Logger) {}
    func ready() {}
    func status(_ text: String) {}
    func reloading() {}
    func stopping() {}
}

enum SocketActivation {
    static func adopt(logger: Logger) -> (fd: Int32, path: String?)? { nil }
}

struct SilentOutput: CueOutput {
    func beginSession() {}
    func schedule(_ cue: Cue, in delay: Duration) {}
    func cancelScheduled() {}
    func endSession() {}
    func play(_ cue: Cue) {}
    func shutdown() {}
    var report: AudioReport { AudioReport(state: "unavailable", device: "none", reason: "audio not built yet") }
}

struct NoSessions: SessionSource {
    func list() async -> SessionsResult { SessionsResult(sessions: [], problems: []) }
    func timeline(id: String) async throws(ControlError) -> Timeline { throw ControlError(.unknownSession, "no sessions yet") }
    func timeline(script: String, path: String) async throws(ControlError) -> Timeline { throw ControlError(.unknownSession, "no sessions yet") }
    func reload() async -> ReloadResult { ReloadResult(sessions: 0, problems: []) }
}

extension Daemon {
    static func makeOutput(device: String, volume: Double, logger: Logger) -> any CueOutput { SilentOutput() }
    static func makeSessions(directories: [String], logger: Logger) -> any SessionSource { NoSessions() }
}

public enum DaemonLogHandler {
    public static func make(label: String) -> any LogHandler { StreamLogHandler.standardError(label: label) }
}
