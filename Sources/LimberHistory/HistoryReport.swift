import Foundation

/// One day of a report: the statistics' figures, and what the pain chart marks.
public struct ReportDay: Sendable, Hashable {
    public var stats: DayStats
    /// The day's highest rating; nil without ratings.
    public var painMax: Int?
    /// The mean of the daily averages of this day and the six before it (within the period),
    /// to 0.1, when at least ``HistoryReport/sevenDayMinimum`` of those days are rated.
    public var painSevenDayAverage: Double?
}

/// A run of days of a report summed from the days' statistics: a week (seven days; the
/// first of a period may be shorter) or a calendar month (cut at the period's ends).
public struct ReportSpan: Sendable, Hashable {
    /// First and last day, `YYYY-MM-DD`, local.
    public var from: String
    public var to: String
    /// Days in the span (a week has 7, except perhaps the first of the period).
    public var days: Int
    /// Days with at least one guided session.
    public var sessionDays: Int
    /// The highest rating of any of its days; nil without ratings.
    public var painMax: Int?
    /// Session minutes by kind, the sum of the days' figures, to 0.1.
    public var sessionMinutes: [String: Double]
    public var totalMinutes: Double
    public var sessions: Int
    public var breaks: BreakCounts
    /// The longest of the days' longest sitting stretches; nil when no day has one.
    public var longestSittingMinutes: Int?
    public var pain: PainWeek
}

/// A guided session with the pain ratings `limber start --rate` recorded around it.
public struct RatedSession: Sendable, Hashable {
    public var run: SessionRunEntry
    public var before: Int?
    public var after: Int?
}

/// What `limber report` shows: the statistics of a period (the same figures as `limber
/// stats`), grouped into weeks, with the sessions and their ratings, and the advice.
///
/// Pure: computed from a snapshot, no clock and no I/O.
public struct HistoryReport: Sendable, Hashable {
    /// Rated days a 7-day average needs.
    public static let sevenDayMinimum = 3
    /// How far (in ms) a rating may precede its run's recorded start and still be its
    /// `before` rating: the client's clock and the daemon's are read at different moments.
    static let ratingSlackMs: Int64 = 60_000

    public var stats: HistoryStats
    public var days: [ReportDay]
    /// Oldest first; the last ends on the period's last day.
    public var weeks: [ReportSpan]
    /// The calendar months the period touches, oldest first; the first and last are cut to
    /// the period.
    public var months: [ReportSpan]
    /// The period's runs in start order.
    public var sessions: [RatedSession]
    public var advice: [AdviceFinding]
    /// Programs followed in the period, with their decisions.
    public var programs: [ProgramPeriod] = []

    /// No session, break or rating in the period.
    public var isEmpty: Bool {
        stats.days.allSatisfy { day in
            let b = day.breaks
            return day.sessions == 0 && day.painEntries == 0 && b.taken + b.natural + b.snoozed + b.skipped + b.missed == 0
        }
    }

    /// The report of the days `first...last` (local days of `calendar`); `today` anchors the
    /// streak, as in ``HistoryStats/compute(_:first:last:today:calendar:)``.
    public static func make(
        _ snapshot: HistorySnapshot, first: Date, last: Date, today: Date, calendar: Calendar,
        rules: [any AdviceRule] = ProfessionalAdvice.rules
    ) -> HistoryReport {
        let stats = HistoryStats.compute(snapshot, first: first, last: last, today: today, calendar: calendar)
        let grid = DayGrid(first: first, last: last, calendar: calendar)
        var painMax = [Int?](repeating: nil, count: stats.days.count)
        var flagged: [FlaggedRating] = []
        for entry in snapshot.pain {
            guard let time = HistoryTime.parseMilliseconds(entry.time), let day = grid.index(of: time),
                day < painMax.count
            else { continue }
            painMax[day] = max(painMax[day] ?? entry.level, entry.level)
            let flags = SymptomFlag.parse(column: entry.flags)
            if !flags.isEmpty { flagged.append(FlaggedRating(day: stats.days[day].date, flags: flags)) }
        }
        let days = stats.days.indices.map { index in
            ReportDay(stats: stats.days[index], painMax: painMax[index], painSevenDayAverage: sevenDayAverage(stats.days, endingAt: index))
        }
        let weeks = weeks(of: days)
        return HistoryReport(
            stats: stats, days: days, weeks: weeks, months: months(of: days), sessions: rate(snapshot.runs, with: snapshot.pain),
            advice: ProfessionalAdvice.findings(in: AdviceInput(weeks: weeks.map(\.pain), flags: flagged), rules: rules),
            programs: snapshot.programs)
    }

