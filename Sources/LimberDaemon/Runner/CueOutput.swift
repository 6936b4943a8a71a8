import LimberCore

/// Where the session runner sends its cues; the real one is LimberAudio's `CuePlayer`.
///
/// Every method returns at once: audio never holds up the session clock.
public protocol CueOutput: Sendable {
    /// Opens the continuous stream that carries a guided session.
    func beginSession()
    /// Asks for `cue` to be heard `delay` from now, placed at its exact sample position.
    func schedule(_ cue: Cue, in delay: Duration)
    /// Drops every scheduled cue that has not started yet (pause, next, prev, stop).
    func cancelScheduled()
    /// Lets the stream drain and closes the device.
    func endSession()
    /// Plays one cue now, outside any session (break reminders, sound tests).
    func play(_ cue: Cue)
    /// Stops the playback thread (daemon exit).
    func shutdown()
    /// The output as `status` reports it.
    var report: AudioReport { get }
}
