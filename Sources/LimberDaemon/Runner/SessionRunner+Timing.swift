import Foundation
import LimberCore
import LimberProtocol

/// The runner's clock work: moving the position, firing marks when due, handing the audio
/// its cues, ending and recording a run.
extension SessionRunner {
    // MARK: Timing

    /// How far ahead of a resume, next or previous the new position is due: just past what
    /// the audio stream has already written (read fresh, not as of its last write), so the
    /// cue there is placed exactly (not late) and heard within about 40 ms of the command.
    /// The 3 ms cover this call up to the cue's request reaching the player.
    var jumpLead: Duration {
        let ahead = output.writeAhead
        return ahead > .zero ? min(ahead + .milliseconds(3), .milliseconds(500)) : .zero
    }

    func jump(to offsetMs: Int64) {
        guard var current = active else { return }
        let now = clock.now
        let position = Duration.milliseconds(offsetMs)
        if current.pausedAt != nil {
            current.pausedAt = position
        } else {
            // The end needs no lead: `next` on the last step ends the session at once.
            let lead = offsetMs < current.timeline.totalMs ? jumpLead : .zero
            current.origin = now.advanced(by: lead - position)
            current.floor = position
        }
        if let index = current.timeline.segments.lastIndex(where: { $0.offsetMs <= offsetMs }) {
            current.segment = index
        }
        current.nextMark = current.marks.firstIndex { $0.offset >= offsetMs } ?? current.marks.count
        active = current
        cancelTimer()
        output.cancelScheduled()
        if current.pausedAt == nil {
            scheduleAudio()
            fireDue()
        }
    }

    /// Emits every mark that is due, then sleeps until the next one.
    func fireDue() {
        guard let current = active, current.pausedAt == nil else { return }
        let now = clock.now
        let position = current.origin.duration(to: now)
        var index = current.nextMark
        while index < current.marks.count, Duration.milliseconds(current.marks[index].offset) <= position {
            let (offset, mark) = current.marks[index]
            let due = current.origin.advanced(by: .milliseconds(offset))
            index += 1
            active?.nextMark = index
            emit(mark, offset: offset, now: now, due: due)
            if active?.generation != current.generation { return }
        }
        guard index < current.marks.count else { return }
        let deadline = current.origin.advanced(by: .milliseconds(current.marks[index].offset))
        let generation = current.generation
        let clock = self.clock
        cancelTimer()
        timer = loop.task { [weak self] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return
            }
            await self?.timerFired(generation: generation)
        }
    }

    func timerFired(generation: UInt64) {
        guard active?.generation == generation else { return }
        timer = nil
        fireDue()
    }

    func emit(_ mark: Mark, offset: Int64, now: C.Instant, due: C.Instant) {
        guard let current = active else { return }
        let timeline = current.timeline
        switch mark {
        case .segment(let index):
            active?.segment = index
            let segment = timeline.segments[index]
            publish(
                .step, at: now, due: due, step: index, text: segment.text, offsetMs: offset,
                durationMs: segment.durationMs)
            // The start's record covers step 0.
            if index > 0 { onProgress(record(of: current, at: now, outcome: .running, reason: nil)) }
        case .cue(let index):
            let event = timeline.cues[index]
            let heard = current.tokens[index].flatMap { output.heardInstant(of: $0) }
            publish(
                .cue, at: now, due: due, heard: heard, step: event.segmentIndex, text: event.text, cue: event.cue,
                offsetMs: offset)
        case .end:
            finish(outcome: .completed, reason: nil)
        }
    }

    func scheduleAudio() {
        guard let current = active else { return }
        output.cancelScheduled()
        var tokens: [Int: Int] = [:]
        for (offset, mark) in current.marks[current.nextMark...] {
            guard case .cue(let index) = mark else { continue }
            let due = current.origin.advanced(by: .milliseconds(offset))
            tokens[index] = output.schedule(current.timeline.cues[index].cue, at: due)
        }
        active?.tokens = tokens
        // A phrase cut by a pause is not said again on resume: only those still ahead are.
        let position = position(of: current, at: clock.now).wholeMilliseconds
        for (index, line) in current.spoken.enumerated() where line.offsetMs >= position {
            let silent = line.untilMs.map { current.origin.advanced(by: .milliseconds($0 - SpeechPlan.clearanceMs)) }
            output.scheduleSpeech(index, at: current.origin.advanced(by: .milliseconds(line.offsetMs)), silentFrom: silent)
        }
    }

    func finish(outcome: RunRecord.Outcome, reason: StopReason?) {
        guard let current = active else { return }
        let now = clock.now
        cancelTimer()
        if outcome == .stopped { output.cancelScheduled() }
        output.endSession()
        let timeline = current.timeline
        let record = record(of: current, at: now, outcome: outcome, reason: reason)
        let elapsed = min(timeline.totalMs, max(0, position(of: current, at: now).wholeMilliseconds))
        active = nil
        generation &+= 1
        // Recorded before it is announced: whoever hears the end finds it in the history.
        onRecord(record)
        publish(
            outcome == .completed ? .sessionFinished : .sessionStopped, at: now,
            session: timeline.id, offsetMs: elapsed, reason: reason?.rawValue, sessionKind: timeline.kind)
        logger.info(
            "session \(outcome.rawValue)",
            metadata: ["session": "\(timeline.id)", "elapsed_ms": "\(elapsed)", "reason": "\(reason?.rawValue ?? "-")"])
    }

    /// The run's record as of `now`.
    func record(of run: Active, at now: C.Instant, outcome: RunRecord.Outcome, reason: StopReason?) -> RunRecord {
        let elapsed = min(run.timeline.totalMs, max(0, position(of: run, at: now).wholeMilliseconds))
        return RunRecord(
            key: run.generation, timeline: run.timeline, started: run.started, elapsedMs: elapsed,
            actualMs: run.activeTime(at: now).wholeMilliseconds, skipped: run.skipped, outcome: outcome,
            reason: reason?.rawValue)
    }

    func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    func position(of run: Active, at now: C.Instant) -> Duration {
        ProgressBasis<C>.position(pausedAt: run.pausedAt, origin: run.origin, floor: run.floor, at: now)
    }

    func publish(
        _ kind: ControlEvent.Kind, at now: C.Instant, due: C.Instant? = nil, heard: C.Instant? = nil, session: String? = nil,
        name: String? = nil, step: Int? = nil, steps: Int? = nil, text: String? = nil, cue: Cue? = nil, offsetMs: Int64? = nil,
        durationMs: Int64? = nil, reason: String? = nil, sessionKind: SessionKind? = nil
    ) {
        events.publish(
            ControlEvent(
                event: kind, mono: epoch.duration(to: now).inSeconds,
                due: due.map { epoch.duration(to: $0).inSeconds }, heard: heard.map { epoch.duration(to: $0).inSeconds },
                wall: WallTime.iso8601(),
                session: session ?? active?.timeline.id, name: name, step: step, steps: steps, text: text, cue: cue,
                offsetMs: offsetMs, durationMs: durationMs, reason: reason, sessionKind: sessionKind ?? active?.timeline.kind))
    }
}
