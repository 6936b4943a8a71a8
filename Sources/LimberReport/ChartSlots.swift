import LimberHistory

/// How finely a period is drawn. Up to 26 weeks: the pain and sitting charts a point or bar a
/// day, the bar charts and the table a week. Longer: a week and a month — a physiotherapist
/// reads a long history as its trend, and five years of days would be 1,800 marks a chart
/// (too thin to see, too many to print, half a megabyte of file).
public enum ReportScale: Sendable, Hashable {
    case days
    case weeks

    /// The longest period drawn by day.
    public static let dailyLimit = 182

    public init(days: Int) { self = days > Self.dailyLimit ? .weeks : .days }

    /// `day`, `week`: a slot of the pain and sitting charts.
    public var slot: String { self == .days ? "day" : "week" }
    /// `week`, `month`: a bar of the bar charts, a row of the table.
    public var span: String { self == .days ? "week" : "month" }
    /// How many slots the pain line averages over, and how many of them must be rated.
    var lineSlots: (count: Int, rated: Int) { self == .days ? (7, HistoryReport.sevenDayMinimum) : (4, 2) }
    /// `7-day`, `4-week`.
    public var lineName: String { self == .days ? "7-day" : "4-week" }
}

/// One slot along the x axis of the pain and sitting charts: a day, or a week of a long period.
public struct ChartSlot: Sendable, Hashable {
    /// Its first day, `YYYY-MM-DD`.
    public var from: String
    /// The day's average rating, or the week's (the mean of its days' averages).
    public var pain: Double?
    /// The 7-day average of a day (as ``ReportDay/painSevenDayAverage``), or the mean of the
    /// week's and the three before's averages where at least two of them are rated.
    public var line: Double?
    /// The highest rating in it.
    public var highest: Int?
    /// The share of its days with a guided session, 0 to 1.
    public var sessionShare: Double
    /// Its longest sitting stretch, in minutes.
    public var sitting: Int?

    /// The slots of `report` at `scale`.
    public static func slots(_ report: HistoryReport, scale: ReportScale) -> [ChartSlot] {
        switch scale {
        case .days:
            return report.days.map { day in
                ChartSlot(
                    from: day.stats.date, pain: day.stats.painAverage, line: day.painSevenDayAverage, highest: day.painMax,
                    sessionShare: day.stats.sessions > 0 ? 1 : 0, sitting: day.stats.longestSittingMinutes)
            }
        case .weeks:
            let (count, rated) = scale.lineSlots
            return report.weeks.indices.map { index in
                let week = report.weeks[index]
                let averages = report.weeks[max(0, index - count + 1)...index].compactMap(\.pain.average)
                return ChartSlot(
                    from: week.from, pain: week.pain.average,
                    line: averages.count >= rated ? HistoryStats.tenth(averages.reduce(0, +) / Double(averages.count)) : nil,
                    highest: week.painMax, sessionShare: Double(week.sessionDays) / Double(max(1, week.days)),
                    sitting: week.longestSittingMinutes)
            }
        }
    }
}

/// Where the labels under a chart go: at the first slot of each week (a daily chart), or of
/// each month, quarter or year, the finest of those that fits the width.
public enum AxisMarks {
    /// Units of width a label needs (`Jan 2026` at 10 px, and a gap).
    static let labelWidth = 48.0

    /// A mark at each slot in `starts` (`YYYY-MM-DD`) that opens a new month, thinned to
    /// quarters or years when months would crowd `width`; January and the first mark carry
    /// the year (`Nov 2025`, `Dec`, `2026`, `Feb`), and year marks are the year alone.
    public static func calendar(_ starts: [String], width: Double) -> [(slot: Int, text: String)] {
        var opening: [(slot: Int, year: Int, month: Int)] = []
        var previous: (Int, Int)?
        for (slot, start) in starts.enumerated() {
            guard let date = HistoryDate.parts(start) else { continue }
            if previous.map({ $0 != (date.year, date.month) }) ?? true {
                // A slot that starts mid-month opens it too (a week from the 29th, the first bar).
                opening.append((slot, date.year, date.month))
            }
            previous = (date.year, date.month)
        }
        let fits = max(1, Int(width / labelWidth))
        for every in [1, 3, 12] {
            let kept = opening.filter { ($0.month - 1) % every == 0 }
            guard kept.count <= fits || every == 12 else { continue }
            return kept.enumerated().map { position, mark in
                let month = HistoryDate.months[mark.month - 1]
                let text = every == 12 ? String(mark.year) : mark.month == 1 || position == 0 ? "\(month) \(mark.year)" : month
                return (mark.slot, text)
            }
        }
        return []
    }
}
