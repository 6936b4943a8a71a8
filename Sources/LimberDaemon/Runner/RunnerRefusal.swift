/// Why the session runner refused a command, in the runner's terms. What the user reads
/// (the wire code and the hint) is the control server's business: `ControlError(_:)`.
public enum RunnerRefusal: Error, Sendable, Hashable {
    /// A session is opening its audio stream.
    case starting
    /// Session `id` runs and the start did not ask to replace it.
    case running(id: String)
    case alreadyPaused(id: String)
    case notPaused(id: String)
    case noSession
}
