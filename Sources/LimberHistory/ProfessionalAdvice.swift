import Foundation

/// One week of pain ratings, as the advice rules read it.
public struct PainWeek: Sendable, Hashable {
    /// First and last day, `YYYY-MM-DD`, local.
    public var from: String
    public var to: String
    /// The mean of the week's daily averages (each rated day counts once), to 0.1; nil
    /// without ratings.
    public var average: Double?
    /// Days with at least one rating.
    public var ratedDays: Int
    /// Days with a rating of ``ProfessionalAdvice/severeLevel`` or more, `YYYY-MM-DD`.
    public var severeDays: [String]

    public init(from: String, to: String, average: Double?, ratedDays: Int, severeDays: [String] = []) {
        self.from = from
        self.to = to
        self.average = average
        self.ratedDays = ratedDays
        self.severeDays = severeDays
    }
}

/// A symptom that `limber log pain --flag` records: a red flag in NHS and NICE NG59 guidance,
/// a reason to be seen rather than to exercise on.
public enum SymptomFlag: String, Sendable, Hashable, Codable, CaseIterable {
    case numbness
    case weakness
    case bladderBowel = "bladder-bowel"
    case fever
    case fall

    /// In the user's words.
    public var words: String {
        switch self {
        case .numbness: "numbness or tingling"
        case .weakness: "weakness in a leg or foot"
        case .bladderBowel: "bladder or bowel changes"
        case .fever: "a fever"
        case .fall: "pain after a fall or an accident"
        }
    }

    /// Flags as the `pain.flags` column keeps them: comma-separated names, nil for none.
    public static func column(_ flags: [SymptomFlag]) -> String? {
        flags.isEmpty ? nil : flags.map(\.rawValue).joined(separator: ",")
    }

    /// The flags of a `pain.flags` value; unknown names are skipped.
    public static func parse(column: String?) -> [SymptomFlag] {
        (column ?? "").split(separator: ",").compactMap { SymptomFlag(rawValue: String($0)) }
    }
}

/// A pain rating logged with red-flag symptoms.
public struct FlaggedRating: Sendable, Hashable {
    /// `YYYY-MM-DD`, local.
    public var day: String
    public var flags: [SymptomFlag]

    public init(day: String, flags: [SymptomFlag]) {
        self.day = day
        self.flags = flags
    }
}

/// What the advice rules look at: the weeks' pain and the red flags logged in them.
public struct AdviceInput: Sendable, Hashable {
    /// Consecutive weeks, oldest first.
    public var weeks: [PainWeek]
    /// Ratings logged with `--flag`, oldest first.
    public var flags: [FlaggedRating]

    public init(weeks: [PainWeek], flags: [FlaggedRating] = []) {
        self.weeks = weeks
        self.flags = flags
    }
}

/// A pattern in the records that is a reason to see a professional: what was seen, and
/// what the guidance says to do. Never a diagnosis.
public struct AdviceFinding: Sendable, Hashable {
    /// The rule's ``AdviceRule/id``.
    public var rule: String
    /// The first day of the week the finding ends in, `YYYY-MM-DD` (for ordering).
    public var week: String
    /// What the records show, in the user's words.
    public var seen: String
    /// What to do about it, after NHS guidance on back pain and NICE NG59.
    public var advice: String

    public init(rule: String, week: String, seen: String, advice: String) {
        self.rule = rule
        self.week = week
        self.seen = seen
        self.advice = advice
    }
}

/// A see-a-professional rule: a pure function of the records.
public protocol AdviceRule: Sendable {
    /// A stable identifier, e.g. `severe-pain-twice-in-a-week`.
    var id: String { get }
    /// Every occurrence of the pattern in `input`, oldest first.
    func findings(in input: AdviceInput) -> [AdviceFinding]
}

/// The see-a-professional rules that the history alone can decide.
///
/// Worded after the NHS back pain pages (see a GP if the pain is very severe, gets worse over
/// time, or does not improve within a few weeks) and NICE guideline NG59 (look again at pain
/// that changes; further treatment when earlier treatment has not helped). They count
/// ratings; they never name a cause.
public enum ProfessionalAdvice {
    /// A rating at or above this is "severe" for ``SeverePainTwiceInAWeek``.
    public static let severeLevel = 8
    /// A week needs this many rated days before its average is compared with another's.
    public static let minimumRatedDays = 3

    /// The rules in force, in the order the report lists their findings.
    public static let rules: [any AdviceRule] = [
        RedFlagSymptoms(), SeverePainTwiceInAWeek(), PainRisingThreeWeeks(), NoImprovementOverSixWeeks(),
    ]

    /// The findings of every rule in `rules`.
    public static func findings(in input: AdviceInput, rules: [any AdviceRule] = rules) -> [AdviceFinding] {
        rules.flatMap { $0.findings(in: input) }
    }

    static func average(_ week: PainWeek) -> Double? {
        week.ratedDays >= minimumRatedDays ? week.average : nil
    }

