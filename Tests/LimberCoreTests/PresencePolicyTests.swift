import Foundation
import LimberCore
import Testing

extension Harness {
    /// `source` says away or back now; returns what happened.
    @discardableResult
    mutating func presence(_ source: PresenceSource, away: Bool) -> [String] {
        var seen: [BreakEvent] = []
        apply(policy.presence(state, source: source, away: away, at: clock.now), into: &seen)
        return brief(seen)
    }

    /// A session of `kind` lasting `seconds` ended now.
    mutating func session(_ kind: SessionKind, seconds: Int) -> [String] {
        var seen: [BreakEvent] = []
        apply(policy.sessionCompleted(state, kind: kind, session: "s", durationMs: Int64(seconds) * 1000, at: clock.now), into: &seen)
        return brief(seen)
    }
}

/// Away and back (lock, idle, suspend, `limber away`), and which sessions count as a break.
@Suite struct PresencePolicyTests {
    @Test func awayStopsTheSittingClockAndAShortAbsenceResumesIt() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(10 * 60)
        #expect(h.presence(.manual, away: true) == ["08:10:00 away"])
        #expect(h.state.away?.source == .manual)
        // Nothing to wake for while away: no break can come due.
        #expect(h.deadline == nil)
        h.clock.pass(2 * 60)
        #expect(h.advance() == [])
        #expect(h.state.movement.sittingMs == 10 * 60_000)
        #expect(h.presence(.manual, away: false) == ["08:12:00 back"])
        #expect(h.events.last?.gapMs == 120_000)
        // 35 more minutes of sitting from 08:12.
        #expect(h.deadline == local(2026, 11, 30, 8, 47))
    }

    @Test func awayForABreakLengthIsANaturalBreakWithItsSource() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(30 * 60)
        h.presence(.locked, away: true)
        h.clock.pass(3 * 60)
        #expect(h.presence(.locked, away: false) == ["08:33:00 back", "08:33:00 natural movement"])
        let natural = h.events.last
        #expect(natural?.source == .locked)
        #expect(natural?.outcome == .natural)
        #expect(natural?.gapMs == 180_000)
        #expect(h.state.movement.sittingMs == 0)
        #expect(h.deadline == local(2026, 11, 30, 9, 18))
    }

    @Test func noReminderWhileAwayAndAShortAbsenceResumesThem() {
        var h = Harness(policy("breaks: {reminder-interval: 1m, reminders: 2}\n"), at: monday8)
        #expect(h.run(until: local(2026, 11, 30, 8, 45, 30)) == ["08:45:00 due movement"])
        h.presence(.idle, away: true)
        // Two minutes away: the reminder due at 08:46 does not sound, nor is the break missed.
        #expect(h.run(until: local(2026, 11, 30, 8, 47, 30)) == [])
        #expect(h.presence(.idle, away: false) == ["08:47:30 back"])
        // The reminder was 30 s off when the user left; it is 30 s off now.
        #expect(h.run(until: local(2026, 11, 30, 8, 49)) == ["08:48:00 reminder movement #1", "08:49:00 reminder movement #2"])
    }

    @Test func aBreakDueWhileAwayIsSettledAsNaturalWhenTheAbsenceIsLongEnough() {
        var h = Harness(policy(), at: monday8)
        h.run(until: local(2026, 11, 30, 8, 45))
        let due = h.state.movement.pending?.dueAt
        #expect(due == local(2026, 11, 30, 8, 45))
        h.presence(.locked, away: true)
        #expect(h.run(until: local(2026, 11, 30, 8, 50)) == [])
        #expect(h.presence(.locked, away: false) == ["08:50:00 back", "08:50:00 natural movement"])
        #expect(h.events.last?.dueAt == due)
        #expect(h.state.movement.pending == nil)
    }

    @Test func theUserIsBackWhenTheLastSourceSaysSo() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(60)
        h.presence(.locked, away: true)
        h.clock.pass(60)
        #expect(h.presence(.idle, away: true) == [])
        #expect(h.state.away?.sources == [.locked, .idle])
        #expect(h.presence(.locked, away: false) == [])
        #expect(h.state.away != nil)
        // A source that never said away changes nothing.
        #expect(h.presence(.suspend, away: false) == [])
        h.clock.pass(4 * 60)
        #expect(h.presence(.idle, away: false) == ["08:06:00 back", "08:06:00 natural movement"])
        // The absence is reported as what began it.
        #expect(h.events.last?.source == .locked)
    }

    @Test func aSuspendDuringAnAbsenceIsOneNaturalBreak() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(20 * 60)
        h.presence(.suspend, away: true)
        h.clock.suspend(10 * 60)
        #expect(h.presence(.suspend, away: false) == ["08:30:00 natural movement", "08:30:00 back"])
        #expect(h.events.filter { $0.name == .natural }.map(\.source) == [.suspend])
    }

    @Test func aRestartEndsEveryAbsenceButLimberAway() {
        var locked = Harness(policy(), at: monday8)
        locked.presence(.locked, away: true)
        locked.clock.pass(60)
        let restarted = locked.policy.start(locked.state, at: locked.clock.now)
        #expect(restarted.state.away == nil)
        #expect(brief(restarted.events) == ["08:01:00 back"])

        var manual = Harness(policy(), at: monday8)
        manual.presence(.manual, away: true)
        manual.clock.pass(60)
        #expect(manual.policy.start(manual.state, at: manual.clock.now).state.away?.sources == [.manual])
    }

    // MARK: What counts as a break

    @Test func aShortExerciseSessionIsNotAMovementBreak() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(30 * 60)
        #expect(h.session(.exercise, seconds: 10) == [])
        #expect(h.state.movement.sittingMs == 30 * 60_000)
        #expect(h.session(.exercise, seconds: 180) == ["08:30:00 sessionCounted movement"])
        #expect(h.state.movement.sittingMs == 0)
    }

    @Test func mindfulnessAndHeatDoNotResetSitting() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(30 * 60)
        #expect(h.session(.mindfulness, seconds: 20 * 60) == [])
        #expect(h.session(.heat, seconds: 20 * 60) == [])
        #expect(h.state.movement.sittingMs == 30 * 60_000)
    }

    @Test func aSessionCountsTogetherWithTimeAway() {
        var h = Harness(policy(), at: monday8)
        h.clock.pass(30 * 60)
        h.presence(.locked, away: true)
        h.clock.pass(60)
        h.presence(.locked, away: false)
        // One minute away and two of exercise cover the three-minute break.
        #expect(h.session(.exercise, seconds: 119) == [])
        #expect(h.session(.exercise, seconds: 120) == ["08:31:00 sessionCounted movement"])
        #expect(h.state.movement.awayMs == nil)
    }

    @Test func aPostureSessionShorterThanMovementCountsForPostureOnly() {
        var h = Harness(policy("breaks: {posture: {enabled: true}}\n"), at: monday8)
        h.clock.pass(15 * 60)
        #expect(h.session(.posture, seconds: 30) == ["08:15:00 sessionCounted posture"])
        #expect(h.state.posture.sittingMs == 0)
        #expect(h.state.movement.sittingMs == 15 * 60_000)
    }

    @Test func sessionsCountIsConfigurable() {
        var any = Harness(policy("breaks: {sessions-count: any}\n"), at: monday8)
        any.clock.pass(10 * 60)
        #expect(any.session(.mindfulness, seconds: 10) == ["08:10:00 sessionCounted movement"])
        #expect(any.session(.heat, seconds: 600) == [])
        var never = Harness(policy("breaks: {sessions-count: never}\n"), at: monday8)
        never.clock.pass(10 * 60)
        #expect(never.session(.exercise, seconds: 600) == [])
        let refused = ConfigParser.parse(text: "breaks: {sessions-count: sometimes}\n", path: "c.yaml")
        #expect(refused.config == nil)
        #expect(refused.diagnostics.first?.message.contains("`sessions-count` is one of long-enough, any, never, not 'sometimes'") == true)
    }
}
