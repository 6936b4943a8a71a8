import Foundation
import LimberCore
import Testing

/// The wall clock set an hour forward or back while a movement break is counting (the
/// issue's hostile case, through the policy's wall/monotonic inputs: the real system clock
/// of a shared machine is not changed by a test). Only real elapsed time counts as sitting.
@Suite struct ClockJumpTests {
    /// 30 minutes sat since 08:00, then the wall clock moves by `jump` seconds at once.
    static func harnessAfterJump(_ jump: Int) -> Harness {
        var h = Harness(policy(), at: monday8)
        #expect(h.run(until: local(2026, 11, 30, 8, 30)) == [])
        h.clock.pass(60)
        h.clock.wall += TimeInterval(jump)
        #expect(h.advance() == [])
        return h
    }

    @Test func anHourForwardNeitherCountsAsSittingNorAsABreak() {
        var h = Self.harnessAfterJump(3600)
        #expect(h.state.movement.sittingMs == 31 * 60_000)
        // 14 more minutes of real sitting, on the new wall clock.
        #expect(h.deadline == local(2026, 11, 30, 9, 45))
        #expect(h.run(until: local(2026, 11, 30, 9, 45, 30)) == ["09:45:00 due movement"])
    }

    @Test func anHourBackKeepsWhatWasSatAndComesDueOnTheNewClock() {
        var h = Self.harnessAfterJump(-3600)
        // The minute around the jump is not counted (it cannot be told from the jump).
        #expect(h.state.movement.sittingMs == 30 * 60_000, "sat \(h.state.movement.sittingMs / 60_000) min")
        // 15 more minutes, on the new wall clock: not an extra hour.
        #expect(h.deadline == local(2026, 11, 30, 7, 46))
        #expect(h.run(until: local(2026, 11, 30, 7, 46, 30)) == ["07:46:00 due movement"])
    }
}
