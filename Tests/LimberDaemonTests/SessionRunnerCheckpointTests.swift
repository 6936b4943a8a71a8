import LimberCore
import Testing

@testable import LimberDaemon

@Suite("SessionRunner checkpoints")
struct SessionRunnerCheckpointTests {
    @Test("a run is recorded running at its start, at each step boundary and at a pause, then ended under the same key")
    func checkpointsAtStepBoundaries() async throws {
        let harness = RunnerHarness()
        var events = harness.events.makeAsyncIterator()
        try await harness.runner.start(sampleTimeline())
        _ = await harness.take(3, from: &events)
        let start = try #require(harness.checkpoints.withLock { $0.first })
        #expect(start.outcome == .running && start.stepsCompleted == 0 && start.actualMs == 0 && start.steps == 3)
        #expect(start.plannedMs == 4500)

        // Into the rest (step 1): one checkpoint, step 0 done.
        harness.clock.advance(by: .milliseconds(1000))
        _ = await harness.take(2, from: &events)
        var seen = harness.checkpoints.withLock { $0 }
        #expect(seen.count == 2)
        #expect(seen.last?.stepsCompleted == 1 && seen.last?.actualMs == 1000 && seen.last?.outcome == .running)

        harness.clock.advance(by: .milliseconds(500))
        try await harness.runner.pause()
        _ = await harness.take(1, from: &events)
        seen = harness.checkpoints.withLock { $0 }
        #expect(seen.count == 3)
        #expect(seen.last?.actualMs == 1500 && seen.last?.stepsCompleted == 1)

        try await harness.runner.stop()
        let end = try #require(harness.records.withLock { $0.first })
        #expect(end.outcome == .stopped && end.reason == "user" && end.stepsCompleted == 1)
        #expect(Set(seen.map(\.key)) == [end.key] && seen.allSatisfy { $0.started == end.started })
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("each run has its own key")
    func keysDiffer() async throws {
        let harness = RunnerHarness()
        try await harness.runner.start(sampleTimeline())
        try await harness.runner.start(sampleTimeline(id: "other"), replace: true)
        let keys = harness.checkpoints.withLock { $0.map(\.key) }
        #expect(keys.count == 2 && keys[0] != keys[1])
        #expect(harness.records.withLock { $0.map(\.key) } == [keys[0]])
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }
}
