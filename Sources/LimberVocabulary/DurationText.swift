/// Durations as users write them in scripts and on the command line: `45s`, `1m30s`,
/// `500ms`, `1h30m`, parsed to and formatted from integer milliseconds.
///
/// Components go from the largest unit to the smallest, each at most once
/// (`1h`, `m`, `s`, `ms`). A bare number has no unit and is rejected, because
/// "30" could mean seconds or minutes and guessing wrong is worse than asking.
public enum DurationText {
    /// The longest duration accepted anywhere: 24 hours.
    public static let maximumMs: Int64 = 24 * 3_600_000

    /// Why a duration could not be read; `message` names the fix.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Code: String, Sendable, Hashable {
            case empty, bareNumber, notPositive, badSyntax, unknownUnit, unitOrder, tooLong
        }
        public var code: Code
        public var message: String
        public var description: String { message }
    }

    private static let units: [(name: String, ms: Int64)] = [
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses `45s`, `2m`, `1m30s`, `1h`, `500ms`, `1m30s500ms` to milliseconds.
    ///
    /// Returns a positive value of at most ``maximumMs``.
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty {
            throw ParseError(code: .empty, message: "empty duration: write one such as 45s, 2m or 1m30s")
        }
        if trimmed.hasPrefix("-") {
            throw ParseError(code: .notPositive, message: "'\(trimmed)' is negative: durations must be positive, e.g. 45s")
        }
        let bytes = Array(trimmed.utf8)
        if bytes.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }) {
            let example = bytes.allSatisfy(isDigit) ? "\(trimmed)s" : "45s"
            throw ParseError(code: .bareNumber, message: "'\(trimmed)' is a bare number: add a unit, e.g. \(example)")
        }
        var index = 0
        var total: Int64 = 0
        var lastUnitRank = -1
        while index < bytes.count {
            let numberStart = index
            var value: Int64 = 0
            var overflow = false
            while index < bytes.count, isDigit(bytes[index]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                value = sum
                index += 1
            }
            if index == numberStart {
                throw ParseError(code: .badSyntax, message: "'\(trimmed)' is not a duration: write a number then a unit (h, m, s, ms), e.g. 1m30s")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                throw ParseError(code: .badSyntax, message: "'\(trimmed)' has a fraction: use whole numbers of smaller units, e.g. 1m30s or 1s500ms")
            }
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            if unit.isEmpty {
                throw ParseError(code: .bareNumber, message: "'\(trimmed)' ends with a bare number: add a unit, e.g. \(trimmed)s")
            }
            guard let rank = units.firstIndex(where: { $0.name == unit }) else {
                throw ParseError(code: .unknownUnit, message: "unknown unit '\(unit)' in '\(trimmed)': use h, m, s or ms, e.g. 1m30s")
            }
            if rank <= lastUnitRank {
                throw ParseError(code: .unitOrder, message: "'\(trimmed)': write each unit once, from largest to smallest (h, m, s, ms), e.g. 1h30m or 1m30s")
            }
            lastUnitRank = rank
            let (part, o3) = value.multipliedReportingOverflow(by: units[rank].ms)
            let (sum, o4) = total.addingReportingOverflow(part)
            if overflow || o3 || o4 || sum > maximumMs {
                throw ParseError(code: .tooLong, message: "'\(trimmed)' is longer than 24h, the longest duration allowed")
            }
            total = sum
        }
        if total == 0 {
            throw ParseError(code: .notPositive, message: "'\(trimmed)' is zero: durations must be positive, e.g. 45s")
        }
        return total
    }

    /// Formats milliseconds for display, in a form ``parse(_:)`` reads back:
    /// `45s`, `1m30s`, `500ms`, `1h02m`, `2m05s`, `1s250ms`.
    public static func format(_ milliseconds: Int64) -> String {
        if milliseconds <= 0 { return milliseconds == 0 ? "0s" : "-" + format(-max(milliseconds, -Int64.max)) }
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let seconds = milliseconds / 1_000 % 60
        let millis = milliseconds % 1_000
        var text = ""
        var higher = false
        func append(_ value: Int64, _ unit: String) {
            if higher && unit != "ms" && value < 10 { text += "0" }
            text += "\(value)\(unit)"
            higher = true
        }
        if hours > 0 { append(hours, "h") }
        if minutes > 0 || (hours > 0 && seconds > 0) { append(minutes, "m") }
        if seconds > 0 { append(seconds, "s") }
        if millis > 0 { append(millis, "ms") }
        return text
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    package func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        guard let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
