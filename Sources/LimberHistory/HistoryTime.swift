import Foundation
import LimberVocabulary

/// The history's timestamps: UTC ISO 8601 with milliseconds, `2026-11-29T14:03:07.250Z`.
///
/// Parsed by hand: stats over years of records parse tens of thousands of them, and the
/// fixed format makes that plain integer arithmetic.
public enum HistoryTime {
    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func iso8601(_ date: Date) -> String {
        let totalMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMs / 86_400_000
        var msOfDay = totalMs % 86_400_000
        if msOfDay < 0 {
            msOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = CivilDays.civil(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let millis = msOfDay % 1000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":" + pad(minute, 2)
            + ":" + pad(second, 2) + "." + pad(millis, 3) + "Z"
    }

    /// Parses the format ``iso8601(_:)`` writes (the milliseconds and the `Z` may be absent);
    /// nil for anything else.
    public static func parse(_ text: String) -> Date? {
        parseMilliseconds(text).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// Milliseconds since the Unix epoch for an ISO timestamp, or nil.
    public static func parseMilliseconds(_ text: String) -> Int64? {
        var utf8 = text.utf8.makeIterator()
        func number(_ digits: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<digits {
                guard let byte = utf8.next(), byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        func expect(_ character: UInt8) -> Bool { utf8.next() == character }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
            expect(0x54), let hour = number(2), expect(0x3A), let minute = number(2), expect(0x3A),
            let second = number(2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var millis: Int64 = 0
        switch utf8.next() {
        case nil, 0x5A:
            break
        case 0x2E:
            guard let value = number(3) else { return nil }
            millis = value
            let last = utf8.next()
            guard last == nil || last == 0x5A else { return nil }
        default:
            return nil
        }
        let days = CivilDays.days(fromCivil: year, month, day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
    }

    /// `YYYY-MM-DD` of the local day of `date` in `calendar`.
    public static func dateLabel(of date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return dateLabel(Int64(parts.year ?? 1970), Int64(parts.month ?? 1), Int64(parts.day ?? 1))
    }

    /// `YYYY-MM-DD`.
    public static func dateLabel(_ year: Int64, _ month: Int64, _ day: Int64) -> String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