    static func score(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Pain of 8/10 or more on two or more days of one week.
public struct SeverePainTwiceInAWeek: AdviceRule {
    public let id = "severe-pain-twice-in-a-week"

    public init() {}

    public func findings(in input: AdviceInput) -> [AdviceFinding] {
        input.weeks.filter { $0.severeDays.count >= 2 }.map { week in
            let days = week.severeDays.map(HistoryDate.short).joined(separator: ", ")
            return AdviceFinding(
                rule: id, week: week.from,
                seen: "You rated your pain \(ProfessionalAdvice.severeLevel)/10 or more on \(week.severeDays.count) days in the week \(HistoryDate.range(week.from, week.to)) (\(days)).",
                advice: "NHS guidance is to see a GP if back pain is very severe or keeps getting worse. Book an appointment, and take this report with you.")
        }
    }
}

/// The weekly average higher than the week before, three weeks running, and by at least
/// one point in all (smaller drifts are within the noise of a 0–10 rating).
public struct PainRisingThreeWeeks: AdviceRule {
    public let id = "pain-rising-three-weeks"
    /// The rise over the three weeks that counts.
    public static let minimumRise = 1.0

    public init() {}

    public func findings(in input: AdviceInput) -> [AdviceFinding] {
        let weeks = input.weeks
        guard weeks.count >= 4 else { return [] }
        var result: [AdviceFinding] = []
        var index = 3
        while index < weeks.count {
            let window = weeks[(index - 3)...index].map(ProfessionalAdvice.average)
            let values = window.compactMap { $0 }
            let rising = values.count == 4 && zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
            guard rising, let first = values.first, let last = values.last, last - first >= Self.minimumRise - 1e-9 else {
                index += 1
                continue
            }
            let start = weeks[index - 3]
            let end = weeks[index]
            result.append(
                AdviceFinding(
                    rule: id, week: end.from,
                    seen: "Your weekly average pain rose three weeks running, from \(ProfessionalAdvice.score(first)) (week \(HistoryDate.range(start.from, start.to))) to \(ProfessionalAdvice.score(last)) (week \(HistoryDate.range(end.from, end.to))).",
                    advice: "NHS guidance is to see a GP if back pain gets worse over time, and NICE guideline NG59 asks clinicians to look again at back pain that changes. A physiotherapist can also check whether your exercises suit you."))
            // The next occurrence starts after this one: no overlapping findings.
            index += 4
        }
        return result
    }
}

/// Six weeks of ratings in which the latest weekly average is no lower than the first, while
/// pain is not mild (an average of 3 or more).
public struct NoImprovementOverSixWeeks: AdviceRule {
    public let id = "no-improvement-over-six-weeks"
    /// Below this weekly average, pain that stays where it is is not flagged.
    public static let mildBelow = 3.0

    public init() {}

    /// Looks only at the last six weeks: the question is whether things are improving now.
    public func findings(in input: AdviceInput) -> [AdviceFinding] {
        guard input.weeks.count >= 6 else { return [] }
        let window = input.weeks.suffix(6)
        guard let start = window.first, let end = window.last, let first = ProfessionalAdvice.average(start),
            let last = ProfessionalAdvice.average(end), last >= first, last >= Self.mildBelow
        else { return [] }
        return [
            AdviceFinding(
                rule: id, week: end.from,
                seen: "Your weekly average pain has not come down over six weeks: \(ProfessionalAdvice.score(first)) in the week \(HistoryDate.range(start.from, start.to)), \(ProfessionalAdvice.score(last)) in the week \(HistoryDate.range(end.from, end.to)).",
                advice: "NHS guidance is to see a GP if back pain has not improved within a few weeks of looking after it at home. NICE guideline NG59 describes further help, such as physiotherapy combined with psychological support, for back pain that earlier treatment has not eased.")
        ]
    }
}

/// Any rating logged with a red-flag symptom (`limber log pain --flag`): one finding per day.
public struct RedFlagSymptoms: AdviceRule {
    public let id = "red-flag-symptoms"

    public init() {}

    public func findings(in input: AdviceInput) -> [AdviceFinding] {
        var byDay: [(day: String, flags: [SymptomFlag])] = []
        for rating in input.flags where !rating.flags.isEmpty {
            if let last = byDay.last, last.day == rating.day {
                byDay[byDay.count - 1].flags += rating.flags.filter { !last.flags.contains($0) }
            } else {
                byDay.append((rating.day, rating.flags))
            }
        }
        return byDay.map { day, flags in
            let urgent = flags.contains(.bladderBowel) || flags.contains(.numbness)
            let advice = urgent
                ? "NHS guidance is to go to A&E or call 999 if back pain comes with loss of bladder or bowel control, or numbness around your genitals or bottom, and otherwise to get medical advice the same day (NHS 111 or your GP). Do not exercise through it; do not restart the program until you have been seen."
                : "NHS guidance is to see a GP urgently, or call NHS 111, about back pain with \(flags.map(\.words).joined(separator: " or ")). Do not exercise through it; do not restart the program until you have been seen."
            return AdviceFinding(
                rule: id, week: day,
                seen: "On \(HistoryDate.short(day)) you logged \(flags.map(\.words).joined(separator: ", ")) with your pain.",
                advice: advice)
        }
    }
}
