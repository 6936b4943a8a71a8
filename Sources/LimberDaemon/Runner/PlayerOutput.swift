import LimberAudio
import LimberCore
import LimberProtocol
import Logging
import Synchronization

/// The real cue output: LimberAudio's `CuePlayer`, which places each cue at the sample of
/// its deadline on one continuous stream during a session.
public final class PlayerOutput: CueOutput, SessionAudio {
    public let player: CuePlayer
    private let device = Mutex<String>("default")
    let speech = Mutex(SpeechState(renderer: nil, volume: 0))
    let logger: Logger

    public init(player: CuePlayer, device: String, logger: Logger = Logger(label: "limber.audio")) {
        self.player = player
        self.logger = logger
        self.device.withLock { $0 = device }
    }

    /// Applies new audio settings (config reload).
    public func update(settings: AudioSettings) {
        device.withLock { $0 = settings.device }
        player.update(settings: settings)
    }

    public func start() { player.start() }
    public func trimResidentPages() { player.trimResidentPages() }

    public func beginSession(cues: Set<Cue>) { player.beginSession(cues: cues) }

    public func sessionReady(timeout: Duration) async -> Bool {
        await player.sessionReady(timeout: timeout)
    }

    public func schedule(_ cue: Cue, at instant: ContinuousClock.Instant) -> Int {
        player.schedule(cue, at: instant)
    }

    public func heardInstant(of token: Int) -> ContinuousClock.Instant? {
        player.heardInstant(of: token)
    }

    public func cancelScheduled() { player.cancelScheduled() }
    public var writeAhead: Duration { player.writeAhead ?? .zero }
    /// The phrases are dropped first: the playback thread returns freed pages to the system
    /// once the stream closes (what is still queued plays out from its own references).
    public func endSession() {
        releaseSpeech()
        player.endSession()
    }
    public func play(_ cue: Cue) { player.play(cue) }
    public func shutdown() {
        waitForSpeechThreads()
        player.shutdown()
    }

    public var report: AudioReport {
        let device = self.device.withLock { $0 }
        let latency = player.outputLatency.map { $0.inSeconds * 1000 }
        let counters = player.counters
        var report: AudioReport
        switch player.status {
        case .idle: report = AudioReport(state: "idle", device: device)
        case .playing: report = AudioReport(state: "playing", device: device, latencyMs: latency)
        case .unavailable(let reason): report = AudioReport(state: "unavailable", device: device, reason: reason)
        }
        report.prerollMs = player.preroll.map { ($0.inSeconds * 1000).rounded() }
        report.lateCues = counters.late
        report.lostCues = counters.lost
        report.clockRemeasured = counters.remeasured
        return report
    }
}
