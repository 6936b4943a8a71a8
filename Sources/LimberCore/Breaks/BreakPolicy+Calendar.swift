import Foundation

/// Working-hour windows and local-date arithmetic, all through `Calendar` so that DST days
/// have their real length (23 or 25 hours).
extension BreakPolicy {
    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
    static func ms(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// `2026-03-29`, the local date of an instant.
    func dayKey(_ ms: Int64) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: Self.date(ms))
        let month = parts.month ?? 0, day = parts.day ?? 0
        return "\(parts.year ?? 0)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    func startOfDay(_ ms: Int64) -> Int64 { Self.ms(calendar.startOfDay(for: Self.date(ms))) }

    /// The start of the local day after the one containing `ms`.
    func startOfNextDay(_ ms: Int64) -> Int64 {
        let start = calendar.startOfDay(for: Self.date(ms))
        guard let next = calendar.date(byAdding: .day, value: 1, to: start) else { return ms + 86_400_000 }
        return Self.ms(calendar.startOfDay(for: next))
    }

    /// The instant of a local time on the day starting at `dayStart`; 24:00 is the next midnight.
    func instant(_ time: LocalTime, onDayStarting dayStart: Int64) -> Int64 {
        if time.hour == 24 { return startOfNextDay(dayStart) }
        let date = calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: Self.date(dayStart))
        return date.map(Self.ms) ?? dayStart + Int64(time.minutesOfDay) * 60_000
    }

    func weekday(ofDayStarting dayStart: Int64) -> Weekday {
        Weekday(calendarWeekday: calendar.component(.weekday, from: Self.date(dayStart))) ?? .mon
    }

    /// The working windows of the day starting at `dayStart`, merged and in order.
    func workingWindows(dayStart: Int64) -> [(start: Int64, end: Int64)] {
        let weekday = weekday(ofDayStarting: dayStart)
        var windows: [(start: Int64, end: Int64)] = []
        for rule in config.workingHours where rule.days.contains(weekday) {
            for span in rule.spans {
                windows.append((instant(span.start, onDayStarting: dayStart), instant(span.end, onDayStarting: dayStart)))
            }
        }
        windows.sort { $0.start < $1.start }
        var merged: [(start: Int64, end: Int64)] = []
        for window in windows where window.end > window.start {
            if let last = merged.last, window.start <= last.end {
                merged[merged.count - 1].end = max(last.end, window.end)
            } else {
                merged.append(window)
            }
        }
        return merged
    }

    /// Days searched ahead for a working window or scheduled session before giving up.
    static let searchDays = 14

    /// Pieces of working time in [from, to) (to nil: open-ended, up to ``searchDays``), in order.
    func workingPieces(from: Int64, to: Int64?) -> [(start: Int64, end: Int64)] {
        if config.workingHours.isEmpty {
            return [(from, to ?? Int64.max)]
        }
        var pieces: [(start: Int64, end: Int64)] = []
        var dayStart = startOfDay(from)
        for _ in 0...Self.searchDays {
            if let to, dayStart >= to { break }
            for window in workingWindows(dayStart: dayStart) {
                let start = max(window.start, from)
                let end = to.map { min(window.end, $0) } ?? window.end
                if end > start { pieces.append((start, end)) }
            }
            dayStart = startOfNextDay(dayStart)
        }
        return pieces
    }

    /// Whether `ms` falls inside working hours.
    func isWorking(_ ms: Int64) -> Bool {
        if config.workingHours.isEmpty { return true }
        return workingWindows(dayStart: startOfDay(ms)).contains { $0.start <= ms && ms < $0.end }
    }
}
