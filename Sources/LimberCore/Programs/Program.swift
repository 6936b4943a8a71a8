/// A week-by-week plan over sessions: stages, each with a daily plan, a minimum length and
/// the rules that advance, hold or step it back (docs/programs.md).
public struct Program: Sendable, Hashable, Codable {
    /// The file stem, as for sessions.
    public var id: String
    public var path: String
    public var name: String
    public var description: String
    /// When the day's sessions are offered, local time; nil: not offered at a set time.
    public var time: LocalTime?
    /// At least one, in order.
    public var stages: [ProgramStage]

    public init(id: String, path: String, name: String, description: String, time: LocalTime? = nil, stages: [ProgramStage]) {
        self.id = id
        self.path = path
        self.name = name
        self.description = description
        self.time = time
        self.stages = stages
    }

    /// Every session id the program names, in file order, without repeats.
    public var sessionIDs: [String] {
        var seen = Set<String>()
        return stages.flatMap { $0.plan.flatMap(\.sessions) }.filter { seen.insert($0).inserted }
    }
}

/// One stage of a program, e.g. "Weeks 1–2: mobility".
public struct ProgramStage: Sendable, Hashable, Codable {
    public var name: String
    /// The least time spent in the stage before it can advance, in weeks.
    public var weeks: Int
    /// Entries in file order; a day may be named by several (`daily` and `mon,wed,fri`).
    public var plan: [DayPlan]
    public var rules: ProgressionRules

    public init(name: String, weeks: Int, plan: [DayPlan], rules: ProgressionRules = ProgressionRules()) {
        self.name = name
        self.weeks = weeks
        self.plan = plan
        self.rules = rules
    }

    /// The sessions planned on `day`, in the plan's order (a session listed twice is done twice).
    public func sessions(on day: Weekday) -> [String] {
        plan.filter { $0.days.contains(day) }.flatMap(\.sessions)
    }
}

/// One line of a stage's plan: `mon,wed,fri: [glute-bridges, dead-bug]`.
public struct DayPlan: Sendable, Hashable, Codable {
    public var days: Set<Weekday>
    public var sessions: [String]

    public init(days: Set<Weekday>, sessions: [String]) {
        self.days = days
        self.sessions = sessions
    }
}

/// The thresholds of the pain-monitoring model (Silbernagel et al. 2007) a stage applies;
/// the defaults are the model's, and a stage may only make them stricter or looser within
/// the ranges the parser allows.
public struct ProgressionRules: Sendable, Hashable, Codable {
    /// Share of the planned sessions, in percent, completed in a week for it to advance.
    public var completionPercent: Int
    /// Pain during a session (its rating right after) above this breaks the first rule.
    public var painDuringMax: Int
    /// A morning check-in this many points above the stage's baseline, after a day with a
    /// session, means the pain did not settle.
    public var morningRise: Int
    /// Days with a flare (pain during above the limit, or a morning that did not settle)
    /// within seven days that step the program back.
    public var stepBackAfter: Int

    public init(completionPercent: Int = 80, painDuringMax: Int = 5, morningRise: Int = 2, stepBackAfter: Int = 2) {
        self.completionPercent = completionPercent
        self.painDuringMax = painDuringMax
        self.morningRise = morningRise
        self.stepBackAfter = stepBackAfter
    }

    /// The keys of a stage's `rules:` mapping.
    public static let keys = ["completion", "pain-during", "morning-rise", "step-back-after"]
}
