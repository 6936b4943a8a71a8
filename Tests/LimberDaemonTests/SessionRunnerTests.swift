import LimberCore
import LimberProtocol
import Logging
import Synchronization
import Testing

@testable import LimberDaemon

/// A small timeline: three steps and five cues at known offsets.
func sampleTimeline(id: String = "sample") -> Timeline {
    Timeline(
        id: id, name: "Sample", kind: .exercise, description: "", tags: [],
        segments: [
            Segment(index: 0, role: .step, text: "A", offsetMs: 0, durationMs: 1000),
            Segment(index: 1, role: .rest, text: "Rest", offsetMs: 1000, durationMs: 3000),
            Segment(index: 2, role: .step, text: "C", offsetMs: 4000, durationMs: 500),
        ],
        cues: [
            CueEvent(offsetMs: 0, cue: .start, segmentIndex: 0),
            CueEvent(offsetMs: 1000, cue: .rest, segmentIndex: 1),
            CueEvent(offsetMs: 3000, cue: .tick, segmentIndex: 1),
            CueEvent(offsetMs: 4000, cue: .step, segmentIndex: 2),
            CueEvent(offsetMs: 4500, cue: .end, segmentIndex: 2),
        ],
        totalMs: 4500)
}

/// A runner on a manual clock, its event stream and what it recorded.
struct RunnerHarness {
    let clock = ManualClock()
    let output = RecordingOutput()
    let hub = EventHub(logger: Logger(label: "test"))
    let records = RecordLog()
    /// The start's record and the checkpoints, in order.
    let checkpoints = RecordLog()
    let runner: SessionRunner<ManualClock>
    let events: AsyncStream<ControlEvent>

    init() {
        let records = self.records
        let checkpoints = self.checkpoints
        runner = SessionRunner(
            clock: clock, output: output, events: hub, logger: Logger(label: "test"),
            onStart: { checkpoints.append($0) }, onProgress: { checkpoints.append($0) },
            onRecord: { record in records.append(record) })
        events = hub.subscribe()
    }

    /// The next `count` events, in order.
    func take(_ count: Int, from iterator: inout AsyncStream<ControlEvent>.Iterator) async -> [ControlEvent] {
        var result: [ControlEvent] = []
        while result.count < count, let event = await iterator.next() { result.append(event) }
        return result
    }
}

