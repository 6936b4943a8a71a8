/// A local wall-clock time of day, minute precision; `24:00` is allowed only as an end.
public struct LocalTime: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    public var minutesOfDay: Int { hour * 60 + minute }
    public var description: String { (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }
    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutesOfDay < b.minutesOfDay }

    /// Reads `HH:MM` (also `H:MM`); `24:00` only when `allowEndOfDay`.
    public static func parse(_ text: String, allowEndOfDay: Bool = false) -> LocalTime? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        if hour == 24 && minute == 0 && allowEndOfDay { return LocalTime(hour: 24, minute: 0) }
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return LocalTime(hour: hour, minute: minute)
    }
}
