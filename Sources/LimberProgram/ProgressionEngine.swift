import LimberCore
import LimberHistory

/// One progression decision: what the program did on a day, and exactly why.
public struct ProgramDecision: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case advance
        case hold
        case stepBack = "step-back"
        /// The last stage advanced: the program is done.
        case complete
    }

    /// The day it was made for (it judges the days before it).
    public var day: Int
    public var kind: Kind
    public var fromStage: Int
    public var toStage: Int
    public var reason: String

    public init(day: Int, kind: Kind, fromStage: Int, toStage: Int, reason: String) {
        self.day = day
        self.kind = kind
        self.fromStage = fromStage
        self.toStage = toStage
        self.reason = reason
    }
}

/// Where a program stands after its decisions.
public struct ProgramPosition: Sendable, Hashable {
    public var stage: Int
    /// The day the current stage began (the program's start, or the last advance or step back).
    public var stageStart: Int
    public var completed: Bool

    public init(stage: Int, stageStart: Int, completed: Bool) {
        self.stage = stage
        self.stageStart = stageStart
        self.completed = completed
    }
}

/// Advances, holds and steps back a program after the pain-monitoring model (Silbernagel et
/// al. 2007), as docs/programs.md states the rules. Pure: a function of the program, its
/// start, the decisions already recorded and the evidence.
public struct ProgressionEngine: Sendable {
    /// Morning check-ins a week needs before the rules can say it went well.
    public static let minimumCheckins = 3
    /// A weekly mean of morning pain or stiffness higher than the week before by more than
    /// this has risen (smaller moves are the noise of a 0–10 rating).
    public static let riseTolerance = 0.5

    public let program: Program

    public init(program: Program) { self.program = program }

    /// The weekday of a local day number (day 0, 1970-01-01, was a Thursday).
    public static func weekday(ofDay day: Int) -> Weekday {
        Weekday.allCases[((day + 3) % 7 + 7) % 7]
    }

    public func position(startDay: Int, decisions: [ProgramDecision]) -> ProgramPosition {
        var position = ProgramPosition(stage: 0, stageStart: startDay, completed: false)
        for decision in decisions {
            switch decision.kind {
            case .advance, .stepBack:
                position.stage = min(max(0, decision.toStage), program.stages.count - 1)
                position.stageStart = decision.day
            case .complete: position.completed = true
            case .hold: break
            }
        }
        return position
    }

    /// The decisions due after `recorded`, for every day up to and including `today`.
    public func decisions(startDay: Int, recorded: [ProgramDecision], evidence: ProgramEvidence, through today: Int) -> [ProgramDecision] {
        var position = position(startDay: startDay, decisions: recorded)
        var made: [ProgramDecision] = []
        var day = max(startDay, recorded.last?.day ?? startDay) + 1
        while day <= today, !position.completed {
            if let decision = decision(on: day, at: position, startDay: startDay, evidence: evidence) {
                made.append(decision)
                position = self.position(startDay: startDay, decisions: recorded + made)
            }
            day += 1
        }
        return made
    }

    /// A day with a flare: pain during a session above the limit, or a morning after a
    /// session that had not settled.
    struct Flare {
        var day: Int
        var text: String
    }

    /// The stage's baseline morning pain: the mean of the morning check-ins in the seven days
    /// before it began, else its first morning check-in before `day`.
    func baseline(_ position: ProgramPosition, before day: Int, evidence: ProgramEvidence) -> Double? {
        let before = evidence.mornings((position.stageStart - 7)..<position.stageStart)
        if !before.isEmpty { return Double(before.map(\.pain).reduce(0, +)) / Double(before.count) }
        return evidence.mornings(position.stageStart..<day).first.map { Double($0.pain) }
    }

    func flares(in window: Range<Int>, at position: ProgramPosition, rules: ProgressionRules, evidence: ProgramEvidence) -> [Flare] {
        var flares: [Flare] = []
        for session in evidence.sessions where window.contains(session.day) && session.completed {
            if let pain = session.painAfter, pain > rules.painDuringMax {
                flares.append(Flare(day: session.day, text: "pain \(pain)/10 during \(session.session) on \(ProgramDay.short(session.day))"))
            }
        }
        if let baseline = baseline(position, before: window.upperBound, evidence: evidence) {
            for morning in evidence.mornings(window) where !evidence.completed(on: morning.day - 1).isEmpty {
                if Double(morning.pain) >= baseline + Double(rules.morningRise) {
                    flares.append(Flare(
                        day: morning.day,
                        text: "morning pain \(morning.pain)/10 on \(ProgramDay.short(morning.day)), \(rules.morningRise) or more above your baseline of \(Self.score(baseline))"))
                }
            }
        }
        // By day, and in the order found within a day (a stable sort).
        return flares.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
    }

