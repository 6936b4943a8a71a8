import CALSA
import Foundation
import LimberCore
import Logging
import Synchronization

/// Plays cues through ALSA on its own thread; no call ever blocks the caller on audio.
///
/// Two ways to play:
/// - **Lone cues** (`play`): the device is opened, the cue played, the stream drained and
///   closed. A lone cue requested while another lone cue plays *queues* behind it; the queue
///   holds at most ``loneQueueCapacity`` cues and drops the *oldest* waiting one when full.
///   During a session a lone cue is mixed into the session stream at the next writable frame
///   (after any lone cue still playing).
/// - **Sessions** (`beginSession` … `endSession`): one stream stays open and is fed
///   continuously, silence between cues, so the stream itself keeps time. A
///   ``PlaybackClock`` maps its frames to the instants they are heard, from delay and
///   timestamp read together, locked only once the device is seen consuming
///   (``sessionReady(timeout:)`` says when); a cue scheduled at instant `T` is mixed in at
///   the frame heard at `T`. A cue whose frame was already written is played late, never on
///   top of another, logged with its reason and counted. If the device goes away mid-session
///   the timeline goes on: cues due meanwhile are lost (counted), the device is tried again
///   every ``reopenInterval``, and later cues play on the new stream. `endSession` plays
///   out what is scheduled, then drains and closes; call `cancelScheduled` first to drop it.
///
/// Every cue is rendered on the caller's thread when it is queued: nothing is synthesised
/// on the audio thread. While nothing plays the PCM is closed and the thread sleeps on a
/// condition: no wake-ups. If the device cannot be opened, ``status`` becomes
/// `.unavailable(reason:)`, logged once, and the next cue (or the session's retry) tries again.
public final class CuePlayer: Sendable {
    /// Lone cues waiting behind the one playing, at most.
    public static let loneQueueCapacity = 4
    /// How often a session whose device failed tries to open it again.
    public static let reopenInterval: Duration = .milliseconds(500)

    private let core: PlayerCore
    private let bank: CueBank
    private let pause: @Sendable (Duration) async -> Void

    private let started = Mutex(false)

    /// A player; its playback thread (which sleeps until there is something to play) starts
    /// now, or at ``start()`` when `startNow` is false (limberd starts it from a service's
    /// `run()`). What is asked of it before then waits for the thread.
    ///
    /// - Parameter pause: how ``sessionReady(timeout:)`` waits between looks; limberd passes
    ///   its event loop's timer (`Task.sleep` would wake libdispatch's pool for good).
    public init(
        settings: AudioSettings, logger: Logger, bank: CueBank = .shared, startNow: Bool = true,
        pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        core = PlayerCore(settings: settings, logger: logger)
        self.bank = bank
        self.pause = pause
        if startNow { start() }
    }

    /// Starts the playback thread; once only, later calls do nothing.
    public func start() {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
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
        guard let samples = rendered(cue) else { return }
        core.request { state in
            if state.lone.count >= Self.loneQueueCapacity {
                let dropped = state.lone.removeFirst()
                core.logger.debug("cue queue full, dropping the oldest", metadata: ["cue": "\(dropped.cue?.rawValue ?? "sound")"])
            }
            state.lone.append(LoneCue(cue: cue, samples: samples))
            state.openWanted = true
        }
    }

    /// Plays already rendered 48 kHz mono samples now, queued like a lone cue (`limber say`).
    public func play(samples: [Int16]) {
        guard !samples.isEmpty else { return }
        core.request { state in
            if state.lone.count >= Self.loneQueueCapacity { state.lone.removeFirst() }
            state.lone.append(LoneCue(cue: nil, samples: samples))
            state.openWanted = true
        }
    }

    /// Opens one continuous stream for a session, fed silence until cues are scheduled, and
    /// renders `cues` now so that nothing is synthesised once it plays.
    public func beginSession(cues: Set<Cue> = []) {
        for cue in cues { _ = rendered(cue) }
        core.request { state in
            state.sessionActive = true
            state.sessionReady = false
            state.openWanted = true
        }
    }