@Suite("SessionRunner on a manual clock")
struct SessionRunnerTests {
    @Test("events come in timeline order, each due exactly at its offset")
    func orderAndOffsets() async throws {
        let harness = RunnerHarness()
        var events = harness.events.makeAsyncIterator()
        try await harness.runner.start(sampleTimeline())
        var seen = await harness.take(3, from: &events)
        #expect(seen.map(\.event) == [.sessionStarted, .step, .cue])
        #expect(seen[2].cue == .start)
        for _ in 0..<9 { harness.clock.advance(by: .milliseconds(500)) }
        seen = await harness.take(7, from: &events)
        #expect(seen.map(\.event) == [.step, .cue, .cue, .step, .cue, .cue, .sessionFinished])
        #expect(seen.compactMap(\.cue) == [.rest, .tick, .step, .end])
        #expect(seen.map { $0.due ?? -1 }.dropLast() == [1.0, 1.0, 3.0, 4.0, 4.0, 4.5])
        #expect(harness.records.withLock { $0.first?.outcome } == .completed)
        #expect(harness.records.withLock { $0.first?.stepsCompleted } == 3)
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("late wake-ups never accumulate: every due time stays on the grid")
    func noDrift() async throws {
        let harness = RunnerHarness()
        let segments = (0..<400).map { Segment(index: $0, role: .step, text: "s\($0)", offsetMs: Int64($0) * 250, durationMs: 250) }
        let timeline = Timeline(
            id: "grid", name: "Grid", kind: .exercise, description: "", tags: [], segments: segments,
            cues: segments.map { CueEvent(offsetMs: $0.offsetMs, cue: .tick, segmentIndex: $0.index) }, totalMs: 100_000)
        var events = harness.events.makeAsyncIterator()
        try await harness.runner.start(timeline)
        _ = await harness.take(3, from: &events)
        for index in 1..<400 {
            // Wake 7 ms late every time; a relative sleep would drift by 7 ms per step.
            harness.clock.advance(by: .milliseconds(257))
            let seen = await harness.take(2, from: &events)
            #expect(seen[0].due == Double(index) * 0.25)
            #expect(seen[0].offsetMs == Int64(index) * 250)
            harness.clock.advance(by: .milliseconds(-7))
        }
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("pause freezes the remaining time exactly; resume shifts the rest by the pause")
    func pauseResume() async throws {
        let harness = RunnerHarness()
        var events = harness.events.makeAsyncIterator()
        try await harness.runner.start(sampleTimeline())
        _ = await harness.take(3, from: &events)
        harness.clock.advance(by: .milliseconds(1500))
        _ = await harness.take(2, from: &events)  // rest step + cue at 1000
        try await harness.runner.pause()
        #expect(await harness.take(1, from: &events).first?.event == .paused)
        harness.clock.advance(by: .seconds(100))
        let (state, progress) = harness.runner.progressNow()
        #expect(state == .paused)
        #expect(progress?.stepRemainingMs == 2500)
        #expect(progress?.elapsedMs == 1500)
        try await harness.runner.resume()
        #expect(await harness.take(1, from: &events).first?.event == .resumed)
        harness.clock.advance(by: .milliseconds(1500))
        let tick = await harness.take(1, from: &events)
        #expect(tick.first?.cue == .tick)
        // Started at 0, paused at 1.5 s for 100 s: the tick at 3.0 s is due at 103.0 s.
        #expect(tick.first?.due == 103.0)
        #expect(harness.output.calls.contains(.cancel))
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("next and prev move between steps; next on the last step finishes")
    func nextPrev() async throws {
        let harness = RunnerHarness()
        var events = harness.events.makeAsyncIterator()
        try await harness.runner.start(sampleTimeline())
        _ = await harness.take(3, from: &events)
        try await harness.runner.next()
        var seen = await harness.take(2, from: &events)
        #expect(seen.map(\.event) == [.step, .cue])
        #expect(seen[0].step == 1)
        harness.clock.advance(by: .milliseconds(2500))  // into step 1 by 2.5 s: the tick at 3.0 fires
        _ = await harness.take(1, from: &events)
        try await harness.runner.previous()  // more than 2 s into the step: restart it
        seen = await harness.take(2, from: &events)
        #expect(seen[0].step == 1)
        #expect(seen[0].offsetMs == 1000)
        try await harness.runner.previous()  // at its start: go back one step
        seen = await harness.take(2, from: &events)
        #expect(seen[0].step == 0)
        try await harness.runner.next()
        try await harness.runner.next()
        try await harness.runner.next()
        seen = await harness.take(6, from: &events)
        #expect(seen.last?.event == .sessionFinished)
        #expect(harness.records.withLock { $0.first?.stepsSkipped } == 4)
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("next and resume are due just past the audio written ahead; status shows the new step at once")
    func jumpLead() async throws {
        let harness = RunnerHarness()
        harness.output.writeAhead = .milliseconds(40)
        try await harness.runner.start(sampleTimeline())
        harness.clock.advance(by: .milliseconds(300))
        try await harness.runner.next()
        // The rest step's cue is placed exactly 43 ms from now (40 written ahead, 3 to reach
        // the player), not late at "now".
        #expect(harness.output.calls.last == .schedule(.end, .milliseconds(300 + 43 + 3500)))
        #expect(harness.output.calls.contains(.schedule(.rest, .milliseconds(343))))
        let (_, progress) = harness.runner.progressNow()
        #expect(progress?.step == 1)
        #expect(progress?.elapsedMs == 1000)
        try await harness.runner.pause()
        harness.clock.advance(by: .milliseconds(500))
        try await harness.runner.resume()
        // Paused at 1000 ms (the floor, not 957), resumed at 800 ms, due 43 ms later.
        #expect(harness.output.calls.last == .schedule(.end, .milliseconds(843 + 3500)))
        #expect(harness.output.calls.contains(.schedule(.tick, .milliseconds(843 + 2000))))
        // next on the last step ends the session at once.
        try await harness.runner.next()
        try await harness.runner.next()
        let (state, _) = harness.runner.progressNow()
        #expect(state == .idle)
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("a second start is busy unless it replaces; stop records the run as stopped")
    func busyReplaceStop() async throws {
        let harness = RunnerHarness()
        try await harness.runner.start(sampleTimeline(id: "one"))
        await #expect(throws: RunnerRefusal.running(id: "one")) { try await harness.runner.start(sampleTimeline(id: "two")) }
        #expect(ControlError(RunnerRefusal.running(id: "one")).code == .busy)
        try await harness.runner.start(sampleTimeline(id: "two"), replace: true)
        #expect(harness.records.withLock { $0.map(\.reason) } == ["replaced"])
        try await harness.runner.stop()
        #expect(harness.records.withLock { $0.map(\.outcome) } == [.stopped, .stopped])
        await #expect(throws: RunnerRefusal.noSession) { try await harness.runner.stop() }
        await #expect(throws: RunnerRefusal.noSession) { try await harness.runner.pause() }
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }

    @Test("audio gets every cue ahead of time, at its delay from now")
    func audioScheduling() async throws {
        let harness = RunnerHarness()
        try await harness.runner.start(sampleTimeline())
        let scheduled = harness.output.calls.compactMap { call -> Duration? in
            if case .schedule(_, let delay) = call { return delay }
            return nil
        }
        #expect(scheduled == [0, 1000, 3000, 4000, 4500].map { Duration.milliseconds($0) })
        #expect(harness.output.calls.first == .begin)
        // Nothing left sleeping on the manual clock when the test ends (LeakSanitizer).
        await harness.runner.shutdown()
    }
}

/// Records collected from the runner's onRecord callback.
final class RecordLog: Sendable {
    private let records = Mutex<[RunRecord]>([])

    func append(_ record: RunRecord) { records.withLock { $0.append(record) } }
    func withLock<T>(_ body: ([RunRecord]) -> T) -> T { records.withLock { body($0) } }
}
