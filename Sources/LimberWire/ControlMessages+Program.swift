/// The program being followed, as `status` and `limber program status --json` report it.
public struct ProgramState: Sendable, Hashable, Codable {
    /// One recorded decision.
    public struct Decision: Sendable, Hashable, Codable {
        /// The local day, `YYYY-MM-DD`.
        public var day: String
        /// `advance`, `hold`, `step-back` or `complete`.
        public var decision: String
        public var fromStage: Int
        public var toStage: Int
        public var reason: String

        public init(day: String, decision: String, fromStage: Int, toStage: Int, reason: String) {
            self.day = day
            self.decision = decision
            self.fromStage = fromStage
            self.toStage = toStage
            self.reason = reason
        }
    }

    /// A see-a-professional finding: what the records show and what to do.
    public struct Advice: Sendable, Hashable, Codable {
        public var rule: String
        public var seen: String
        public var advice: String

        public init(rule: String, seen: String, advice: String) {
            self.rule = rule
            self.seen = seen
            self.advice = advice
        }
    }

    /// The program id.
    public var id: String
    public var name: String
    /// `active` or `completed`.
    public var state: String
    /// The local day it started, `YYYY-MM-DD`.
    public var started: String
    /// 1-based week of the program today.
    public var week: Int
    /// 0-based index of the current stage, of `stages`.
    public var stage: Int
    public var stages: Int
    public var stageName: String
    /// The local day the current stage began.
    public var stageStarted: String
    /// Session ids planned today, and those of them completed today.
    public var today: [String]
    public var done: [String]
    /// The next weekly review, `YYYY-MM-DD`; absent once completed.
    public var nextReview: String?
    public var lastDecision: Decision?
    /// Every decision, oldest first (left out of `status`, which carries `last_decision`).
    public var decisions: [Decision]?
    public var advice: [Advice]
    /// Why the program file could not be read (then the stage fields are as last recorded).
    public var problem: String?

    public init(
        id: String, name: String, state: String, started: String, week: Int, stage: Int, stages: Int, stageName: String,
        stageStarted: String, today: [String], done: [String], nextReview: String?, lastDecision: Decision?,
        decisions: [Decision]?, advice: [Advice], problem: String? = nil
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.started = started
        self.week = week
        self.stage = stage
        self.stages = stages
        self.stageName = stageName
        self.stageStarted = stageStarted
        self.today = today
        self.done = done
        self.nextReview = nextReview
        self.lastDecision = lastDecision
        self.decisions = decisions
        self.advice = advice
        self.problem = problem
    }
}

extension ProgramState {
    /// The rule that stops the program's exercise until a professional has seen the user.
    public static let redFlagRule = "red-flag-symptoms"

    /// True when red-flag symptoms were logged: the program offers no exercise.
    public var pausedForRedFlags: Bool { advice.contains { $0.rule == Self.redFlagRule } }

    /// Today's planned sessions not yet done, in plan order (a session planned twice and done
    /// once is listed once). Empty for a completed or red-flagged program.
    public var remainingToday: [String] {
        guard state == "active", !pausedForRedFlags else { return [] }
        var done = self.done
        return today.filter { id in
            guard let index = done.firstIndex(of: id) else { return true }
            done.remove(at: index)
            return false
        }
    }
}
