import Foundation
import LimberCore
import LimberProtocol
import Testing

/// Guided sessions through the real limberd: what a watcher sees and when, and what
/// start, pause, resume, next, prev and stop do to a running session.
@Suite(.timeLimit(.minutes(1)))
struct SessionControlTests {
    /// A step or cue as both the timeline and the watch stream describe it.
    struct Mark: Equatable, CustomStringConvertible {
        var kind: ControlEvent.Kind
        var step: Int
        var cue: Cue?
        var text: String?
        var offsetMs: Int64

        var description: String { "\(kind.rawValue) \(step) \(cue?.rawValue ?? "") \(text ?? "") @\(offsetMs)" }
    }

    /// The timeline's steps and cues in playing order: by offset, a step before its cues,
    /// cues at the same offset in timeline order.
    static func marks(of timeline: Timeline) -> [Mark] {
        let steps = timeline.segments.map {
            (Mark(kind: .step, step: $0.index, text: $0.text, offsetMs: $0.offsetMs), 0)
        }
        let cues = timeline.cues.map {
            (Mark(kind: .cue, step: $0.segmentIndex, cue: $0.cue, text: $0.text, offsetMs: $0.offsetMs), 1)
        }
        return (steps + cues).enumerated()
            .sorted { ($0.element.0.offsetMs, $0.element.1, $0.offset) < ($1.element.0.offsetMs, $1.element.1, $1.offset) }
            .map(\.element.0)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    @Test func watchReceivesEveryStepAndCueInTimelineOrderOnTime() throws {
        let daemon = try DaemonProcess()
        let control = try daemon.connect()
        let timeline = try control.call("show", args: ["id": .string("quick")], as: Timeline.self)
        let expected = Self.marks(of: timeline)
        // The script must exercise more than opening cues, or this test proves little.
        #expect(timeline.cues.contains { $0.cue == .halfway })
        #expect(timeline.cues.contains { $0.cue == .tick })
        #expect(timeline.segments.count == 4)

        let watcher = try daemon.connect()
        #expect(try watcher.watch().state == .idle)
        let started = try control.call("start", args: ["id": .string("quick")])
        #expect(started.state == .running)
        #expect(started.session?.id == "quick")

        var arrivals: [(event: ControlEvent, at: ContinuousClock.Instant)] = []
        while arrivals.last?.event.event != .sessionFinished {
            let event = try watcher.nextEvent(within: .seconds(5))
            arrivals.append((event, .now))
        }
        let first = try #require(arrivals.first)
        #expect(first.event.event == .sessionStarted)
        #expect(first.event.session == "quick")
        #expect(first.event.steps == timeline.segments.count)
        #expect(first.event.durationMs == timeline.totalMs)

        let playedArrivals = arrivals.dropFirst().dropLast()
        let played = playedArrivals.map {
            Mark(kind: $0.event.event, step: $0.event.step ?? -1, cue: $0.event.cue, text: $0.event.text, offsetMs: $0.event.offsetMs ?? -1)
        }
        #expect(played == expected)

        // Arrival at this end of the socket, relative to the session's position 0 (the
        // session-started event says when that is due: after the audio pre-roll).
        let startDue = try #require(first.event.due)
        let origin = first.at.advanced(by: .nanoseconds(Int64((startDue - first.event.mono) * 1e9)))
        for (event, at) in playedArrivals {
            let offset = Self.milliseconds(origin.duration(to: at))
            let planned = Double(event.offsetMs ?? -1)
            // Arrives while it still matters, not batched at the end. How late, under load, is
            // `limber-bench timing`'s figure: the parallel suite has delayed events by 160 ms.
            #expect(abs(offset - planned) <= 1_000, "\(event.event.rawValue) \(event.step ?? -1) arrived at \(offset) ms, planned \(planned) ms")
            // The daemon schedules each mark at exactly its timeline offset.
            let due = try #require(event.due)
            #expect(abs((due - startDue) * 1000 - planned) < 0.001)
        }
        let finished = try #require(arrivals.last)
        #expect(finished.event.offsetMs == timeline.totalMs)
        #expect(abs(Self.milliseconds(origin.duration(to: finished.at)) - Double(timeline.totalMs)) <= 1_000)
        #expect(try control.call("status").state == .idle)
    }

    @Test func pauseFreezesRemainingTimeAndResumeShiftsTheRestExactly() throws {
        let daemon = try DaemonProcess()
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try control.call("start", args: ["id": .string("hold")])
        let started = try watcher.nextEvent()
        #expect(started.event == .sessionStarted)
        _ = try watcher.events { $0.event == .step && $0.step == 0 }

        let pausedReply = try control.call("pause")
        #expect(pausedReply.state == .paused)
        let paused = try #require(try watcher.events { $0.event == .paused }.last)
        let first = try #require(try control.call("status").session)
        // Nothing plays while paused, and the clock stands still.
        #expect(try watcher.readLine(within: .milliseconds(300)) == .timedOut)
        let second = try control.call("status")
        #expect(second.state == .paused)
        #expect(second.session == first)
        #expect(pausedReply.session == first)
        #expect(first.step == 0)
        #expect((paused.offsetMs ?? -1) + first.stepRemainingMs == 1000)
        #expect(try control.refusal("pause").code == .wrongState)

        let resumedReply = try control.call("resume")
        #expect(resumedReply.state == .running)
        #expect(try control.refusal("resume").code == .wrongState)
        let resumed = try watcher.nextEvent()
        let resumedAt = ContinuousClock.now
        #expect(resumed.event == .resumed)
        #expect(resumed.offsetMs == paused.offsetMs)
        let next = try #require(try watcher.events { $0.event == .step }.last)
        let nextAt = ContinuousClock.now
        #expect(next.step == 1)
        #expect(next.offsetMs == 1000)
        // The step comes exactly the pause's length later than planned (the clock runs again
        // at the resumed event's `due`, just past the audio already written)...
        let shift = try #require(resumed.due) - paused.mono
        let due = try #require(next.due)
        let startDue = try #require(started.due)
        #expect(abs((due - startDue) - (1.0 + shift)) < 1e-6, "step 1 due \(due - startDue) s after the start, pause \(shift) s")
        // ...which, as heard, is the remaining time after resume.
        let heard = Self.milliseconds(resumedAt.duration(to: nextAt))
        #expect(abs(heard - Double(first.stepRemainingMs)) <= 100, "step 1 came \(heard) ms after resume, \(first.stepRemainingMs) ms were left")
        _ = try watcher.events { $0.event == .sessionFinished }
    }

    @Test func nextPrevAndStopMoveTheSession() throws {
        let daemon = try DaemonProcess()
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        func stepEvent() throws -> ControlEvent {
            try #require(try watcher.events { $0.event == .step }.last)
        }
        _ = try control.call("start", args: ["id": .string("steady")])
        #expect(try stepEvent().step == 0)

        let afterNext = try #require(try control.call("next").session)
        #expect(afterNext.step == 1)
        #expect(afterNext.stepText == "Bravo")
        let bravo = try stepEvent()
        #expect(bravo.step == 1)
        #expect(bravo.offsetMs == 60_000)

        // Within the first 2 s of a step, prev goes back one step...
        #expect(try control.call("prev").session?.step == 0)
        let alpha = try stepEvent()
        #expect(alpha.step == 0)
        #expect(alpha.offsetMs == 0)
        // ...and on the first step it restarts it.
        #expect(try control.call("prev").session?.step == 0)
        #expect(try stepEvent().step == 0)

        #expect(try control.call("next").session?.step == 1)
        #expect(try stepEvent().step == 1)
        #expect(try control.call("next").session?.step == 2)
        #expect(try stepEvent().text == "Charlie")
        // next on the last step ends the session.
        let ended = try control.call("next")
        #expect(ended.state == .idle)
        let finished = try #require(try watcher.events { $0.event == .sessionFinished || $0.event == .sessionStopped }.last)
        #expect(finished.event == .sessionFinished)
        #expect(finished.session == "steady")

        _ = try control.call("start", args: ["id": .string("steady")])
        let stopped = try control.call("stop")
        #expect(stopped.state == .idle)
        #expect(stopped.session == nil)
        let stopEvent = try #require(try watcher.events { $0.event == .sessionStopped }.last)
        #expect(stopEvent.reason == "user")
        #expect(stopEvent.session == "steady")
        for command in ["stop", "next", "prev", "pause", "resume"] {
            #expect(try control.refusal(command).code == .noSession, "\(command) while idle")
        }
    }

    @Test func startWhileBusyIsRefusedUnlessReplacing() throws {
        let daemon = try DaemonProcess()
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try control.call("start", args: ["id": .string("steady")])

        let busy = try control.refusal("start", args: ["id": .string("quick")])
        #expect(busy.code == .busy)
        #expect(busy.message.contains("steady"))
        let cli = try run(limberBinary(), ["start", "quick", "--socket", daemon.socket])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("already running"), "\(cli.stderr)")
        #expect(try control.call("status").session?.id == "steady")

        let replaced = try control.call("start", args: ["id": .string("quick"), "replace": .bool(true)])
        #expect(replaced.session?.id == "quick")
        let events = try watcher.events { $0.event == .sessionStarted && $0.session == "quick" }
        let stopped = try #require(events.first { $0.event == .sessionStopped })
        #expect(stopped.session == "steady")
        #expect(stopped.reason == "replaced")

        let cliReplace = try run(limberBinary(), ["start", "steady", "--replace", "--socket", daemon.socket])
        #expect(cliReplace.status == 0, "\(cliReplace.stderr)")
        #expect(cliReplace.stdout.contains("started Steady (steady)"))
        #expect(try control.call("status").session?.id == "steady")
    }
}
