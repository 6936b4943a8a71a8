import ServiceLifecycle
import Synchronization

/// Hands back the pages of code and read-only data limberd touched while busy, so that idle
/// it holds what idling uses (see LimberAudio's `WorkingSet`): once start-up has settled, and
/// after each session, when its stream has closed and its run is written.
struct IdleTrim: Service {
    let events: EventHub
    let output: any CueOutput
    let loop: DaemonLoop
    /// How long after start-up, or after a session ends, the pages are handed back.
    static let settle: Duration = .seconds(10)

    func run() async {
        let pending = Mutex<Task<Void, Never>?>(nil)
        let schedule = { @Sendable [output, loop] in
            pending.withLock { task in
                task?.cancel()
                task = loop.task {
                    guard (try? await loop.sleep(for: Self.settle)) != nil else { return }
                    output.trimResidentPages()
                }
            }
        }
        schedule()
        await events.subscribe().forEachUntilShutdown { event in
            switch event.event {
            case .sessionStarted:
                pending.withLock { task in
                    task?.cancel()
                    task = nil
                }
            case .sessionFinished, .sessionStopped:
                schedule()
            default:
                break
            }
        }
        pending.withLock { $0?.cancel() }
    }
}
