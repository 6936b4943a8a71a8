import Foundation

/// Local day labels (`YYYY-MM-DD`, as ``DayStats/date`` has them) in words, for reports:
/// `3 Nov 2026`, `3–9 Nov 2026`. English, day-month-year, no locale lookups.
public enum HistoryDate {
    /// `Jan` … `Dec`.
    public static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// `(year, month, day)` of `YYYY-MM-DD`, or nil.
    public static func parts(_ label: String) -> (year: Int, month: Int, day: Int)? {
        let fields = label.split(separator: "-")
        guard fields.count == 3, let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return (year, month, day)
    }

    /// `3 Nov`; the label itself if it is not a date.
    public static func short(_ label: String) -> String {
        guard let date = parts(label) else { return label }
        return "\(date.day) \(months[date.month - 1])"
    }

    /// `3 Nov 2026`.
    public static func medium(_ label: String) -> String {
        guard let date = parts(label) else { return label }
        return "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// `3 November 2026`.
    public static func long(_ label: String) -> String {
        guard let date = parts(label) else { return label }
        return "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// `3–9 Nov 2026`, `28 Oct – 3 Nov 2026`, `29 Dec 2025 – 4 Jan 2026`; one day alone is
    /// `3 Nov 2026`.
    public static func range(_ from: String, _ to: String) -> String {
        guard let first = parts(from), let last = parts(to) else { return "\(from) – \(to)" }
        if from == to { return medium(from) }
        if first.year != last.year { return "\(medium(from)) – \(medium(to))" }
        if first.month != last.month { return "\(short(from)) – \(medium(to))" }
        return "\(first.day)–\(last.day) \(months[last.month - 1]) \(last.year)"
    }
}
