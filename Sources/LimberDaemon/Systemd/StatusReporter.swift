import LimberCore
import ServiceLifecycle

/// Keeps systemd's `STATUS=` line (what `systemctl --user status limberd` shows) in step
/// with what the daemon is doing: "idle", "running box-breathing 2/16", "paused ...".
struct StatusReporter: Service {
    let events: EventHub
    let notifier: SystemdNotifier
    /// Extra words for the idle line, e.g. "next break 14:35".
    let idleDetail: @Sendable () async -> String?

    func run() async {
        guard notifier.isEnabled else {
            try? await gracefulShutdown()
            return
        }
        var session: String?
        var steps = 0
        var step = 0
        await events.subscribe().forEachUntilShutdown { event in
            let text: String?
            switch event.event {
            case .sessionStarted:
                session = event.session
                steps = event.steps ?? 0
                step = 0
                text = "running \(session ?? "") 1/\(steps)"
            case .step:
                step = event.step ?? step
                text = "running \(session ?? "") \(step + 1)/\(steps)"
            case .paused:
                text = "paused \(session ?? "") \(step + 1)/\(steps)"
            case .resumed:
                text = "running \(session ?? "") \(step + 1)/\(steps)"
            case .sessionFinished, .sessionStopped, .reloaded:
                session = nil
                text = await idleText()
            default:
                text = nil
            }
            if let text { notifier.status(text) }
        }
    }

    func idleText() async -> String {
        if let detail = await idleDetail() { return "idle; \(detail)" }
        return "idle"
    }
}
