import LimberAudio
import LimberCore
import Synchronization

/// The real cue output: LimberAudio's `CuePlayer`, which places each cue at the sample of
/// its deadline on one continuous stream during a session.
public final class PlayerOutput: CueOutput {
    public let player: CuePlayer
    private let device = Mutex<String>("default")

    public init(player: CuePlayer, device: String) {
        self.player = player
        self.device.withLock { $0 = device }
    }

    /// Applies new audio settings (config reload).
    public func update(settings: AudioSettings) {
        device.withLock { $0 = settings.device }
        player.update(settings: settings)
    }

    public func beginSession() { player.beginSession() }

    public func schedule(_ cue: Cue, in delay: Duration) {
        player.schedule(cue, at: .now + delay)
    }

    public func cancelScheduled() { player.cancelScheduled() }
    public func endSession() { player.endSession() }
    public func play(_ cue: Cue) { player.play(cue) }
    public func shutdown() { player.shutdown() }

    public var report: AudioReport {
        let device = self.device.withLock { $0 }
        let latency = player.outputLatency.map { $0.inSeconds * 1000 }
        switch player.status {
        case .idle: return AudioReport(state: "idle", device: device)
        case .playing: return AudioReport(state: "playing", device: device, latencyMs: latency)
        case .unavailable(let reason): return AudioReport(state: "unavailable", device: device, reason: reason)
        }
    }
}
