import Foundation
import LimberCore
import LimberProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What the scheduler does with the policy's decisions: cues, events, hooks, sessions and
/// program offers; and what it does with the session runner's events.
extension BreakScheduler {
    func act(on event: BreakEvent) {
        // History first: a settled break is on disk before its event or reply reports it.
        onBreakEvent(event)
        logger.info(
            "break \(event.name.rawValue)",
            metadata: [
                "kind": "\(event.kind?.rawValue ?? "-")", "outcome": "\(event.outcome?.rawValue ?? "-")",
                "session": "\(event.session ?? "-")",
            ])
        if event.name == .scheduledSession, let program = event.program {
            offerProgram(program)
            return
        }
        if let cue = event.cue {
            output.play(cue)
            // A due break (and each reminder) says what to do, after its cue.
            if cue == .break { output.announce(["Time to move"] + (event.session.map { [SessionName.spoken($0)] } ?? [])) }
        }
        if event.name == .away || event.name == .back {
            events.publish(
                ControlEvent(
                    event: .presenceChanged, mono: epoch.duration(to: .now).inSeconds, wall: WallTime.iso8601(event.at),
                    durationMs: event.gapMs, presence: event.name == .away ? "away" : "present",
                    source: event.source?.rawValue, since: event.name == .away ? WallTime.iso8601(event.at) : nil))
        } else if let kind = Self.eventKind(event.name) {
            events.publish(
                ControlEvent(
                    event: kind, mono: epoch.duration(to: .now).inSeconds, wall: WallTime.iso8601(event.at),
                    session: event.session, reason: event.outcome?.rawValue, breakKind: event.kind?.rawValue,
                    dueWall: event.dueAt.map { WallTime.iso8601($0) }, until: event.until.map { WallTime.iso8601($0) },
                    snoozes: event.snoozeCount, reminder: event.reminder > 0 ? event.reminder : nil,
                    source: event.source?.rawValue))
        }
        if let hook = event.hookEvent {
            var environment = [
                "LIMBER_BREAK_KIND": event.kind?.rawValue ?? "",
                "LIMBER_SNOOZES": "\(event.snoozeCount)",
                "LIMBER_SITTING_MS": "\(event.sittingMs)",
            ]
            if let due = event.dueAt { environment["LIMBER_DUE"] = WallTime.iso8601(due) }
            if let outcome = event.outcome { environment["LIMBER_OUTCOME"] = outcome.rawValue }
            if let session = event.session { environment["LIMBER_SESSION"] = session }
            runHook(hook, environment)
        }
        if event.name == .scheduledSession, let session = event.session {
            let startSession = self.startSession
            let logger = self.logger
            loop.task {
                do {
                    try await startSession(session, 0, "schedule")
                } catch {
                    logger.warning("scheduled session not started", metadata: ["session": "\(session)", "reason": "\(error)"])
                }
            }
        }
    }

    /// A program's time: the `break` cue, the program's name and today's first session
    /// spoken, a `program-due` event and hook. Nothing starts by itself: the user starts it
    /// (`limber today --start`, `limber start ID`, or the hook).
    func offerProgram(_ program: String) {
        guard let offer = programs?.offer(), offer.program == program else {
            logger.info("program time: nothing left to do today", metadata: ["program": "\(program)"])
            return
        }
        logger.info("program time: offering today's sessions", metadata: [
            "program": "\(program)", "sessions": "\(offer.sessions.joined(separator: " "))",
        ])
        // Away (locked, idle, asleep): the event and hook still tell scripts, nothing sounds.
        if state.away == nil {
            output.play(.break)
            output.announce([offer.name, "Time for \(SessionName.spoken(offer.sessions[0]))"])
        }
        events.publish(
            ControlEvent(
                event: .programDue, mono: epoch.duration(to: .now).inSeconds, wall: WallTime.iso8601(Date()),
                session: offer.sessions[0], name: offer.name, program: offer.program, sessions: offer.sessions))
        runHook(.programDue, [
            "LIMBER_PROGRAM": offer.program, "LIMBER_PROGRAM_NAME": offer.name, "LIMBER_SESSION": offer.sessions[0],
            "LIMBER_SESSIONS": offer.sessions.joined(separator: " "),
        ])
    }

    func sessionEvent(_ event: ControlEvent) async {
        switch event.event {
        case .sessionStarted:
            sessionRunning = true
            runHook(.sessionStarted, sessionEnvironment(event))
        case .sessionFinished:
            sessionRunning = false
            runHook(.sessionFinished, sessionEnvironment(event))
            if let kind = event.sessionKind, let session = event.session {
                apply(policy.sessionCompleted(state, kind: kind, session: session, durationMs: event.offsetMs ?? 0, at: Self.now()))
            }
        case .sessionStopped:
            sessionRunning = false
            var environment = sessionEnvironment(event)
            environment["LIMBER_OUTCOME"] = "stopped"
            runHook(.sessionFinished, environment)
        default:
            break
        }
    }

    func sessionEnvironment(_ event: ControlEvent) -> [String: String] {
        var environment = ["LIMBER_SESSION": event.session ?? ""]
        if let kind = event.sessionKind { environment["LIMBER_SESSION_KIND"] = kind.rawValue }
        if let name = event.name { environment["LIMBER_SESSION_NAME"] = name }
        environment["LIMBER_OUTCOME"] = event.event == .sessionFinished ? "completed" : nil
        return environment
    }

    func runHook(_ hook: HookEvent, _ environment: [String: String]) {
        guard let argv = baseConfig.hooks[hook], !argv.isEmpty else { return }
        hooks.run(hook, argv: argv, environment: environment)
    }

    // MARK: Helpers

    static func eventKind(_ name: BreakEvent.Name) -> ControlEvent.Kind? {
        switch name {
        case .due: .breakDue
        case .reminder: .breakReminder
        case .missed: .breakMissed
        case .snoozed: .breakSnoozed
        case .skipped: .breakSkipped
        case .started: .breakStarted
        case .sessionCounted: .breakCounted
        case .natural: .breakNatural
        case .breaksOff: .breaksOff
        case .breaksOn: .breaksOn
        case .scheduledSession: .scheduledSession
        case .dayStarted, .away, .back: nil
        }
    }

    /// Now on the three clocks the policy needs.
    static func now() -> PolicyNow {
        PolicyNow(wall: Date(), monotonic: clock(CLOCK_MONOTONIC), boottime: clock(CLOCK_BOOTTIME))
    }

    static func clock(_ id: clockid_t) -> Duration {
        var spec = timespec()
        clock_gettime(id, &spec)
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }
}
