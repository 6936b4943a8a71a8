import Foundation
import LimberCore
import Testing

/// A program's daily offer rides on the scheduled-session mechanism: an entry with `program`
/// set, added by the daemon beside the config's `schedule:`.
@Suite struct ProgramOfferScheduleTests {
    static let offer = ScheduledSession(
        days: Set(Weekday.allCases), time: LocalTime(hour: 7, minute: 30), session: "morning-mobility", program: "back-on-track")

    func policyWithOffer(_ yaml: String) -> BreakPolicy {
        var config = policy(yaml).config
        config.schedule.append(Self.offer)
        return BreakPolicy(config: config, calendar: berlin)
    }

    @Test func theOfferFiresDailyAtTheProgramsTimeCarryingTheProgram() {
        var h = Harness(policyWithOffer(""), at: local(2026, 11, 30, 7, 0))
        #expect(h.deadline == local(2026, 11, 30, 7, 30))
        #expect(h.run(until: local(2026, 12, 1, 7, 31)).filter { $0.contains("scheduled") }
            == ["07:30:00 scheduledSession morning-mobility", "07:30:00 scheduledSession morning-mobility"])
        let offers = h.events.filter { $0.name == .scheduledSession }
        #expect(offers.map(\.program) == ["back-on-track", "back-on-track"])
        #expect(offers.map(\.at) == [local(2026, 11, 30, 7, 30), local(2026, 12, 1, 7, 30)])
    }

    @Test func aScheduleEntryAtTheSameTimeAndSessionStillFiresBesideTheOffer() {
        var h = Harness(policyWithOffer("schedule:\n  - daily 07:30 morning-mobility\n"), at: local(2026, 11, 30, 7, 0))
        h.run(until: local(2026, 11, 30, 7, 31))
        let fired = h.events.filter { $0.name == .scheduledSession }
        #expect(fired.count == 2, "\(fired)")
        #expect(Set(fired.map(\.program)) == [nil, "back-on-track"])
        // Fired once each: a restart the same morning fires neither again.
        var clock = h.clock
        clock.pass(60)
        #expect(h.policy.start(h.state, at: clock.now).events.filter { $0.name == .scheduledSession }.isEmpty)
    }

    @Test func anOfferWhoseTimeHasPassedTodayWaitsForTomorrow() {
        var h = Harness(policyWithOffer(""), at: local(2026, 11, 30, 9, 0))
        h.run(until: local(2026, 12, 1, 7, 31))
        #expect(h.events.filter { $0.name == .scheduledSession }.map(\.at) == [local(2026, 12, 1, 7, 30)])
    }
}
