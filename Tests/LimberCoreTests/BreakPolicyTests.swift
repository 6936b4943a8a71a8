import Foundation
import LimberCore
import Testing

/// A manual clock: wall, CLOCK_MONOTONIC and CLOCK_BOOTTIME moved by hand.
struct ManualNow {
    var wall: Date
    var monotonic: Duration = .seconds(1_000)
    var boottime: Duration = .seconds(1_200)

    var now: PolicyNow { PolicyNow(wall: wall, monotonic: monotonic, boottime: boottime) }

    /// Time passes with the machine awake.
    mutating func pass(_ seconds: Int) {
        wall += TimeInterval(seconds)
        monotonic += .seconds(seconds)
        boottime += .seconds(seconds)
    }

    /// The machine sleeps: the monotonic clock stands still.
    mutating func suspend(_ seconds: Int) {
        wall += TimeInterval(seconds)
        boottime += .seconds(seconds)
    }
}

let berlin: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
    return calendar
}()

/// An instant written in UTC, `2026-11-30T08:00:00Z`.
func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

/// Local Berlin time on a date.
func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
    berlin.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
}

func policy(_ yaml: String = "") -> BreakPolicy {
    let result = ConfigParser.parse(text: yaml, path: "config.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    return BreakPolicy(config: result.config ?? LimberConfig(), calendar: berlin)
}

/// Events as `HH:MM:SS name kind` in Berlin time, for compact expectations.
func brief(_ events: [BreakEvent]) -> [String] {
    events.map { event in
        let parts = berlin.dateComponents([.hour, .minute, .second], from: event.at)
        let time = [parts.hour, parts.minute, parts.second].map { String(format: "%02d", $0 ?? 0) }.joined(separator: ":")
        var text = "\(time) \(event.name.rawValue)"
        if let kind = event.kind { text += " \(kind.rawValue)" }
        if event.name == .reminder { text += " #\(event.reminder)" }
        if let session = event.session, event.name == .scheduledSession { text += " \(session)" }
        return text
    }
}

/// Runs the policy like the daemon does: start, then sleep until each deadline up to `until`.
struct Harness {
    var policy: BreakPolicy
    var clock: ManualNow
    var state = BreakState()
    var events: [BreakEvent] = []

    init(_ policy: BreakPolicy, at wall: Date, state: BreakState = BreakState()) {
        self.policy = policy
        clock = ManualNow(wall: wall)
        self.state = state
        let update = policy.start(state, at: clock.now)
        self.state = update.state
        events = update.events
    }

    /// Sleeps from deadline to deadline until `until`, advancing at each; returns what happened.
    @discardableResult
    mutating func run(until: Date) -> [String] {
        var seen: [BreakEvent] = []
        while let deadline = policy.nextDeadline(state, after: clock.wall), deadline <= until {
            clock.pass(Int((deadline.timeIntervalSince(clock.wall)).rounded(.up)))
            apply(policy.advance(state, to: clock.now), into: &seen)
        }
        if clock.wall < until {
            clock.pass(Int(until.timeIntervalSince(clock.wall)))
            apply(policy.advance(state, to: clock.now), into: &seen)
        }
        return brief(seen)
    }

    mutating func apply(_ update: BreakPolicy.Update, into seen: inout [BreakEvent]) {
        state = update.state
        seen += update.events
        events += update.events
    }

    mutating func advance() -> [String] {
        var seen: [BreakEvent] = []
        apply(policy.advance(state, to: clock.now), into: &seen)
        return brief(seen)
    }

    var deadline: Date? { policy.nextDeadline(state, after: clock.wall) }
}

// Monday 30 November 2026 (winter time, UTC+1).
let monday8 = local(2026, 11, 30, 8, 0)

@Suite struct BreakPolicyTests {
    @Test func defaultBreakComesDueAfter45MinutesOfSitting() {
        var h = Harness(policy(), at: monday8)
        #expect(h.deadline == local(2026, 11, 30, 8, 45))
        h.clock.pass(45 * 60 - 1)
        #expect(h.advance() == [])
        #expect(h.deadline == local(2026, 11, 30, 8, 45))
        h.clock.pass(1)
        let update = h.policy.advance(h.state, to: h.clock.now)
        #expect(brief(update.events) == ["08:45:00 due movement"])
        #expect(update.events.first?.session == "desk-reset")
        #expect(update.events.first?.sittingMs == 2_700_000)
        #expect(update.events.first?.hookEvent == .breakDue)
        #expect(update.events.first?.cue == .break)
    }

    @Test func unansweredRemindersThenMissed() {
        var h = Harness(policy(), at: monday8)
        #expect(h.run(until: local(2026, 11, 30, 8, 45)) == ["08:45:00 due movement"])
        #expect(h.deadline == local(2026, 11, 30, 8, 46))
        #expect(h.run(until: local(2026, 11, 30, 9, 0)) == [
            "08:46:00 reminder movement #1", "08:47:00 reminder movement #2", "08:48:00 reminder movement #3",
            "08:49:00 missed movement",
        ])
        #expect(h.events.last?.outcome == .missed)
        #expect(h.events.last?.hookEvent == .breakMissed)
        // The sitting clock restarts at the miss.
        #expect(h.state.movement.pending == nil)
        #expect(h.deadline == local(2026, 11, 30, 9, 34))
    }

    @Test func aLateCallCatchesUpInOrder() {
        var h = Harness(policy("breaks: {reminders: 1}\n"), at: monday8)
        h.clock.pass(3600)
        #expect(h.advance() == ["08:45:00 due movement", "08:46:00 reminder movement #1", "08:47:00 missed movement"])
        #expect(h.state.movement.sittingMs == 13 * 60_000)
    }

    @Test func snoozeUpToTheLimitThenRefused() throws {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 45, 30))
        var update = try h.policy.snooze(h.state, at: h.clock.now)
        h.state = update.state
        #expect(brief(update.events) == ["08:45:30 snoozed movement"])
        #expect(update.events.first?.until == local(2026, 11, 30, 8, 50, 30))
        #expect(update.events.first?.snoozeCount == 1)
        #expect(h.deadline == local(2026, 11, 30, 8, 50, 30))
        #expect(h.run(until: local(2026, 11, 30, 8, 50, 30)) == ["08:50:30 due movement"])
        #expect(h.events.last?.snoozeCount == 1)
        update = try h.policy.snooze(h.state, durationMs: 120_000, at: h.clock.now)
        h.state = update.state
        #expect(h.deadline == local(2026, 11, 30, 8, 52, 30))
        #expect(h.run(until: local(2026, 11, 30, 8, 52, 30)) == ["08:52:30 due movement"])
        let error = #expect(throws: BreakActionError.self) { try h.policy.snooze(h.state, at: h.clock.now) }
        #expect(error?.code == .snoozeLimit)
        #expect(error?.message.contains("max-snoozes: 2") == true)
        // Refused: the state is unchanged, reminders carry on.
        #expect(h.deadline == local(2026, 11, 30, 8, 53, 30))
    }

    @Test func nothingToSnoozeOrSkip() {
        let h = Harness(policy(), at: monday8)
        #expect((#expect(throws: BreakActionError.self) { try h.policy.snooze(h.state, at: h.clock.now) })?.code == .nothingDue)
        #expect((#expect(throws: BreakActionError.self) { try h.policy.skip(h.state, at: h.clock.now) })?.code == .nothingDue)
    }

    @Test func skipRestartsTheClock() throws {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 46))
        let update = try h.policy.skip(h.state, at: h.clock.now)
        h.state = update.state
        #expect(brief(update.events) == ["08:46:00 skipped movement"])
        #expect(update.events.first?.outcome == .skipped)
        #expect(update.events.first?.hookEvent == .breakSkipped)
        #expect(h.deadline == local(2026, 11, 30, 9, 31))
    }

    @Test func takeBreakStartsTheLinkedSession() {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 45))
        let (update, start) = h.policy.takeBreak(h.state, at: h.clock.now)
        #expect(start == BreakPolicy.BreakStart(kind: .movement, session: "desk-reset", durationMs: 180_000))
        #expect(brief(update.events) == ["08:45:00 started movement"])
        #expect(update.events.first?.dueAt == local(2026, 11, 30, 8, 45))
        #expect(update.events.first?.hookEvent == .breakStarted)
        h.state = update.state
        #expect(h.deadline == local(2026, 11, 30, 9, 30))
        // Early, with nothing due: a movement break all the same.
        h.clock.pass(600)
        let early = h.policy.takeBreak(h.state, at: h.clock.now)
        #expect(early.start.kind == .movement)
        #expect(early.update.events.first?.dueAt == nil)
    }

    @Test func workingHourBoundaries() {
        let config = "working-hours:\n  - mon-fri 09:00-12:30,13:30-17:30\n"
        var h = Harness(policy(config), at: monday8)
        #expect(h.deadline == local(2026, 11, 30, 9, 45))
        #expect(h.run(until: local(2026, 11, 30, 9, 45)) == ["09:45:00 due movement"])
        // 30 minutes before lunch; lunch (1h, longer than a break) restarts the clock.
        var noon = Harness(policy(config), at: local(2026, 11, 30, 12, 0))
        #expect(noon.deadline == local(2026, 11, 30, 14, 15))
        #expect(noon.run(until: local(2026, 11, 30, 14, 15)) == ["14:15:00 due movement"])
        // With a natural break longer than lunch, sitting time carries over it.
        let long = "breaks: {natural-break: 2h}\n" + config
        var carry = Harness(policy(long), at: local(2026, 11, 30, 12, 0))
        #expect(carry.deadline == local(2026, 11, 30, 13, 45))
        carry.clock.pass(60 * 60)
        #expect(carry.advance() == [])
        #expect(carry.state.movement.sittingMs == 30 * 60_000)
        // Sitting at the very end of a window counts to its last instant, not past it.
        var end = Harness(policy(long), at: local(2026, 11, 30, 17, 0))
        end.clock.pass(30 * 60)
        _ = end.advance()
        #expect(end.state.movement.sittingMs == 30 * 60_000)
        end.clock.pass(10 * 60)
        _ = end.advance()
        #expect(end.state.movement.sittingMs == 30 * 60_000)
    }

    @Test func weekdayRules() {
        let config = "working-hours:\n  - mon-fri 09:00-17:30\n  - sat 10:00-11:00\n"
        // Friday 17:00: half an hour left; the next due is Saturday 10:45 after a fresh day.
        var friday = Harness(policy(config), at: local(2026, 12, 4, 17, 0))
        #expect(friday.deadline == local(2026, 12, 5, 10, 45))
        // Saturday after work: nothing on Sunday; Monday 09:45.
        let saturday = Harness(policy(config), at: local(2026, 12, 5, 12, 0))
        #expect(saturday.deadline == local(2026, 12, 7, 9, 45))
        #expect(friday.run(until: local(2026, 12, 5, 10, 45)) == ["00:00:00 dayStarted", "10:45:00 due movement"])
        let sunday = Harness(policy("working-hours:\n  - mon,wed,fri 09:00-10:00\n"), at: local(2026, 12, 6, 9, 0))
        #expect(sunday.deadline == local(2026, 12, 7, 9, 45))
    }

    @Test func springForwardCountsRealTime() {
        // Europe/Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST. 01:00-04:00 local is 2 real hours.
        var h = Harness(policy("breaks: {movement: {every: 90m}}\nworking-hours:\n  - sun 01:00-04:00\n"),
                        at: local(2026, 3, 29, 1, 0))
        #expect(h.clock.wall == utc("2026-03-29T00:00:00Z"))
        #expect(h.deadline == utc("2026-03-29T01:30:00Z"))
        #expect(h.run(until: utc("2026-03-29T01:30:00Z")) == ["03:30:00 due movement"])
        var whole = Harness(policy("breaks: {movement: {every: 5h}}\nworking-hours:\n  - sun 01:00-04:00\n"),
                            at: local(2026, 3, 29, 0, 30))
        whole.clock.pass(5 * 3600)
        _ = whole.advance()
        #expect(whole.state.movement.sittingMs == 2 * 3_600_000)
    }

    @Test func fallBackCountsRealTime() {
        // Europe/Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET. 01:00-04:00 local is 4 real hours.
        let config = "breaks: {movement: {every: 210m}}\nworking-hours:\n  - sun 01:00-04:00\n"
        var h = Harness(policy(config), at: local(2026, 10, 25, 1, 0))
        #expect(h.clock.wall == utc("2026-10-24T23:00:00Z"))
        #expect(h.deadline == utc("2026-10-25T02:30:00Z"))
        #expect(h.run(until: utc("2026-10-25T02:30:00Z")) == ["03:30:00 due movement"])
        var whole = Harness(policy("breaks: {movement: {every: 5h}}\nworking-hours:\n  - sun 01:00-04:00\n"),
                            at: local(2026, 10, 25, 0, 30))
        whole.clock.pass(6 * 3600)
        _ = whole.advance()
        #expect(whole.state.movement.sittingMs == 4 * 3_600_000)
    }

    /// `sessions-count: any`, the rule before 0.2: any session but heat is a movement break.
    @Test func underSessionsCountAnyEverySessionButHeatIsAMovementBreak() {
        var h = Harness(policy("breaks: {posture: {enabled: true, every: 40m}, sessions-count: any}\n"), at: monday8)
        h.clock.pass(30 * 60)
        var update = h.policy.sessionCompleted(h.state, kind: .heat, session: "heat-pack", durationMs: 600_000, at: h.clock.now)
        #expect(update.events.isEmpty)
        #expect(update.state.movement.sittingMs == 30 * 60_000)
        #expect(h.policy.nextDeadline(update.state, after: h.clock.wall) == local(2026, 11, 30, 8, 40))
        for kind in [SessionKind.exercise, .mindfulness, .posture] {
            update = h.policy.sessionCompleted(h.state, kind: kind, session: "box-breathing", durationMs: 10_000, at: h.clock.now)
            #expect(brief(update.events) == ["08:30:00 sessionCounted movement"])
            #expect(update.events.first?.outcome == .taken)
            #expect(update.state.movement.sittingMs == 0)
            #expect(update.state.posture.sittingMs == 0)
            #expect(h.policy.nextDeadline(update.state, after: h.clock.wall) == local(2026, 11, 30, 9, 10))
        }
    }

    @Test func postureAndMovementAreIndependent() throws {
        var h = Harness(policy("breaks: {posture: {enabled: true}}\n"), at: monday8)
        #expect(h.run(until: local(2026, 11, 30, 8, 20)) == ["08:20:00 due posture"])
        #expect(h.events.last?.session == nil)
        let skipped = try h.policy.skip(h.state, at: h.clock.now)
        h.state = skipped.state
        #expect(brief(skipped.events) == ["08:20:00 skipped posture"])
        #expect(h.state.movement.sittingMs == 20 * 60_000)
        #expect(h.run(until: local(2026, 11, 30, 8, 40)) == ["08:40:00 due posture"])
        // A posture break taken does not reset the movement clock.
        let (taken, start) = h.policy.takeBreak(h.state, at: h.clock.now)
        h.state = taken.state
        #expect(start == BreakPolicy.BreakStart(kind: .posture, session: nil, durationMs: 20_000))
        #expect(h.state.movement.sittingMs == 40 * 60_000)
        #expect(h.run(until: local(2026, 11, 30, 8, 45)) == ["08:45:00 due movement"])
        // A pending movement break does not hold posture back.
        #expect(h.run(until: local(2026, 11, 30, 9, 0)) == [
            "08:46:00 reminder movement #1", "08:47:00 reminder movement #2", "08:48:00 reminder movement #3",
            "08:49:00 missed movement", "09:00:00 due posture",
        ])
        // Missing movement did not reset posture.
        #expect(h.state.posture.sittingMs == 20 * 60_000)
    }

    @Test func suspendGapIsANaturalBreak() {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 30))
        h.clock.suspend(10 * 60)
        let events = h.policy.advance(h.state, to: h.clock.now).events
        #expect(brief(events) == ["08:40:00 natural movement"])
        #expect(events.first?.gapMs == 600_000)
        #expect(events.map(\.sittingMs) == [1_800_000])
        _ = h.advance()
        #expect(h.state.movement.sittingMs == 0)
        #expect(h.deadline == local(2026, 11, 30, 9, 25))
    }

    @Test func shortSuspendStillCounts() {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 30))
        h.clock.suspend(2 * 60)
        #expect(h.advance() == [])
        #expect(h.state.movement.sittingMs == 32 * 60_000)
    }

    @Test func daemonDownGapIsANaturalBreak() {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 30))
        var clock = h.clock
        clock.pass(10 * 60)
        let restarted = h.policy.start(h.state, at: clock.now)
        #expect(brief(restarted.events) == ["08:40:00 natural movement"])
        #expect(restarted.state.movement.sittingMs == 0)
        // Down for a minute: the schedule resumes where it was.
        clock = h.clock
        clock.pass(60)
        let resumed = h.policy.start(h.state, at: clock.now)
        #expect(resumed.events.isEmpty)
        #expect(resumed.state.movement.sittingMs == 31 * 60_000)
        #expect(h.policy.nextDeadline(resumed.state, after: clock.wall) == local(2026, 11, 30, 8, 45))
        // A reboot (monotonic clock back near zero) is a daemon-down gap too.
        var reboot = h.clock
        reboot.pass(20 * 60)
        reboot.monotonic = .seconds(30)
        reboot.boottime = .seconds(30)
        #expect(brief(h.policy.advance(h.state, to: reboot.now).events) == ["08:50:00 natural movement"])
    }

    @Test func overnightGapStartsAFreshDay() throws {
        var h = Harness(policy("schedule:\n  - daily 08:10 stretch\n"), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 45))
        #expect(h.state.firedToday == ["08:10 stretch"])
        #expect(h.state.movement.pending != nil)
        var clock = h.clock
        clock.pass(23 * 3600)
        let next = h.policy.start(h.state, at: clock.now)
        #expect(brief(next.events) == ["00:00:00 dayStarted"])
        #expect(next.state.day == "2026-12-01")
        #expect(next.state.movement.pending == nil)
        #expect(next.state.movement.sittingMs == 0)
        #expect(next.state.firedToday.isEmpty)
    }

    @Test func breaksOffUntilALocalTime() throws {
        var h = Harness(policy(), at: local(2026, 11, 30, 12, 30))
        h.run(until: local(2026, 11, 30, 13, 15))
        #expect(h.state.movement.pending != nil)
        let off = try h.policy.breaksOff(h.state, .untilLocalTime(LocalTime(hour: 14, minute: 0)), at: h.clock.now)
        h.state = off.state
        #expect(brief(off.events) == ["13:15:00 breaksOff"])
        #expect(off.events.first?.until == local(2026, 11, 30, 14, 0))
        #expect(h.state.movement.pending == nil)
        #expect(h.deadline == local(2026, 11, 30, 14, 0))
        #expect(h.run(until: local(2026, 11, 30, 14, 0)) == ["14:00:00 breaksOn"])
        // The time off was not sitting; being off longer than a break restarts the clock.
        #expect(h.deadline == local(2026, 11, 30, 14, 45))
        #expect(h.run(until: local(2026, 11, 30, 14, 45)) == ["14:45:00 due movement"])
        // An hour from now, and a time already past today (tomorrow's 09:00).
        let forAnHour = try h.policy.breaksOff(h.state, .forDuration(3_600_000), at: h.clock.now)
        #expect(forAnHour.state.breaksOff == .until(local(2026, 11, 30, 15, 45)))
        let morning = try h.policy.breaksOff(h.state, .untilLocalTime(LocalTime(hour: 9, minute: 0)), at: h.clock.now)
        #expect(morning.state.breaksOff == .until(local(2026, 12, 1, 9, 0)))
        #expect((#expect(throws: BreakActionError.self) {
            try h.policy.breaksOff(h.state, .until(local(2026, 11, 30, 14, 0)), at: h.clock.now)
        })?.code == .timeInPast)
    }

    @Test func breaksOffIndefinitelyAndOn() throws {
        var h = Harness(policy(), at: monday8)
        let off = try h.policy.breaksOff(h.state, .indefinitely, at: h.clock.now)
        h.state = off.state
        #expect(h.deadline == nil)
        #expect(h.policy.nextBreak(h.state, after: h.clock.wall) == nil)
        h.clock.pass(3 * 3600)
        #expect(h.advance() == [])
        #expect(h.state.movement.sittingMs == 0)
        let on = h.policy.breaksOn(h.state, at: h.clock.now)
        #expect(brief(on.events) == ["11:00:00 breaksOn"])
        h.state = on.state
        #expect(h.deadline == local(2026, 11, 30, 11, 45))
        #expect(h.policy.nextBreak(h.state, after: h.clock.wall)?.at == local(2026, 11, 30, 11, 45))
        #expect(h.policy.breaksOn(h.state, at: h.clock.now).events.isEmpty)
        // With a schedule, scheduled sessions still fire while breaks are off.
        var scheduled = Harness(policy("schedule:\n  - daily 18:00 body-scan\n"), at: monday8)
        scheduled.state = try scheduled.policy.breaksOff(scheduled.state, .indefinitely, at: scheduled.clock.now).state
        #expect(scheduled.deadline == local(2026, 11, 30, 18, 0))
    }

    @Test func scheduledSessionFiresOnce() {
        let config = "working-hours:\n  - mon-fri 09:00-17:00\nschedule:\n  - mon,wed,fri 07:30 morning-mobility\n"
        var h = Harness(policy(config), at: local(2026, 11, 30, 7, 0))
        #expect(h.deadline == local(2026, 11, 30, 7, 30))
        #expect(h.run(until: local(2026, 11, 30, 7, 35)) == ["07:30:00 scheduledSession morning-mobility"])
        // A restart later the same morning does not fire it again.
        var clock = h.clock
        clock.pass(60)
        let restarted = h.policy.start(h.state, at: clock.now)
        #expect(restarted.events.isEmpty)
        #expect(h.policy.nextDeadline(restarted.state, after: clock.wall) == local(2026, 11, 30, 9, 45))
        // Nor if the wall clock is set back before 07:30.
        var back = h.clock
        back.wall = local(2026, 11, 30, 7, 20)
        let stepped = h.policy.advance(h.state, to: back.now)
        #expect(h.policy.nextDeadline(stepped.state, after: back.wall) == local(2026, 11, 30, 9, 45))
        // Tuesday: nothing; Wednesday: again.
        #expect(h.run(until: local(2026, 12, 2, 7, 30)).filter { $0.contains("scheduled") }
            == ["07:30:00 scheduledSession morning-mobility"])
        #expect(h.events.last { $0.name == .scheduledSession }?.at == local(2026, 12, 2, 7, 30))
    }

    @Test func scheduledSessionMissedWhileDownIsNotFiredLate() {
        let config = "schedule:\n  - mon,wed,fri 07:30 morning-mobility\n"
        let h = Harness(policy(config), at: local(2026, 11, 30, 7, 0))
        var clock = h.clock
        clock.pass(45 * 60)
        let restarted = h.policy.start(h.state, at: clock.now)
        #expect(brief(restarted.events) == ["07:45:00 natural movement"])
        #expect(h.policy.nextDeadline(restarted.state, after: clock.wall) == local(2026, 11, 30, 8, 30))
        // Started for the first time after 07:30: not fired either.
        let fresh = Harness(policy(config), at: local(2026, 11, 30, 7, 31))
        #expect(fresh.events.isEmpty)
        #expect(fresh.deadline == local(2026, 11, 30, 8, 16))
    }

    @Test func stateSurvivesJSON() throws {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 46))
        h.state = try h.policy.breaksOff(h.state, .forDuration(60_000), at: h.clock.now).state
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        let decoded = try decoder.decode(BreakState.self, from: encoder.encode(h.state))
        #expect(decoded == h.state)
    }
}

