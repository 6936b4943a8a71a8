import LimberCore
import LimberDaemon
import Synchronization

/// A CueOutput that remembers what the runner asked of it.
final class RecordingOutput: CueOutput {
    enum Call: Equatable {
        case begin
        case schedule(Cue, Duration)
        case cancel
        case end
        case play(Cue)
    }

    private let log = Mutex<[Call]>([])

    var calls: [Call] { log.withLock { $0 } }

    func beginSession() { log.withLock { $0.append(.begin) } }
    func schedule(_ cue: Cue, in delay: Duration) { log.withLock { $0.append(.schedule(cue, delay)) } }
    func cancelScheduled() { log.withLock { $0.append(.cancel) } }
    func endSession() { log.withLock { $0.append(.end) } }
    func play(_ cue: Cue) { log.withLock { $0.append(.play(cue)) } }
    func shutdown() {}
    var report: AudioReport { AudioReport(state: "idle", device: "test") }
}
