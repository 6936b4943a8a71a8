import Foundation
import LimberCore
import Logging

/// Plays cues through ALSA on its own thread; no call ever blocks the caller on audio.
///
/// Two ways to play:
/// - **Lone cues** (`play`): the device is opened, the cue played, the stream drained and
///   closed. A lone cue requested while another lone cue plays *queues* behind it; the queue
///   holds at most ``loneQueueCapacity`` cues and drops the *oldest* waiting one when full.
///   During a session a lone cue is mixed into the session stream at the next writable frame
///   (after any lone cue still playing).
/// - **Sessions** (`beginSession` … `endSession`): one stream stays open and is fed
///   continuously, silence between cues, so the stream itself keeps time. When it starts,
///   the instant at which frame 0 is heard (`t0`) is measured once from `snd_pcm_delay`, and a
///   cue scheduled at instant `T` is mixed in at frame `round((T − t0) · 48000)`. A cue whose
///   frame was already written plays at the next writable frame and is logged as late. The
///   mapping is measured again after an underrun. `endSession` plays out what is scheduled,
///   then drains and closes; call `cancelScheduled` first to drop it.
///
/// While nothing plays the PCM is closed and the thread sleeps on a condition: no wake-ups.
/// If the device cannot be opened, ``status`` becomes `.unavailable(reason:)`, logged once,
/// cues are dropped, and the next cue (or `beginSession`) tries again.
public final class CuePlayer: Sendable {
    /// Lone cues waiting behind the one playing, at most.
    public static let loneQueueCapacity = 4

    private let core: PlayerCore

    /// Starts the playback thread (which sleeps until there is something to play).
    public init(settings: AudioSettings, logger: Logger) {
        core = PlayerCore(settings: settings, logger: logger)
        let core = self.core
        let thread = Thread { PlaybackLoop(core: core).run() }
        thread.name = "limber-audio"
        thread.start()
    }

    /// A player that logs nowhere (the CLI reports problems itself).
    public convenience init(settings: AudioSettings) {
        self.init(settings: settings, logger: Logger(label: "limber.audio") { _ in SwiftLogNoOpLogHandler() })
    }

    deinit {
        core.requestShutdown()
    }

    /// Applies new settings (config reload); volumes apply from the next cue, the device
    /// from the next time a stream is opened.
    public func update(settings: AudioSettings) {
        core.withState { $0.settings = settings }
    }

    /// Plays one cue now, off the caller's path (see the queueing rule above).
    public func play(_ cue: Cue) {
        core.withState { state in
            guard state.settings.volume(for: cue) > 0 else { return }
            if state.lone.count >= Self.loneQueueCapacity {
                let dropped = state.lone.removeFirst()
                core.logger.debug("cue queue full, dropping the oldest", metadata: ["cue": "\(dropped.rawValue)"])
            }
            state.lone.append(cue)
            state.openWanted = true
        }
    }

    /// Opens one continuous stream for a session, fed silence until cues are scheduled.
    public func beginSession() {
        core.withState { state in
            state.sessionActive = true
            state.openWanted = true
        }
    }

    /// Mixes `cue` in at the sample position heard at instant `at`.
    public func schedule(_ cue: Cue, at instant: ContinuousClock.Instant) {
        core.withState { state in
            guard state.settings.volume(for: cue) > 0 else { return }
            state.scheduled.append(ScheduledCue(cue: cue, instant: instant))
            // A session whose stream failed to open retries at its next cue.
            state.openWanted = true
        }
    }

    /// Drops scheduled cues that have not started (pause, next, previous, stop).
    ///
    /// Takes effect at the next period; with a buffer of at most about 50 ms, a cancelled
    /// cue is never heard later than that.
    public func cancelScheduled() {
        core.withState { state in
            state.scheduled.removeAll()
            state.cancelGeneration += 1
        }
    }

    /// Ends the session: scheduled cues play out, then the stream drains and closes.
    public func endSession() {
        core.withState { $0.sessionActive = false }
    }

    /// What the player is doing now.
    public var status: AudioStatus {
        core.withState { $0.status }
    }

    /// Output latency (ALSA buffer plus sound server), measured while a stream is open.
    public var outputLatency: Duration? {
        core.withState { $0.outputLatency }
    }

    /// How many times a device open was attempted (diagnostics: shows retries happen).
    public var openAttempts: Int {
        core.withState { $0.openAttempts }
    }

    /// Blocks the calling thread until nothing is queued or playing and the PCM is closed,
    /// or `timeout` passes; returns whether it became idle. For the CLI and tests.
    @discardableResult
    public func waitUntilIdle(timeout: Duration = .seconds(30)) -> Bool {
        core.waitUntilIdle(timeout: timeout)
    }

    /// Returns once nothing is queued or playing and the PCM is closed (or the player
    /// has shut down), without holding a thread while it waits.
    public func idle() async {
        await withCheckedContinuation { continuation in
            core.whenIdle { continuation.resume() }
        }
    }

    /// Stops the playback thread, discarding what is playing (daemon exit).
    public func shutdown() {
        core.requestShutdown()
        core.waitForExit(timeout: .seconds(2))
    }
}
