import Foundation
import LimberCore
import Testing

/// limberd answers `status`'s next break from a cache kept until the policy's next deadline
/// (BreakScheduler.upcoming). That is right only if, between two deadlines, asking later gives
/// the same instant as asking earlier: checked here over whole days of irregular time.
@Suite struct BreakPolicyNextBreakTests {
    static let configs = [
        "",
        "working-hours:\n  - mon-fri 09:00-12:30,13:30-17:30\n",
        "breaks: {posture: {enabled: true, every: 20m}, movement: {every: 50m}}\nworking-hours:\n  - mon-fri 08:30-18:00\n",
        "breaks: {movement: {every: 30m}}\nschedule:\n  - mon-fri 10:15 desk-reset\n",
    ]

    @Test(arguments: configs.indices)
    func theNextBreakDoesNotMoveBetweenDeadlines(_ index: Int) {
        let policy = policy(Self.configs[index])
        var random = SplitMix(seed: UInt64(index) + 11)
        var clock = ManualNow(wall: local(2026, 11, 30, 7, 41, 13))
        var state = policy.start(BreakState(), at: clock.now).state
        var checked = 0
        // Two working days and the night between, in steps of 7 s to 23 min.
        while clock.wall < local(2026, 12, 1, 19, 0) {
            let first = policy.advance(state, to: clock.now).state
            let expected = policy.nextBreak(first, after: clock.wall)
            let deadline = policy.nextDeadline(first, after: clock.wall) ?? .distantFuture
            // Ask again at a few later instants before the deadline. Away, the answer is "if you
            // came back now", which moves with the clock: limberd does not reuse it then.
            var later = clock
            for _ in 0..<(first.away == nil ? 3 : 0) {
                later.pass(1 + random.below(90))
                guard later.wall < deadline else { break }
                let asked = policy.nextBreak(policy.advance(state, to: later.now).state, after: later.wall)
                #expect(asked?.kind == expected?.kind && asked?.at == expected?.at,
                        "config \(index): asked at \(later.wall) got \(String(describing: asked)), at \(clock.wall) \(String(describing: expected))")
                checked += 1
            }
            // Time passes; now and then the user goes away or comes back, or answers a break.
            clock.pass(7 + random.below(23 * 60))
            var update = policy.advance(state, to: clock.now)
            switch random.below(10) {
            case 0: update = policy.presence(update.state, source: .manual, away: update.state.away == nil, at: clock.now)
            case 1: update = policy.breaksOn(update.state, at: clock.now)
            default: break
            }
            state = update.state
        }
        #expect(checked > 100)
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }
}
