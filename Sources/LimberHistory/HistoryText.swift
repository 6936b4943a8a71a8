import Foundation

/// How `limber stats` shows ``HistoryStats``: a table and a chart for the terminal, CSV and
/// JSON for a clinician's spreadsheet.
public enum HistoryText {
    /// The CSV header; one row per day follows.
    public static let csvHeader =
        "date,exercise_min,heat_min,mindfulness_min,posture_min,total_min,sessions,breaks_taken,breaks_natural,breaks_snoozed,breaks_skipped,breaks_missed,longest_sitting_min,pain_avg,pain_entries"

    /// RFC 4180 CSV, one row per day; empty cells for no data.
    public static func csv(_ stats: HistoryStats) -> String {
        var lines = [csvHeader]
        for day in stats.days {
            var cells = [day.date]
            cells += HistoryStats.kinds.map { number(day.sessionMinutes[$0] ?? 0) }
            cells += [number(day.totalMinutes), String(day.sessions)]
            cells += [day.breaks.taken, day.breaks.natural, day.breaks.snoozed, day.breaks.skipped, day.breaks.missed].map(String.init)
            cells.append(day.longestSittingMinutes.map(String.init) ?? "")
            cells.append(day.painAverage.map(number) ?? "")
            cells.append(String(day.painEntries))
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON with snake_case keys and sorted keys, for scripts and sharing.
    public static func json(_ stats: HistoryStats) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(stats)
    }

    /// The terminal report: chart, per-day table, totals and streak.
    public static func report(_ stats: HistoryStats, width: Int = 60) -> String {
        var out = "\(stats.from) – \(stats.to) (\(stats.timeZone))\n\n"
        out += chart(stats, width: width)
        out += "\n"
        out += "date        ex  heat  mind  post | taken nat snz skip miss | sitting | pain\n"
        for day in stats.days {
            let kinds = HistoryStats.kinds.map { pad(wholeMinutes(day.sessionMinutes[$0]), 4) }
            let breaks = [day.breaks.taken, day.breaks.natural, day.breaks.snoozed, day.breaks.skipped, day.breaks.missed]
            let breakCells = zip(breaks, [5, 3, 3, 4, 4]).map { pad($0 == 0 ? "·" : String($0), $1) }
            let sitting = day.longestSittingMinutes.map(clock) ?? "–"
            let pain = day.painAverage.map { String(format: "%.1f", $0) } ?? "–"
            out += "\(day.date) \(kinds.joined(separator: "  ")) | \(breakCells.joined(separator: " ")) | \(pad(sitting, 7)) | \(pad(pain, 4))\n"
        }
        let b = stats.breaks
        out += "\ntotal: \(number(stats.totalMinutes)) min of sessions; breaks: \(b.taken) taken, \(b.natural) natural, \(b.snoozed) snoozed, \(b.skipped) skipped, \(b.missed) missed"
        if let pain = stats.painAverage { out += "; pain average \(String(format: "%.1f", pain))" }
        out += "\nstreak: \(stats.streakDays) day\(stats.streakDays == 1 ? "" : "s") with a completed session or a taken break\n"
        return out
    }

    /// Two rows of unicode blocks: session minutes (scaled to the busiest column) and pain
    /// (0–10; blank for no rating). Long periods are folded so that each column is several
    /// days (daily averages).
    public static func chart(_ stats: HistoryStats, width: Int = 60) -> String {
        let perColumn = max(1, (stats.days.count + width - 1) / max(1, width))
        var minutes: [Double] = []
        var pain: [Double?] = []
        var index = 0
        while index < stats.days.count {
            let slice = stats.days[index..<min(stats.days.count, index + perColumn)]
            minutes.append(slice.map(\.totalMinutes).reduce(0, +) / Double(slice.count))
            let ratings = slice.compactMap(\.painAverage)
            pain.append(ratings.isEmpty ? nil : ratings.reduce(0, +) / Double(ratings.count))
            index += perColumn
        }
        let top = minutes.max() ?? 0
        let minutesRow = minutes.map { value in top <= 0 ? " " : block(value / top) }.joined()
        let painRow = pain.map { value in value.map { block($0 / 10) } ?? " " }.joined()
        let scale = perColumn == 1 ? "one column a day" : "one column per \(perColumn) days"
        return "sessions │\(minutesRow)│ max \(wholeMinutes(top)) min/day\n"
            + "pain     │\(painRow)│ 0–10\n"
            + "           \(scale)\n"
    }

    /// `2026-11-29 14:03` in the calendar's time zone.
    public static func localTime(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    private static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A block for a fraction 0...1; zero gets the lowest block so a quiet day still shows.
    static func block(_ fraction: Double) -> String {
        let clamped = min(1, max(0, fraction))
        if clamped == 0 { return "_" }
        return String(blocks[min(blocks.count - 1, Int((clamped * Double(blocks.count)).rounded(.up)) - 1)])
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func wholeMinutes(_ value: Double?) -> String {
        guard let value, value > 0 else { return "·" }
        return String(Int(value.rounded()))
    }

    static func clock(_ minutes: Int) -> String {
        String(format: "%d:%02d", minutes / 60, minutes % 60)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
