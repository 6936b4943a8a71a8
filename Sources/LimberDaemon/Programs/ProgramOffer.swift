import Foundation
import LimberCore
import LimberProtocol

/// What limberd offers at a program's `time:`: the sessions of today's plan not yet done.
public struct ProgramOffer: Sendable, Hashable {
    public var program: String
    /// The program's name, as its file gives it ("Back on track").
    public var name: String
    /// Today's planned sessions still to do, in plan order; never empty.
    public var sessions: [String]

    /// The offer for `state`, or nil when there is nothing to offer: no program followed,
    /// a completed or unreadable one, red flags logged (no exercise until a professional has
    /// seen the user), or nothing left to do today.
    public static func from(_ state: ProgramState?) -> ProgramOffer? {
        guard let state, state.problem == nil else { return nil }
        let remaining = state.remainingToday
        guard !remaining.isEmpty else { return nil }
        return ProgramOffer(program: state.id, name: state.name, sessions: remaining)
    }
}

/// The program side of the break scheduler: when the followed program's sessions are offered
/// (an entry on the scheduled-session mechanism) and what they are when the time comes.
public protocol ProgramSchedule: Sendable {
    /// The daily entry at the program's `time:`, nil when no active program with a time is followed.
    func offerEntry() -> ScheduledSession?
    /// What to offer now.
    func offer() -> ProgramOffer?
}

extension ProgramTracker: ProgramSchedule {
    public func offerEntry() -> ScheduledSession? {
        guard let current = state(), current.state == "active",
            let time = programs.load(id: current.id).program?.time
        else { return nil }
        // Every day: which days have sessions depends on the stage, which may change between
        // now and then, so the day's plan is read when the time comes.
        return ScheduledSession(days: Set(Weekday.allCases), time: time, session: current.today.first ?? "", program: current.id)
    }

    public func offer() -> ProgramOffer? {
        ProgramOffer.from(state())
    }
}