@Suite struct BreakPolicyEdgeTests {
    @Test func nothingEnabledAndNoScheduleMeansNoDeadline() {
        let h = Harness(policy("breaks: {movement: {enabled: false}}\n"), at: monday8)
        #expect(h.deadline == nil)
        #expect(h.policy.nextBreak(h.state, after: h.clock.wall) == nil)
    }

    @Test func wallClockSetForwardIsNotSitting() {
        var h = Harness(policy("schedule:\n  - daily 09:00 stretch\n"), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 10))
        h.clock.pass(60)
        h.clock.wall += 2 * 3600
        #expect(h.advance() == [])
        #expect(h.state.movement.sittingMs == 11 * 60_000)
        #expect(h.deadline == local(2026, 11, 30, 10, 45))
    }

    @Test func zeroRemindersMissesAfterOneInterval() {
        var h = Harness(policy("breaks: {reminders: 0, reminder-interval: 30s}\n"), at: monday8)
        #expect(h.run(until: local(2026, 11, 30, 8, 50)) == ["08:45:00 due movement", "08:45:30 missed movement"])
    }

    @Test func naturalBreakDefaultsToTheMovementDuration() {
        var h = Harness(policy("breaks: {movement: {duration: 10m}}\n"), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 30))
        h.clock.suspend(9 * 60)
        #expect(h.advance() == [])
        h.clock.suspend(10 * 60)
        #expect(h.advance() == ["08:49:00 natural movement"])
    }

    @Test func subSecondIntervalsForEndToEndTests() {
        let yaml = "breaks: {movement: {every: 800ms, duration: 200ms}, reminder-interval: 300ms, reminders: 1}\n"
        let h = Harness(policy(yaml), at: monday8)
        // Deadlines are whole milliseconds; compare at that precision.
        #expect(h.deadline.map { $0.timeIntervalSince(monday8) * 1000 }.map { $0.rounded() } == 800)
        var state = h.state
        var clock = h.clock
        clock.wall += 1.2
        clock.monotonic += .milliseconds(1_200)
        clock.boottime += .milliseconds(1_200)
        let update = h.policy.advance(state, to: clock.now)
        state = update.state
        #expect(update.events.map(\.name) == [.due, .reminder])
        #expect(h.policy.nextDeadline(state, after: clock.wall).map { ($0.timeIntervalSince(monday8) * 1000).rounded() } == 1_400)
    }
}
