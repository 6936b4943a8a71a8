import LimberHistory

extension HistoryRecorder {
    /// Queues a run's checkpoint; returns at once (the runner calls it on its timing path).
    public func recordRun(_ run: RunRecord) {
        record(.runState(key: run.key, SessionRunEntry(run)))
    }

    /// Writes a run's start or end before returning, so that a `start` reply or a finished
    /// session is on disk before anyone hears of it.
    public func recordRunDurably(_ run: RunRecord) {
        recordDurably(.runState(key: run.key, SessionRunEntry(run)))
    }
}

extension SessionRunEntry {
    /// The database row for a runner's record.
    public init(_ run: RunRecord) {
        self.init(
            session: run.session, name: run.name, kind: run.kind.rawValue, started: run.started, ended: run.ended,
            plannedMs: run.plannedMs, actualMs: run.actualMs, stepsCompleted: run.stepsCompleted, steps: run.steps,
            stepsSkipped: run.stepsSkipped, outcome: run.outcome.rawValue, reason: run.reason)
    }
}