    /// Returns once the session's stream is seen consuming and its clock is locked (true),
    /// or when the device is unavailable or `timeout` passes (false). The session's origin
    /// should be fixed only after this: then even its first cue is placed exactly.
    public func sessionReady(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (ready, failed) = core.read { state -> (Bool, Bool) in
                let failed = if case .unavailable = state.status { state.openAttempts > 0 } else { false }
                return (state.sessionReady, failed && !state.openWanted)
            }
            if ready { return true }
            if failed { return false }
            await pause(.milliseconds(5))
        }
        return false
    }

    /// Mixes `cue` in at the sample heard at instant `at`; returns a token for ``heardInstant(of:)``.
    @discardableResult
    public func schedule(_ cue: Cue, at instant: ContinuousClock.Instant) -> Int {
        guard let samples = rendered(cue) else { return 0 }
        return core.request { state in
            let token = state.nextToken
            state.nextToken += 1
            state.scheduled.append(ScheduledCue(token: token, cue: cue, instant: instant, samples: samples))
            // A session whose stream failed to open retries at its next cue.
            state.openWanted = true
            return token
        }
    }

    /// Mixes a spoken phrase (already rendered at the stream rate and its volume) in at the
    /// sample heard at `instant`, silent from `silentFrom` on (faded out just before). Pause,
    /// next, prev and stop cut it like a cue. Returns a token for ``heardInstant(of:)``.
    @discardableResult
    public func scheduleSpeech(_ samples: [Int16], at instant: ContinuousClock.Instant,
                               silentFrom: ContinuousClock.Instant?) -> Int {
        guard !samples.isEmpty else { return 0 }
        return core.request { state in
            let token = state.nextToken
            state.nextToken += 1
            state.scheduled.append(ScheduledCue(
                token: token, cue: nil, instant: instant, samples: samples, silentFrom: silentFrom))
            state.openWanted = true
            return token
        }
    }

    /// When the cue of `token` is heard, once it has been placed on the stream (nil before,
    /// or if it never was).
    public func heardInstant(of token: Int) -> ContinuousClock.Instant? {
        core.read { $0.heard[token] }
    }

    /// Drops scheduled cues that have not started and fades out the ones sounding (pause,
    /// next, previous, stop).
    ///
    /// Takes effect at the first frame not yet written: at most about 50 ms of audio is
    /// queued at any time, so a cancelled cue is never heard later than that.
    public func cancelScheduled() {
        core.request { state in
            state.scheduled.removeAll()
            state.cancelGeneration += 1
        }
    }

    /// Ends the session: scheduled cues play out, then the stream drains and closes.
    public func endSession() {
        core.request { state in
            state.sessionActive = false
            state.sessionReady = false
        }
    }

    /// Cues played late, lost, and clock re-measurements, since the player started.
    public var counters: AudioCounters {
        core.read { $0.counters }
    }

    /// How long the last session's stream took from opening until its clock was locked.
    public var preroll: Duration? {
        core.read { $0.preroll }
    }

    /// `cue` at its configured volume, rendered (once, then cached) on the caller's thread;
    /// nil when that volume mutes it.
    private func rendered(_ cue: Cue) -> [Int16]? {
        let volume = core.read { $0.settings.volume(for: cue) }
        return volume > 0 ? bank.samples(for: cue, volume: volume) : nil
    }

    /// How far ahead of now a cue must be scheduled to be placed exactly: the first unwritten
    /// frame of the session stream is heard this long from now (nil while no clock is locked).
    public var writeAhead: Duration? {
        guard let until = core.read({ $0.writtenUntil }) else { return nil }
        return max(.zero, until - ContinuousClock.now)
    }

    /// What the player is doing now.
    public var status: AudioStatus {
        core.read { $0.status }
    }

    /// Output latency (ALSA buffer plus sound server), measured while a stream is open.
    public var outputLatency: Duration? {
        core.read { $0.outputLatency }
    }

    /// How many times a device open was attempted (diagnostics: shows retries happen).
    public var openAttempts: Int {
        core.read { $0.openAttempts }
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

    /// Once the player is idle, drops its rendered cues (``CueBank/release()``), ALSA's parsed
    /// configuration, and the process's resident pages of code and read-only data (see
    /// ``WorkingSet``), holding the player's lock: no stream opens meanwhile, so no ALSA
    /// plugin is being loaded while the mappings are read and advised.
    public func trimResidentPages() {
        let core = core
        let bank = bank
        core.whenIdle {
            let began = ContinuousClock.now
            let outcome = core.withState { _ in
                bank.release()
                // ALSA's parsed configuration (0.1 MB), read again at the next open.
                _ = snd_config_update_free_global()
                return WorkingSet.trim()
            }
            core.logger.debug("resident pages handed back", metadata: [
                "regions": "\(outcome.regions)", "resident_kib": "\(outcome.residentKiB)",
                "failures": "\(outcome.failures)", "malloc_returned": "\(outcome.mallocReturned)",
                "took_us": "\((ContinuousClock.now - began) / .microseconds(1))",
            ])
        }
    }

    /// Stops the playback thread, discarding what is playing (daemon exit).
    public func shutdown() {
        core.requestShutdown()
        guard started.withLock({ $0 }) else { return }
        core.waitForExit(timeout: .seconds(2))
    }
}
