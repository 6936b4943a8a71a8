import Foundation
import LimberCore
import LimberProtocol
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Wires LimberCore's pure `BreakPolicy` to time: sleeps exactly until the policy's next
/// deadline (no polling), acts on what it decides (cue, event, hook, scheduled session),
/// and saves the state after every change.
public actor BreakScheduler: Service {
    /// Starts a guided session for a break or a schedule; throws when it cannot.
    public typealias SessionStarter = @Sendable (_ id: String?, _ durationMs: Int64, _ reason: String) async throws(ControlError) -> Void

    var policy: BreakPolicy {
        didSet { publishOutlook() }
    }
    /// The config in force; the policy's has the program's offer added to its schedule.
    var baseConfig: LimberConfig
    let programs: (any ProgramSchedule)?
    var programEntry: ScheduledSession?
    var state: BreakState {
        didSet { publishOutlook() }
    }
    /// The policy and state as of their last change, for ``nextBreakNow()`` and
    /// ``presenceNow()``, which answer from any thread without waiting for the actor.
    let outlook: Mutex<BreakOutlook>
    let stateFile: StateFile<BreakState>
    let output: any CueOutput
    let events: EventHub
    let hooks: HookRunner
    let logger: Logger
    let startSession: SessionStarter
    /// Called for every event before it is acted on, and before the state it leads to is saved.
    let onBreakEvent: @Sendable (BreakEvent) -> Void
    let epoch: ContinuousClock.Instant
    let loop: DaemonLoop
    var timer: Task<Void, Never>?
    var deadline: Date?
    /// A session is running: idleness then says nothing (you follow it with eyes closed).
    var sessionRunning = false

    public init(
        config: LimberConfig, stateFile: StateFile<BreakState>, output: any CueOutput, events: EventHub,
        hooks: HookRunner, logger: Logger, epoch: ContinuousClock.Instant, loop: DaemonLoop = .global,
        startSession: @escaping SessionStarter, programs: (any ProgramSchedule)? = nil,
        onBreakEvent: @escaping @Sendable (BreakEvent) -> Void = { _ in }
    ) {
        let policy = BreakPolicy(config: config, calendar: Calendar.current)
        let state = stateFile.load() ?? BreakState()
        self.policy = policy
        self.state = state
        outlook = Mutex(BreakOutlook(policy: policy, state: state))
        baseConfig = config
        self.programs = programs
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

    /// Present, or away since when and why, for `status`: from any thread, as of the
    /// scheduler's last change.
    public nonisolated func presenceNow() -> PresenceReport {
        outlook.withLock { $0.presence }
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
    func makePolicy() -> BreakPolicy {
        var config = baseConfig
        if let programEntry { config.schedule.append(programEntry) }
        return BreakPolicy(config: config, calendar: Calendar.current)
    }

    /// The next break, for `status`: from any thread, as of the scheduler's last change
    /// brought to now.
    public nonisolated func nextBreakNow() -> NextBreak? {
        let now = Self.now()
        return outlook.withLock { $0.nextBreak(at: now) }
    }

    /// "next break 14:35", for systemd's STATUS line.
    public func nextBreakSummary() -> String? {
        let now = Self.now()
        guard let next = outlook.withLock({ $0.upcoming(at: now) }) else { return nil }
        let parts = Calendar.current.dateComponents([.hour, .minute], from: next.at)
        return String(format: "next %@ break %02d:%02d", next.kind.rawValue, parts.hour ?? 0, parts.minute ?? 0)
    }

    private func publishOutlook() {
        let fresh = BreakOutlook(policy: policy, state: state)
        outlook.withLock { $0 = fresh }
    }

    // MARK: Time

    func tick() {
        timer = nil
        apply(policy.advance(state, to: Self.now()))
    }

    /// Takes the policy's decision: acts on its events, saves, and sleeps until the next deadline.
    func apply(_ update: BreakPolicy.Update) {
        state = update.state
        for event in update.events { act(on: event) }
        stateFile.save(state)
        reschedule()
    }

    func reschedule() {
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
}
