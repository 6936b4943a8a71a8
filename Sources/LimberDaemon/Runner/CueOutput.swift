import LimberCore
import LimberProtocol

/// Where the daemon sends cues outside a session; the real one is LimberAudio's `CuePlayer`.
///
/// Every method returns at once: audio never holds up the session clock.
public protocol CueOutput: Sendable {
    /// Plays one cue now, outside any session (break reminders, sound tests).
    func play(_ cue: Cue)
    /// Speaks `phrases` one after the other, after what is playing (a due break's
    /// "Time to move"); rendered off the caller's path. Nothing when the voice is off.
    func announce(_ phrases: [String])
    /// Starts the playback thread (limberd: from its runner service's `run()`).
    func start()
    /// Stops the playback thread (daemon exit).
    func shutdown()
    /// The output as `status` reports it.
    var report: AudioReport { get }
    /// Hands back the process's pages of code and read-only data once the output is idle
    /// (after start-up and after a session: see `WorkingSet`).
    func trimResidentPages()
}

/// The audio side of a guided session, on the runner's clock: cues are placed at absolute
/// instants, never by a delay from "now".
public protocol SessionAudio<Instant>: Sendable {
    associatedtype Instant: Sendable
    /// Opens the continuous stream that carries a guided session, rendering `cues` first.
    func beginSession(cues: Set<Cue>)
    /// Waits until the stream is seen playing and its clock is locked (true), or until it
    /// fails or `timeout` passes (false): the session's origin is fixed after this.
    func sessionReady(timeout: Duration) async -> Bool
    /// Asks for `cue` to be heard at `instant`, placed at its exact sample; returns a token
    /// for ``heardInstant(of:)``.
    func schedule(_ cue: Cue, at instant: Instant) -> Int
    /// When the cue of `token` is heard, once the player has placed it.
    func heardInstant(of token: Int) -> Instant?
    /// Drops every scheduled cue that has not started yet (pause, next, prev, stop).
    func cancelScheduled()
    /// Lets the stream drain and closes the device.
    func endSession()
    /// Renders the spoken guidance of `timeline` before it starts; the lines to schedule.
    func prepareSpeech(for timeline: Timeline) async -> [SpokenLine]
    /// Asks for phrase `line` (of the last ``prepareSpeech(for:)``) to be heard at `instant`,
    /// silent from `silentFrom`; dropped by ``cancelScheduled()`` like a cue.
    func scheduleSpeech(_ line: Int, at instant: Instant, silentFrom: Instant?)
    /// How far ahead of now the stream's first unwritten frame is heard: a cue scheduled
    /// sooner than this is late. Zero where nothing is buffered.
    var writeAhead: Duration { get }
}

extension CueOutput {
    public func announce(_ phrases: [String]) {}
    public func start() {}
    public func trimResidentPages() {}
}

/// A session id as words, for speaking it where only the id is known (`desk-reset` →
/// "Desk reset").
public enum SessionName {
    public static func spoken(_ id: String) -> String {
        let words = id.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

extension SessionAudio {
    public var writeAhead: Duration { .zero }
    public func prepareSpeech(for timeline: Timeline) async -> [SpokenLine] { [] }
    public func scheduleSpeech(_ line: Int, at instant: Instant, silentFrom: Instant?) {}
}
