import LimberCore
import LimberDaemon
import LimberProtocol
import Synchronization

/// A CueOutput and SessionAudio that remembers what the runner asked of it.
final class RecordingOutput: CueOutput, SessionAudio {
    enum Call: Equatable {
        case begin
        /// A cue and its instant, as an offset from the manual clock's zero.
        case schedule(Cue, Duration)
        case cancel
        case end
        case play(Cue)
    }

    private let log = Mutex<[Call]>([])
    private let ahead = Mutex<Duration>(.zero)

    /// What the stream has written ahead of now (a real player: about 40 ms).
    var writeAhead: Duration {
        get { ahead.withLock { $0 } }
        set { ahead.withLock { $0 = newValue } }
    }

    var calls: [Call] { log.withLock { $0 } }

    func beginSession(cues: Set<Cue>) { log.withLock { $0.append(.begin) } }
    func sessionReady(timeout: Duration) async -> Bool { true }
    func schedule(_ cue: Cue, at instant: ManualClock.Instant) -> Int {
        log.withLock {
            $0.append(.schedule(cue, instant.offset))
            return $0.count
        }
    }
    func heardInstant(of token: Int) -> ManualClock.Instant? { nil }
    func cancelScheduled() { log.withLock { $0.append(.cancel) } }
    func endSession() { log.withLock { $0.append(.end) } }
    func play(_ cue: Cue) { log.withLock { $0.append(.play(cue)) } }
    func shutdown() {}
    var report: AudioReport { AudioReport(state: "idle", device: "test") }
}
