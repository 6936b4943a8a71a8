import Foundation
import LimberVocabulary

/// The records a statistics period covers, as read from the database.
public struct HistorySnapshot: Sendable, Hashable {
    public var runs: [SessionRunEntry]
    public var breaks: [BreakEntry]
    public var pain: [PainEntry]
    /// Times of completed sessions and taken breaks, any date, for the streak.
    public var activity: [String]
    /// Programs followed in the period (the report shows them; `stats` does not).
    public var programs: [ProgramPeriod]

    public init(
        runs: [SessionRunEntry] = [], breaks: [BreakEntry] = [], pain: [PainEntry] = [], activity: [String]? = nil,
        programs: [ProgramPeriod] = []
    ) {
        self.runs = runs
        self.breaks = breaks
        self.pain = pain
        self.programs = programs
        self.activity =
            activity ?? (runs.filter { $0.outcome == "completed" }.map(\.started) + breaks.filter { $0.outcome == .taken }.map(\.due))
    }
}

/// Break outcomes counted for one day.
public struct BreakCounts: Sendable, Hashable, Codable {
    public var taken = 0
    public var natural = 0
    public var snoozed = 0
    public var skipped = 0
    public var missed = 0

    public init(taken: Int = 0, natural: Int = 0, snoozed: Int = 0, skipped: Int = 0, missed: Int = 0) {
        self.taken = taken
        self.natural = natural
        self.snoozed = snoozed
        self.skipped = skipped
        self.missed = missed
    }

    mutating func add(_ outcome: BreakEntry.Outcome) {
        switch outcome {
        case .taken: taken += 1
        case .natural: natural += 1
        case .snoozed: snoozed += 1
        case .skipped: skipped += 1
        case .missed: missed += 1
        }
    }

    mutating func add(_ other: BreakCounts) {
        taken += other.taken
        natural += other.natural
        snoozed += other.snoozed
        skipped += other.skipped
        missed += other.missed
    }
}

/// One calendar day of statistics, in the user's time zone.
public struct DayStats: Sendable, Hashable, Codable {
    /// `YYYY-MM-DD`, local.
    public var date: String
    /// Guided-session minutes (pauses excluded) by kind, completed and stopped runs alike,
    /// rounded to 0.1; kinds with no time are absent.
    public var sessionMinutes: [String: Double]
    public var totalMinutes: Double
    /// Runs started this day.
    public var sessions: Int
    public var breaks: BreakCounts
    /// See ``HistoryStats/longestSitting(points:)``; nil without movement-break records.
    public var longestSittingMinutes: Int?
    /// Mean of the day's pain ratings, rounded to 0.1; nil without ratings.
    public var painAverage: Double?
    public var painEntries: Int

    enum CodingKeys: String, CodingKey {
        case date
        case sessionMinutes = "session_minutes"
        case totalMinutes = "total_minutes"
        case sessions, breaks
        case longestSittingMinutes = "longest_sitting_minutes"
        case painAverage = "pain_average"
        case painEntries = "pain_entries"
    }
}

/// Statistics over a run of days: what `limber stats` prints.
public struct HistoryStats: Sendable, Hashable, Codable {
    /// First and last day, `YYYY-MM-DD`, local.
    public var from: String
    public var to: String
    public var timeZone: String
    /// Consecutive days up to today with a completed session or a taken break; today counts
    /// once it has one, and does not break the streak before it has.
    public var streakDays: Int
    public var days: [DayStats]
    public var totalMinutes: Double
    public var breaks: BreakCounts
    public var painAverage: Double?

    enum CodingKeys: String, CodingKey {
        case from, to
        case timeZone = "time_zone"
        case streakDays = "streak_days"
        case days
        case totalMinutes = "total_minutes"
        case breaks
        case painAverage = "pain_average"
    }

    /// Session kinds in the order tables and CSV columns list them.
    public static let kinds = ["exercise", "heat", "mindfulness", "posture"]