    func decision(on day: Int, at position: ProgramPosition, startDay: Int, evidence: ProgramEvidence) -> ProgramDecision? {
        let stage = program.stages[position.stage]
        let rules = stage.rules
        let window = max(position.stageStart, day - 7)..<day
        let flares = flares(in: window, at: position, rules: rules, evidence: evidence)
        let flareDays = Set(flares.map(\.day))
        if flareDays.count >= rules.stepBackAfter {
            let to = max(0, position.stage - 1)
            let what = to < position.stage
                ? "back to \(program.stages[to].name)" : "\(stage.name) starts again (it is the first stage)"
            return ProgramDecision(
                day: day, kind: .stepBack, fromStage: position.stage, toStage: to,
                reason: "stepped \(what): \(flareDays.count) days with a flare in 7 (\(flares.map(\.text).joined(separator: "; "))); \(rules.stepBackAfter) step back")
        }
        guard (day - position.stageStart) % 7 == 0, day > position.stageStart else { return nil }

        var problems: [String] = []
        var planned = 0
        var done = 0
        for date in window {
            let plan = stage.sessions(on: Self.weekday(ofDay: date))
            var remaining = Dictionary(evidence.completed(on: date).map { ($0.session, 1) }, uniquingKeysWith: +)
            for id in plan where remaining[id, default: 0] > 0 {
                done += 1
                remaining[id, default: 0] -= 1
            }
            planned += plan.count
        }
        let percent = planned == 0 ? 100 : done * 100 / planned
        let completion = "\(done) of \(planned) planned sessions done (\(percent)%)"
        if done * 100 < rules.completionPercent * planned {
            problems.append("\(completion), fewer than \(rules.completionPercent)%")
        }
        if !flares.isEmpty {
            problems.append("pain did not stay within the rules: \(flares.map(\.text).joined(separator: "; "))")
        }
        let mornings = evidence.mornings(window)
        if mornings.count < Self.minimumCheckins {
            problems.append("only \(mornings.count) morning check-in\(mornings.count == 1 ? "" : "s") this week; \(Self.minimumCheckins) are needed to judge it (run `limber checkin` each morning)")
        }
        let previous = evidence.mornings((day - 14)..<(day - 7))
        var trend = ""
        if !mornings.isEmpty, !previous.isEmpty {
            for (what, value) in [("pain", \ProgramEvidence.Checkin.pain), ("stiffness", \ProgramEvidence.Checkin.stiffness)] {
                let now = Self.mean(mornings.map { $0[keyPath: value] })
                let before = Self.mean(previous.map { $0[keyPath: value] })
                if now > before + Self.riseTolerance {
                    problems.append("morning \(what) rose from \(Self.score(before)) to \(Self.score(now)) a day on average")
                }
                trend += ", morning \(what) \(Self.score(before)) → \(Self.score(now))"
            }
        }
        let flags = evidence.ratings.filter { !$0.flags.isEmpty && $0.day >= startDay && $0.day < day }
        if let first = flags.first {
            problems.append("you logged \(first.flags.map(\.words).joined(separator: ", ")) on \(ProgramDay.short(first.day)); after a red flag the program does not advance (see the advice)")
        }
        let weekStart = ProgramDay.label(day - 7)
        for finding in ProgramAdvice.findings(startDay: startDay, through: day - 1, evidence: evidence)
        where finding.rule != RedFlagSymptoms().id && finding.week >= weekStart {
            problems.append("see-a-professional advice: \(finding.seen)")
        }

        let minimum = stage.weeks * 7
        let daysDone = day - position.stageStart
        if !problems.isEmpty {
            return ProgramDecision(day: day, kind: .hold, fromStage: position.stage, toStage: position.stage,
                                   reason: "held: " + problems.joined(separator: "; "))
        }
        let peak = evidence.sessions.filter { window.contains($0.day) && $0.completed }.compactMap(\.painAfter).max()
        let held = "\(completion), pain during sessions \(peak.map { "at most \($0)/10" } ?? "not rated"), mornings settled\(trend)"
        if daysDone < minimum {
            return ProgramDecision(
                day: day, kind: .hold, fromStage: position.stage, toStage: position.stage,
                reason: "held: day \(daysDone) of at least \(minimum) in \(stage.name); the rules held (\(held))")
        }
        if position.stage + 1 < program.stages.count {
            return ProgramDecision(
                day: day, kind: .advance, fromStage: position.stage, toStage: position.stage + 1,
                reason: "advanced to \(program.stages[position.stage + 1].name): \(daysDone) days in \(stage.name) and the rules held (\(held))")
        }
        return ProgramDecision(
            day: day, kind: .complete, fromStage: position.stage, toStage: position.stage,
            reason: "completed \(program.name): \(daysDone) days in \(stage.name) and the rules held (\(held))")
    }

    static func mean(_ values: [Int]) -> Double {
        HistoryStats.tenth(Double(values.reduce(0, +)) / Double(max(1, values.count)))
    }

    static func score(_ value: Double) -> String {
        let tenth = HistoryStats.tenth(value)
        return tenth == tenth.rounded() ? String(Int(tenth)) : String(tenth)
    }
}

/// The see-a-professional findings over a program's weeks, from the existing advice rules.
public enum ProgramAdvice {
    /// Seven-day weeks counted back from `through` to the program's start, with every rating
    /// (pain log and morning check-ins), and the red flags logged.
    public static func findings(startDay: Int, through last: Int, evidence: ProgramEvidence) -> [AdviceFinding] {
        var weeks: [PainWeek] = []
        var end = last + 1
        while end > startDay {
            let start = max(startDay, end - 7)
            var daily: [Double] = []
            var severe: [String] = []
            for day in start..<end {
                let levels = evidence.ratings.filter { $0.day == day }.map(\.level) + evidence.checkins.filter { $0.day == day }.map(\.pain)
                guard !levels.isEmpty else { continue }
                daily.append(Double(levels.reduce(0, +)) / Double(levels.count))
                if (levels.max() ?? 0) >= ProfessionalAdvice.severeLevel { severe.append(ProgramDay.label(day)) }
            }
            weeks.append(PainWeek(
                from: ProgramDay.label(start), to: ProgramDay.label(end - 1),
                average: daily.isEmpty ? nil : HistoryStats.tenth(daily.reduce(0, +) / Double(daily.count)),
                ratedDays: daily.count, severeDays: severe))
            end = start
        }
        let flags = evidence.ratings.filter { !$0.flags.isEmpty && $0.day >= startDay && $0.day <= last }
            .map { FlaggedRating(day: ProgramDay.label($0.day), flags: $0.flags) }
        return ProfessionalAdvice.findings(in: AdviceInput(weeks: weeks.reversed(), flags: flags))
    }
}
