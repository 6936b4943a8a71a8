import Foundation

/// A day of the week as config files write it (`mon` … `sun`).
public enum Weekday: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Foundation's `Calendar` weekday number (1 = Sunday … 7 = Saturday).
    public var calendarWeekday: Int { self == .sun ? 1 : (Weekday.allCases.firstIndex(of: self) ?? 0) + 2 }

    public init?(calendarWeekday: Int) {
        switch calendarWeekday {
        case 1: self = .sun
        case 2...7: self = Weekday.allCases[calendarWeekday - 2]
        default: return nil
        }
    }

    var index: Int { Weekday.allCases.firstIndex(of: self) ?? 0 }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }

    /// `daily`, or day ranges and lists in week order (`mon-fri`, `mon,wed,fri`, `mon-wed,sat`).
    public static func text(_ days: Set<Weekday>) -> String {
        if days.count == 7 { return "daily" }
        var parts: [String] = []
        var run: [Weekday] = []
        func flush() {
            if run.count >= 3, let first = run.first, let last = run.last {
                parts.append("\(first.rawValue)-\(last.rawValue)")
            } else {
                parts += run.map(\.rawValue)
            }
            run = []
        }
        for day in Weekday.allCases {
            if days.contains(day) { run.append(day) } else { flush() }
        }
        flush()
        return parts.joined(separator: ",")
    }
}

/// A span of local time within one day, start before end.
public struct TimeSpan: Sendable, Codable, Hashable {
    public var start: LocalTime
    public var end: LocalTime

    public init(start: LocalTime, end: LocalTime) {
        self.start = start
        self.end = end
    }

    public var text: String { "\(start)-\(end)" }
}

/// One `working-hours` entry: `mon-fri 09:00-12:30,13:30-17:30`.
public struct WorkingHoursRule: Sendable, Codable, Hashable {
    public var days: Set<Weekday>
    public var spans: [TimeSpan]

    public init(days: Set<Weekday>, spans: [TimeSpan]) {
        self.days = days
        self.spans = spans
    }

    /// The entry as written in the config, normalised.
    public var text: String { "\(Weekday.text(days)) " + spans.map(\.text).joined(separator: ",") }
}

/// A problem in a working-hours or schedule entry, at a character offset inside it.
struct RuleTextError: Error {
    var offset: Int
    var message: String
}

/// Parsing of the day and time syntax shared by `working-hours` and `schedule`.
enum RuleText {
    /// Whitespace-separated words with their character offsets.
    static func words(_ text: String) -> [(word: String, offset: Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var start = 0
        for (offset, character) in text.enumerated() {
            if character == " " || character == "\t" {
                if !current.isEmpty { result.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { result.append((current, start)) }
        return result
    }

    /// `daily`, `every day`, `weekdays`, `weekends`, or a comma list of days and ranges.
    static func days(_ words: [(word: String, offset: Int)]) throws(RuleTextError) -> Set<Weekday> {
        let offset = words.first?.offset ?? 0
        let joined = words.map(\.word).joined(separator: " ").lowercased()
        switch joined {
        case "daily", "every day": return Set(Weekday.allCases)
        case "weekdays": return [.mon, .tue, .wed, .thu, .fri]
        case "weekends": return [.sat, .sun]
        default: break
        }
        guard words.count == 1, let only = words.first else {
            throw RuleTextError(offset: offset, message: "days are one word such as `mon-fri`, `mon,wed,fri` or `daily` (no spaces inside)")
        }
        var days: Set<Weekday> = []
        var position = only.offset
        for item in only.word.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            defer { position += item.count + 1 }
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            var parsed: [Weekday] = []
            var endOffset = position
            for end in ends {
                guard let day = Weekday(rawValue: String(end)) else {
                    let names = Weekday.allCases.map(\.rawValue) + ["daily", "weekdays", "weekends"]
                    throw RuleTextError(offset: endOffset,
                                        message: "unknown day '\(end)'\(DidYouMean.hint(for: String(end), in: names)): use mon, tue, wed, thu, fri, sat, sun, ranges such as mon-fri, or daily")
                }
                parsed.append(day)
                endOffset += end.count + 1
            }
            switch parsed.count {
            case 1: days.insert(parsed[0])
            case 2:
                // A range may wrap around the week end: `fri-mon`.
                var index = parsed[0].index
                while true {
                    days.insert(Weekday.allCases[index])
                    if index == parsed[1].index { break }
                    index = (index + 1) % 7
                }
            default:
                throw RuleTextError(offset: position, message: "'\(item)' is not a day or a range: write `mon` or `mon-fri`")
            }
        }
        return days
    }

    static func time(_ text: String, offset: Int, allowEndOfDay: Bool = false) throws(RuleTextError) -> LocalTime {
        guard let time = LocalTime.parse(text, allowEndOfDay: allowEndOfDay) else {
            throw RuleTextError(offset: offset, message: "'\(text)' is not a time: write 24-hour HH:MM, e.g. 09:00 or 17:30")
        }
        return time
    }

    /// `mon-fri 09:00-12:30,13:30-17:30`.
    static func workingHours(_ text: String) throws(RuleTextError) -> WorkingHoursRule {
        let words = words(text)
        guard words.count >= 2, let last = words.last else {
            throw RuleTextError(offset: 0, message: "write days then time spans, e.g. `mon-fri 09:00-12:30,13:30-17:30`")
        }
        let days = try days(Array(words.dropLast()))
        var spans: [TimeSpan] = []
        var position = last.offset
        for item in last.word.split(separator: ",", omittingEmptySubsequences: false) {
            defer { position += item.count + 1 }
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2 else {
                throw RuleTextError(offset: position, message: "'\(item)' is not a time span: write START-END, e.g. 09:00-12:30")
            }
            let start = try time(String(ends[0]), offset: position)
            let end = try time(String(ends[1]), offset: position + ends[0].count + 1, allowEndOfDay: true)
            guard start < end else {
                throw RuleTextError(offset: position, message: "'\(item)' ends before it starts: the end must be after the start on the same day (split a span past midnight into two days' spans)")
            }
            if let overlap = spans.first(where: { $0.start < end && start < $0.end }) {
                throw RuleTextError(offset: position, message: "'\(item)' overlaps \(overlap.text): merge them into one span")
            }
            spans.append(TimeSpan(start: start, end: end))
        }
        return WorkingHoursRule(days: days, spans: spans.sorted { $0.start < $1.start })
    }

    /// `mon,wed,fri 07:30 morning-mobility`.
    static func scheduled(_ text: String) throws(RuleTextError) -> ScheduledSession {
        let words = words(text)
        guard words.count >= 3 else {
            throw RuleTextError(offset: 0, message: "write days, a time and a session id, e.g. `mon,wed,fri 07:30 morning-mobility`")
        }
        let session = words[words.count - 1]
        let timeWord = words[words.count - 2]
        let days = try days(Array(words.dropLast(2)))
        let time = try time(timeWord.word, offset: timeWord.offset)
        return ScheduledSession(days: days, time: time, session: session.word)
    }
}
