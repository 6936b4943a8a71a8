import Foundation
import GRDB

/// Reads the history for `limber stats` and `limber history`: queries only, any connection
/// (read-only is enough, and safe while limberd writes: WAL readers see the last commit).
public enum HistoryReader {
    /// The records whose time falls in `[from, to)`, plus the activity times the streak up
    /// to `today` needs (local days of `calendar`).
    public static func snapshot(
        _ db: Database, from: Date, to: Date, today: Date, calendar: Calendar
    ) throws -> HistorySnapshot {
        let low = HistoryTime.iso8601(from)
        let high = HistoryTime.iso8601(to)
        let runs = try SessionRunEntry.fetchAll(
            db, sql: "SELECT * FROM session_runs WHERE started >= ? AND started < ? ORDER BY started", arguments: [low, high])
        let breaks = try BreakEntry.fetchAll(
            db, sql: "SELECT * FROM breaks WHERE due >= ? AND due < ? ORDER BY due", arguments: [low, high])
        let pain = try PainEntry.fetchAll(
            db, sql: "SELECT * FROM pain WHERE time >= ? AND time < ? ORDER BY time", arguments: [low, high])
        // Completed sessions and taken breaks, newest first, merged from two backward index
        // scans and read only as far as the streak walk asks (it stops at the first empty day).
        var activity: [String] = []
        let sessions = try String.fetchCursor(
            db, sql: "SELECT started FROM session_runs WHERE started < ? AND outcome = 'completed' ORDER BY started DESC",
            arguments: [high])
        let takenBreaks = try String.fetchCursor(
            db, sql: "SELECT due FROM breaks WHERE due < ? AND outcome = 'taken' ORDER BY due DESC", arguments: [high])
        var sessionHead = try sessions.next()
        var breakHead = try takenBreaks.next()
        _ = try HistoryStats.streak(today: today, calendar: calendar) { () throws -> Int64? in
            let newest: String
            if let session = sessionHead, session >= breakHead ?? "" {
                newest = session
                sessionHead = try sessions.next()
            } else if let taken = breakHead {
                newest = taken
                breakHead = try takenBreaks.next()
            } else {
                return nil
            }
            activity.append(newest)
            return HistoryTime.parseMilliseconds(newest) ?? 0
        }
        let programs = try ProgramPeriod.read(
            db, from: low, to: high, firstDay: HistoryTime.dateLabel(of: from, calendar: calendar),
            lastDay: HistoryTime.dateLabel(of: to.addingTimeInterval(-1), calendar: calendar))
        return HistorySnapshot(runs: runs, breaks: breaks, pain: pain, activity: activity, programs: programs)
    }

    /// The newest `limit` records of every type, newest first.
    public static func recent(_ db: Database, limit: Int) throws -> [HistoryItem] {
        let runs = try SessionRunEntry.fetchAll(db, sql: "SELECT * FROM session_runs ORDER BY started DESC, id DESC LIMIT ?", arguments: [limit])
        let breaks = try BreakEntry.fetchAll(db, sql: "SELECT * FROM breaks ORDER BY due DESC, id DESC LIMIT ?", arguments: [limit])
        let pain = try PainEntry.fetchAll(db, sql: "SELECT * FROM pain ORDER BY time DESC, id DESC LIMIT ?", arguments: [limit])
        let items = runs.map(HistoryItem.run) + breaks.map(HistoryItem.breakEntry) + pain.map(HistoryItem.pain)
        return Array(items.sorted { $0.time > $1.time }.prefix(limit))
    }
}

/// One record of any type, for listing.
public enum HistoryItem: Sendable, Hashable, Encodable {
    case run(SessionRunEntry)
    case breakEntry(BreakEntry)
    case pain(PainEntry)

    /// When it happened: a run's start, a break's due time, a rating's time.
    public var time: String {
        switch self {
        case .run(let entry): entry.started
        case .breakEntry(let entry): entry.due
        case .pain(let entry): entry.time
        }
    }

    /// `session`, `break` or `pain`.
    public var type: String {
        switch self {
        case .run: "session"
        case .breakEntry: "break"
        case .pain: "pain"
        }
    }

    private enum TypeKey: String, CodingKey { case type }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .run(let entry): try entry.encode(to: encoder)
        case .breakEntry(let entry): try entry.encode(to: encoder)
        case .pain(let entry): try entry.encode(to: encoder)
        }
    }

    /// One line for the terminal.
    public func line(calendar: Calendar) -> String {
        let when = HistoryTime.parse(time).map { HistoryText.localTime($0, calendar: calendar) } ?? time
        switch self {
        case .run(let entry):
            let minutes = String(format: "%.1f", Double(entry.actualMs) / 60_000)
            var text = "\(when)  session  \(entry.session) (\(entry.kind)) \(entry.outcome), \(minutes) min, \(entry.stepsCompleted)/\(entry.steps) steps"
            if let reason = entry.reason { text += " (\(reason))" }
            if let note = SessionRunEntry.outcomeNotes[entry.outcome] { text += " (\(note))" }
            return text
        case .breakEntry(let entry):
            var text = "\(when)  break    \(entry.kind.rawValue) \(entry.outcome.rawValue)"
            if let source = entry.source { text += " (\(source))" }
            if entry.snoozeCount > 0 { text += ", snoozed \(entry.snoozeCount)×" }
            return text
        case .pain(let entry):
            var text = "\(when)  pain     \(entry.level)/10"
            if let area = entry.area { text += " \(area)" }
            if let session = entry.session, let moment = entry.moment { text += " (\(moment.rawValue) \(session))" }
            if let note = entry.note { text += " — \(note)" }
            return text
        }
    }
}