    /// Computes the statistics of the days `first...last` (local days of `calendar`, whose
    /// time zone decides where a day begins) from `snapshot`; `today` anchors the streak.
    ///
    /// Pure: same input, same output, no clock and no I/O.
    public static func compute(
        _ snapshot: HistorySnapshot, first: Date, last: Date, today: Date, calendar: Calendar
    ) -> HistoryStats {
        let days = DayGrid(first: first, last: last, calendar: calendar)
        var minutesMs = [[String: Int64]](repeating: [:], count: days.count)
        var sessions = [Int](repeating: 0, count: days.count)
        var breakCounts = [BreakCounts](repeating: BreakCounts(), count: days.count)
        var painSums = [Int](repeating: 0, count: days.count)
        var painCounts = [Int](repeating: 0, count: days.count)
        var sitting = [[SittingPoint]](repeating: [], count: days.count)
        // Sessions alone say nothing about sitting: a day needs a movement-break record.
        var hasMovementBreak = [Bool](repeating: false, count: days.count)

        for run in snapshot.runs {
            guard let started = HistoryTime.parseMilliseconds(run.started), let day = days.index(of: started) else { continue }
            minutesMs[day][run.kind, default: 0] += max(0, run.actualMs)
            sessions[day] += 1
            // A completed session other than heat is a movement break (design.md).
            if run.outcome == "completed", run.kind != "heat", let ended = HistoryTime.parseMilliseconds(run.ended),
                let endDay = days.index(of: ended)
            {
                sitting[endDay].append(SittingPoint(time: ended, resets: true))
            }
        }
        for entry in snapshot.breaks {
            guard let due = HistoryTime.parseMilliseconds(entry.due), let day = days.index(of: due) else { continue }
            breakCounts[day].add(entry.outcome)
            guard entry.kind == .movement else { continue }
            hasMovementBreak[day] = true
            let resets = entry.outcome == .taken || entry.outcome == .natural
            let time = resets ? entry.ended.flatMap(HistoryTime.parseMilliseconds) ?? due : due
            sitting[days.index(of: time) ?? day].append(SittingPoint(time: time, resets: resets))
        }
        for entry in snapshot.pain {
            guard let time = HistoryTime.parseMilliseconds(entry.time), let day = days.index(of: time) else { continue }
            painSums[day] += entry.level
            painCounts[day] += 1
        }

        var result: [DayStats] = []
        result.reserveCapacity(days.count)
        var totalBreaks = BreakCounts()
        var totalMs: Int64 = 0
        for index in 0..<days.count {
            var byKind: [String: Double] = [:]
            for (kind, ms) in minutesMs[index] where ms > 0 { byKind[kind] = minutes(ms) }
            let dayMs = minutesMs[index].values.reduce(0, +)
            totalMs += dayMs
            totalBreaks.add(breakCounts[index])
            result.append(
                DayStats(
                    date: days.label(index), sessionMinutes: byKind, totalMinutes: minutes(dayMs),
                    sessions: sessions[index], breaks: breakCounts[index],
                    longestSittingMinutes: hasMovementBreak[index]
                        ? longestSitting(points: sitting[index]).map { Int((Double($0) / 60_000).rounded()) } : nil,
                    painAverage: painCounts[index] == 0 ? nil : tenth(Double(painSums[index]) / Double(painCounts[index])),
                    painEntries: painCounts[index]))
        }
        let painTotal = painSums.reduce(0, +)
        let painCount = painCounts.reduce(0, +)
        return HistoryStats(
            from: days.label(0), to: days.label(days.count - 1),
            timeZone: calendar.timeZone.identifier,
            streakDays: streak(activity: snapshot.activity, today: today, calendar: calendar),
            days: result, totalMinutes: minutes(totalMs), breaks: totalBreaks,
            painAverage: painCount == 0 ? nil : tenth(Double(painTotal) / Double(painCount)))
    }

