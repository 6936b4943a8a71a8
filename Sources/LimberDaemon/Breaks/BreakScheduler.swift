import Foundation
import LimberCore
import LimberProtocol
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Wires LimberCore's pure `BreakPolicy` to time: sleeps exactly until the policy's next
/// deadline (no polling), acts on what it decides (cue, event, hook, scheduled session),
/// and saves the state after every change.
public actor BreakScheduler: Service {
    /// Starts a guided session for a break or a schedule; throws when it cannot.
    public typealias SessionStarter = @Sendable (_ id: String?, _ durationMs: Int64, _ reason: String) async throws(ControlError) -> Void

    private var policy: BreakPolicy
    /// The config in force; the policy's has the program's offer added to its schedule.
    private var baseConfig: LimberConfig
    private let programs: (any ProgramSchedule)?
    private var programEntry: ScheduledSession?
    private var state: BreakState
    private let stateFile: StateFile<BreakState>
    private let output: any CueOutput
    private let events: EventHub
    private let hooks: HookRunner
    private let logger: Logger
    private let startSession: SessionStarter
    /// Called for every event before it is acted on, and before the state it leads to is saved.
    private let onBreakEvent: @Sendable (BreakEvent) -> Void
    private let epoch: ContinuousClock.Instant
    private let loop: DaemonLoop
    private var timer: Task<Void, Never>?
    private var deadline: Date?
    /// A session is running: idleness then says nothing (you follow it with eyes closed).
    private var sessionRunning = false

    public init(
        config: LimberConfig, stateFile: StateFile<BreakState>, output: any CueOutput, events: EventHub,
        hooks: HookRunner, logger: Logger, epoch: ContinuousClock.Instant, loop: DaemonLoop = .global,
        startSession: @escaping SessionStarter, programs: (any ProgramSchedule)? = nil,
        onBreakEvent: @escaping @Sendable (BreakEvent) -> Void = { _ in }
    ) {
        policy = BreakPolicy(config: config, calendar: Calendar.current)
        baseConfig = config
        self.programs = programs
        state = stateFile.load() ?? BreakState()
        self.stateFile = stateFile
        self.output = output
        self.events = events
        self.hooks = hooks
        self.logger = logger
        self.epoch = epoch
        self.loop = loop
        self.startSession = startSession
        self.onBreakEvent = onBreakEvent
    }

    // MARK: Service

    public func run() async {
        programEntry = programs?.offerEntry()
        policy = makePolicy()
        apply(policy.start(state, at: Self.now()))
        // Session events drive session hooks and count completed sessions as breaks.
        await events.subscribe().forEachUntilShutdown { event in
            await sessionEvent(event)
        }
        timer?.cancel()
        apply(policy.advance(state, to: Self.now()))
    }

    // MARK: Commands

    /// `limber break now`: takes the due (or next) break and starts what guides it.
    public func breakNow() async throws(ControlError) -> String {
        let (update, start) = policy.takeBreak(state, at: Self.now())
        apply(update)
        try await startSession(start.session, start.durationMs, "break")
        return start.session ?? "a \(DurationText.format(start.durationMs)) \(start.kind.rawValue) break"
    }

    public func snooze(durationMs: Int64?) throws(ControlError) {
        do {
            apply(try policy.snooze(state, durationMs: durationMs, at: Self.now()))
        } catch {
            throw ControlError(.wrongState, error.message)
        }
    }

    public func skip() throws(ControlError) {
        do {
            apply(try policy.skip(state, at: Self.now()))
        } catch {
            throw ControlError(.wrongState, error.message)
        }
    }

    public func breaksOff(_ request: BreakPolicy.BreaksOffRequest) throws(ControlError) {
        do {
            apply(try policy.breaksOff(state, request, at: Self.now()))
        } catch {
            throw ControlError(.badArgs, error.message)
        }
    }

    public func breaksOn() {
        apply(policy.breaksOn(state, at: Self.now()))
    }

    /// `source` says you went away or came back (`limber away`/`back`, logind).
    ///
    /// Idleness during a running session is ignored: a session is followed without input.
    public func presence(_ source: PresenceSource, away: Bool) {
        if away, source == .idle, sessionRunning {
            logger.debug("idle during a session: still present")
            return
        }
        apply(policy.presence(state, source: source, away: away, at: Self.now()))
    }

    /// Present, or away since when and why, for `status`.
    public func presenceReport() -> PresenceReport {
        guard let away = state.away else { return PresenceReport(state: "present") }
        return PresenceReport(state: "away", since: WallTime.iso8601(away.since), source: away.source.rawValue)
    }

    /// The config in force: the one read at start or by the last successful reload.
    public var config: LimberConfig { baseConfig }

    /// A new config (reload): the state carries over, the rules change at once. The program
    /// followed is read again too.
    public func update(config: LimberConfig) {
        baseConfig = config
        programEntry = programs?.offerEntry()
        policy = makePolicy()
        apply(policy.advance(state, to: Self.now()))
    }

    /// The program followed may have changed (`limber program start|stop`): its offer is
    /// planned again.
    public func programChanged() {
        let entry = programs?.offerEntry()
        guard entry != programEntry else { return }
        programEntry = entry
        policy = makePolicy()
        apply(policy.advance(state, to: Self.now()))
    }

    /// The config's rules, with the program's daily offer among the scheduled sessions.
    private func makePolicy() -> BreakPolicy {
        var config = baseConfig
        if let programEntry { config.schedule.append(programEntry) }
        return BreakPolicy(config: config, calendar: Calendar.current)
    }

    /// The next break, for `status`.
    public func nextBreak() -> NextBreak? {
        let now = Self.now()
        guard let next = upcoming(at: now) else { return nil }
        return NextBreak(
            kind: next.kind.rawValue, due: WallTime.iso8601(next.at),
            inMs: max(0, Int64((next.at.timeIntervalSince(now.wall) * 1000).rounded())))
    }

    /// "next break 14:35", for systemd's STATUS line.
    public func nextBreakSummary() -> String? {
        guard let next = upcoming(at: Self.now()) else { return nil }
        let parts = Calendar.current.dateComponents([.hour, .minute], from: next.at)
        return String(format: "next %@ break %02d:%02d", next.kind.rawValue, parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The next break as of `now`. The stored state is as of the last deadline or command;
    /// asked on it, the policy would count sitting time from `now` and miss what was sat since,
    /// reporting the break that much later than it comes. A copy brought to `now` is asked
    /// instead, without acting on it: the timer does that at its deadline.
    private func upcoming(at now: PolicyNow) -> (kind: BreakKind, at: Date)? {
        policy.nextBreak(policy.advance(state, to: now).state, after: now.wall)
    }

    // MARK: Time

    private func tick() {
        timer = nil
        apply(policy.advance(state, to: Self.now()))
    }

    /// Takes the policy's decision: acts on its events, saves, and sleeps until the next deadline.
    private func apply(_ update: BreakPolicy.Update) {
        state = update.state
        for event in update.events { act(on: event) }
        stateFile.save(state)
        reschedule()
    }

    private func reschedule() {
        let now = Date()
        let next = policy.nextDeadline(state, after: now)
        guard next != deadline || timer == nil else { return }
        timer?.cancel()
        timer = nil
        deadline = next
        guard let next else {
            logger.debug("no break deadline: sleeping until a command")
            return
        }
        let delay = max(0, next.timeIntervalSince(now))
        logger.debug("next break deadline", metadata: ["at": "\(WallTime.iso8601(next))", "in_s": "\(delay)"])
        let loop = self.loop
        timer = loop.task { [weak self] in
            do {
                try await loop.sleep(for: .nanoseconds(Int64(delay * 1e9)))
            } catch {
                return
            }
            await self?.tick()
        }
    }

    private func act(on event: BreakEvent) {
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
    private func offerProgram(_ program: String) {
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

    private func sessionEvent(_ event: ControlEvent) async {
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

    private func sessionEnvironment(_ event: ControlEvent) -> [String: String] {
        var environment = ["LIMBER_SESSION": event.session ?? ""]
        if let kind = event.sessionKind { environment["LIMBER_SESSION_KIND"] = kind.rawValue }
        if let name = event.name { environment["LIMBER_SESSION_NAME"] = name }
        environment["LIMBER_OUTCOME"] = event.event == .sessionFinished ? "completed" : nil
        return environment
    }

    private func runHook(_ hook: HookEvent, _ environment: [String: String]) {
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

    private static func clock(_ id: clockid_t) -> Duration {
        var spec = timespec()
        clock_gettime(id, &spec)
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }
}
