import LimberHistory

extension HistoryRecorder {
    /// Queues a finished or stopped session; returns at once (the runner calls it on its path).
    public func recordRun(_ run: RunRecord) {
        record(.run(SessionRunEntry(run)))
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