    /// A moment that bears on the sitting clock: a reset (a taken or natural movement break
    /// at its end, or a completed non-heat session at its end) or a movement break that
    /// did not reset it (at its due time).
    struct SittingPoint: Hashable {
        var time: Int64
        var resets: Bool
    }

    /// The longest sitting stretch of a day, in milliseconds: the longest interval from a
    /// reset (or the day's first point) to any later point before the next reset.
    ///
    /// Only recorded moments count, so this is a lower bound: sitting before the day's first
    /// point, or after its last, is not seen. A single point gives 0, no points nil (and
    /// ``compute`` reports nil for a day without movement-break records).
    static func longestSitting(points: [SittingPoint]) -> Int64? {
        guard !points.isEmpty else { return nil }
        let sorted = points.sorted { $0.time < $1.time }
        var since = sorted[0].time
        var longest: Int64 = 0
        for point in sorted.dropFirst() {
            longest = max(longest, point.time - since)
            if point.resets { since = point.time }
        }
        return longest
    }

    /// Consecutive days with activity, ending today (or yesterday while today has none).
    static func streak(activity: [String], today: Date, calendar: Calendar) -> Int {
        var times = activity.compactMap(HistoryTime.parseMilliseconds).sorted(by: >).makeIterator()
        return streak(today: today, calendar: calendar) { times.next() }
    }

    /// The streak from activity instants (milliseconds) that `next` gives newest first.
    ///
    /// Stops asking at the first empty day, so years of history cost nothing for a streak of
    /// a week: the reader feeds it straight from the database.
    public static func streak(
        today: Date, calendar: Calendar, next: () throws -> Int64?
    ) rethrows -> Int {
        func start(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        let todayStart = calendar.startOfDay(for: today)
        guard let tomorrow = calendar.date(byAdding: .day, value: 1, to: todayStart) else { return 0 }
        // `day` is the oldest day counted so far (today, uncounted, at first); an instant in
        // the day before it extends the streak, anything older ends it.
        var day = todayStart
        var dayStart = start(day)
        var count = 0
        var countedToday = false
        while let time = try next() {
            if time >= start(tomorrow) { continue }
            if time >= dayStart {
                if day == todayStart && !countedToday {
                    countedToday = true
                    count += 1
                }
                continue
            }
            guard let previous = calendar.date(byAdding: .day, value: -1, to: day) else { break }
            guard time >= start(previous) else { break }
            count += 1
            day = previous
            dayStart = start(day)
        }
        return count
    }

    static func minutes(_ ms: Int64) -> Double { tenth(Double(ms) / 60_000) }

    /// Rounded to 0.1, as the statistics keep their figures.
    public static func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

/// The local days of a period as half-open millisecond ranges, found by binary search.
struct DayGrid {
    private var starts: [Int64] = []
    private var labels: [String] = []

    init(first: Date, last: Date, calendar: Calendar) {
        var day = calendar.startOfDay(for: first)
        let end = calendar.startOfDay(for: max(first, last))
        // Local days are consecutive dates: count them from the first one's date rather than
        // asking the calendar for every label.
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        let firstDate = CivilDays.days(
            fromCivil: Int64(parts.year ?? 1970), Int64(parts.month ?? 1), Int64(parts.day ?? 1))
        while true {
            starts.append(Int64((day.timeIntervalSince1970 * 1000).rounded()))
            let (year, month, date) = CivilDays.civil(fromDays: firstDate + Int64(labels.count))
            labels.append(HistoryTime.dateLabel(year, month, date))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            if day >= end {
                starts.append(Int64((next.timeIntervalSince1970 * 1000).rounded()))
                break
            }
            day = next
        }
    }

    /// Number of days.
    var count: Int { labels.count }

    func label(_ index: Int) -> String { labels[index] }

    /// The day holding `ms`, or nil outside the period.
    func index(of ms: Int64) -> Int? {
        guard let first = starts.first, let last = starts.last, ms >= first, ms < last else { return nil }
        var low = 0
        var high = starts.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= ms { low = middle } else { high = middle }
        }
        return low
    }
}
