#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Wall-clock timestamps as events and records carry them.
public enum WallTime {
    /// `2026-11-29T14:03:07.250Z`: UTC, millisecond precision.
    public static func iso8601(_ date: Date = Date()) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var millis = Int(((seconds - Double(whole)) * 1000).rounded())
        if millis >= 1000 {
            whole += 1
            millis -= 1000
        }
        var parts = tm()
        gmtime_r(&whole, &parts)
        // Built by hand: String(format:) goes through CoreFoundation, and events are hot.
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, digits: Int) {
            let number = String(value)
            text += String(repeating: "0", count: max(0, digits - number.count)) + number
        }
        append(Int(parts.tm_year) + 1900, digits: 4)
        text += "-"
        append(Int(parts.tm_mon) + 1, digits: 2)
        text += "-"
        append(Int(parts.tm_mday), digits: 2)
        text += "T"
        append(Int(parts.tm_hour), digits: 2)
        text += ":"
        append(Int(parts.tm_min), digits: 2)
        text += ":"
        append(Int(parts.tm_sec), digits: 2)
        text += "."
        append(millis, digits: 3)
        return text + "Z"
    }
}
