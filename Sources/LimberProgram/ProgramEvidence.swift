import LimberHistory
import LimberVocabulary

/// What the progression rules read, by local day number (days since 1970-01-01): morning
/// check-ins, guided sessions with the pain rated after them, and the pain log.
public struct ProgramEvidence: Sendable, Hashable {
    public struct Checkin: Sendable, Hashable {
        public var day: Int
        public var pain: Int
        public var stiffness: Int
        public init(day: Int, pain: Int, stiffness: Int) {
            self.day = day
            self.pain = pain
            self.stiffness = stiffness
        }
    }

    public struct Session: Sendable, Hashable {
        public var day: Int
        public var session: String
        public var completed: Bool
        /// The `limber start --rate` rating asked as it ended: the pain during it.
        public var painAfter: Int?
        public init(day: Int, session: String, completed: Bool, painAfter: Int? = nil) {
            self.day = day
            self.session = session
            self.completed = completed
            self.painAfter = painAfter
        }
    }

    public struct Rating: Sendable, Hashable {
        public var day: Int
        public var level: Int
        public var flags: [SymptomFlag]
        public init(day: Int, level: Int, flags: [SymptomFlag] = []) {
            self.day = day
            self.level = level
            self.flags = flags
        }
    }

    /// In time order; the first check-in of a day is its morning check-in.
    public var checkins: [Checkin]
    public var sessions: [Session]
    /// Every pain-log rating (check-ins are not repeated here).
    public var ratings: [Rating]

    public init(checkins: [Checkin] = [], sessions: [Session] = [], ratings: [Rating] = []) {
        self.checkins = checkins
        self.sessions = sessions
        self.ratings = ratings
    }

    /// The morning check-in of `day`, if any.
    func morning(_ day: Int) -> Checkin? { checkins.first { $0.day == day } }

    /// Morning check-ins of the days in `range`, one per day.
    func mornings(_ range: Range<Int>) -> [Checkin] { range.compactMap(morning) }

    func completed(on day: Int) -> [Session] { sessions.filter { $0.day == day && $0.completed } }
}

/// Local day numbers and their labels.
public enum ProgramDay {
    /// `YYYY-MM-DD` of a day number.
    public static func label(_ day: Int) -> String {
        let (year, month, date) = CivilDays.civil(fromDays: Int64(day))
        return HistoryTime.dateLabel(year, month, date)
    }

    /// The day number of `YYYY-MM-DD`.
    public static func number(_ label: String) -> Int? {
        guard let parts = HistoryDate.parts(label) else { return nil }
        return Int(CivilDays.days(fromCivil: Int64(parts.year), Int64(parts.month), Int64(parts.day)))
    }

    /// `3 Dec`.
    public static func short(_ day: Int) -> String { HistoryDate.short(label(day)) }
}