    static func sevenDayAverage(_ days: [DayStats], endingAt index: Int) -> Double? {
        let ratings = days[max(0, index - 6)...index].compactMap(\.painAverage)
        guard ratings.count >= sevenDayMinimum else { return nil }
        return HistoryStats.tenth(ratings.reduce(0, +) / Double(ratings.count))
    }

    /// Seven-day blocks counted back from the last day, so that `--days 42` is six whole weeks
    /// ending today.
    static func weeks(of days: [ReportDay]) -> [ReportSpan] {
        var result: [ReportSpan] = []
        var end = days.count
        while end > 0 {
            let start = max(0, end - 7)
            result.append(span(days[start..<end]))
            end = start
        }
        return result.reversed()
    }

    /// Calendar months, by the `YYYY-MM` of the days' labels.
    static func months(of days: [ReportDay]) -> [ReportSpan] {
        var result: [ReportSpan] = []
        var start = 0
        for index in days.indices where index + 1 == days.count || days[index + 1].stats.date.prefix(7) != days[index].stats.date.prefix(7) {
            result.append(span(days[start...index]))
            start = index + 1
        }
        return result
    }

    static func span(_ days: ArraySlice<ReportDay>) -> ReportSpan {
        var minutes: [String: Double] = [:]
        var total = 0.0
        var sessions = 0
        var breaks = BreakCounts()
        var sitting: Int?
        var highest: Int?
        var severe: [String] = []
        for day in days {
            for (kind, value) in day.stats.sessionMinutes { minutes[kind, default: 0] += value }
            total += day.stats.totalMinutes
            sessions += day.stats.sessions
            breaks.add(day.stats.breaks)
            if let stretch = day.stats.longestSittingMinutes { sitting = max(sitting ?? stretch, stretch) }
            if let top = day.painMax {
                highest = max(highest ?? top, top)
                if top >= ProfessionalAdvice.severeLevel { severe.append(day.stats.date) }
            }
        }
        let averages = days.compactMap(\.stats.painAverage)
        let from = days.first?.stats.date ?? ""
        let to = days.last?.stats.date ?? ""
        return ReportSpan(
            from: from, to: to, days: days.count, sessionDays: days.filter { $0.stats.sessions > 0 }.count, painMax: highest,
            sessionMinutes: minutes.mapValues(HistoryStats.tenth),
            totalMinutes: HistoryStats.tenth(total), sessions: sessions, breaks: breaks, longestSittingMinutes: sitting,
            pain: PainWeek(
                from: from, to: to,
                average: averages.isEmpty ? nil : HistoryStats.tenth(averages.reduce(0, +) / Double(averages.count)),
                ratedDays: averages.count, severeDays: severe))
    }

    /// Pairs `start --rate` ratings with their runs: a rating belongs to the latest run of its
    /// session that started before it (within ``ratingSlackMs``); the first `before` and the
    /// first `after` rating of a run count.
    public static func rate(_ runs: [SessionRunEntry], with pain: [PainEntry]) -> [RatedSession] {
        var rated = runs.map { RatedSession(run: $0, before: nil, after: nil) }
        var starts: [String: [(ms: Int64, index: Int)]] = [:]
        for (index, run) in runs.enumerated() {
            guard let ms = HistoryTime.parseMilliseconds(run.started) else { continue }
            starts[run.session, default: []].append((ms, index))
        }
        for key in starts.keys { starts[key]?.sort { $0.ms < $1.ms } }
        for entry in pain {
            guard let session = entry.session, let moment = entry.moment, let candidates = starts[session],
                let time = HistoryTime.parseMilliseconds(entry.time)
            else { continue }
            let slack = moment == .before ? ratingSlackMs : 0
            guard let match = candidates.last(where: { $0.ms <= time + slack }) else { continue }
            switch moment {
            case .before where rated[match.index].before == nil: rated[match.index].before = entry.level
            case .after where rated[match.index].after == nil: rated[match.index].after = entry.level
            default: break
            }
        }
        return rated
    }
}
