import LimberProtocol

extension ControlError {
    /// The runner's refusal as the client shows it: its code, and what to do instead.
    public init(_ refusal: RunnerRefusal) {
        switch refusal {
        case .starting:
            self.init(.busy, "a session is starting; stop it with `limber stop`, or try again in a moment")
        case .running(let id):
            self.init(.busy, "'\(id)' is already running; stop it with `limber stop` or start with --replace")
        case .alreadyPaused(let id):
            self.init(.wrongState, "'\(id)' is already paused; resume it with `limber resume`")
        case .notPaused(let id):
            self.init(.wrongState, "'\(id)' is not paused; pause it with `limber pause`")
        case .noSession:
            self.init(.noSession, "no session is running; start one with `limber start ID`")
        }
    }

    /// Runs a runner command, turning its refusal into the client's error.
    static func refusing<T>(_ command: () async throws(RunnerRefusal) -> T) async throws(ControlError) -> T {
        do {
            return try await command()
        } catch {
            throw ControlError(error)
        }
    }
}
