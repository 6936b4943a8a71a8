import ArgumentParser
import LimberClient
import Foundation
import GRDB
import LimberHistory

/// `--state-dir`, shared by the commands that use the history database directly.
struct HistoryLocation: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "limberd's state directory, holding history.sqlite.",
            discussion: "Default: $XDG_STATE_HOME/limber, else ~/.local/state/limber (as limberd).",
            valueName: "dir"))
    var stateDirectory: String?

    var path: String {
        HistoryDatabase.path(stateDirectory: stateDirectory ?? HistoryDatabase.defaultStateDirectory())
    }

    /// The database opened read-only, or nil after printing "no history yet".
    func openForReading() throws -> DatabaseQueue? {
        do {
            guard let queue = try HistoryDatabase.openForReading(path: path) else {
                print("no history yet (\(path) does not exist): run a session or `limber log pain N`")
                return nil
            }
            return queue
        } catch {
            Output.fail(error.message)
            throw ExitCode.problem
        }
    }

    /// Reads from `queue`, turning a database error into a message and exit status 1.
    func read<T>(_ queue: DatabaseQueue, _ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch {
            Output.fail(HistoryError.from(error, path: path).message)
            throw ExitCode.problem
        }
    }

    /// Writes pain ratings, turning a database error into a message and exit status 1.
    func append(_ records: [HistoryRecord]) throws {
        do {
            try HistoryDatabase.append(records, path: path)
        } catch {
            Output.fail(error.message)
            throw ExitCode.problem
        }
    }
}

/// The days `--days N` or `--since DATE` cover, up to today (local days, `TZ`): shared by
/// `stats` and `report`, so that both mean the same period.
struct HistoryPeriod {
    let calendar = Calendar.current
    let now = Date()
    /// Local midnight of the first day and of today.
    let first: Date
    let today: Date

    init(days: Int?, since: String?, defaultDays: Int) {
        today = calendar.startOfDay(for: now)
        var first = calendar.date(byAdding: .day, value: -((days ?? defaultDays) - 1), to: today) ?? today
        if let since, let day = Self.day(since) { first = min(day, today) }
        self.first = first
    }

    /// The records of the period (and what the streak needs).
    func snapshot(_ db: Database) throws -> HistorySnapshot {
        let end = calendar.date(byAdding: .day, value: 1, to: today) ?? now
        return try HistoryReader.snapshot(db, from: first, to: end, today: now, calendar: calendar)
    }

    /// The usage errors of `--days` and `--since`.
    static func validate(days: Int?, since: String?) throws {
        if days != nil && since != nil { throw ValidationError("use either --days or --since, not both") }
        if let days, !(1...36_600).contains(days) { throw ValidationError("--days takes a number from 1 to 36600") }
        if let since, day(since) == nil {
            throw ValidationError("--since takes a date as YYYY-MM-DD, e.g. --since 2026-11-01")
        }
    }

    /// `YYYY-MM-DD` of `date`, local.
    static func label(_ date: Date, calendar: Calendar = .current) -> String {
        HistoryTime.dateLabel(of: date, calendar: calendar)
    }

    /// Local midnight of `YYYY-MM-DD`.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let calendar = Calendar.current
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }
}

extension Limber {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an entry to the history.", subcommands: [Pain.self])
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Daily statistics: session minutes, breaks, longest sitting stretch, pain.",
            discussion: """
                Reads the history database directly (read-only; works with limberd stopped or \
                running). Days are local (TZ). Longest sitting: the longest time from a reset of \
                the sitting clock (a movement break taken or natural, a completed session other \
                than heat) or the day's first movement-break record to a later record before the \
                next reset — a lower bound, see docs/history.md. Streak: consecutive days up to \
                today with a completed session or a taken break.
                """)

        @OptionGroup var location: HistoryLocation

        @Option(help: ArgumentHelp("The last N days, today included (default 14).", valueName: "n"))
        var days: Int?

        @Option(help: ArgumentHelp("From this day to today.", valueName: "yyyy-mm-dd"))
        var since: String?

        @Flag(help: "Print JSON.")
        var json = false

        @Flag(help: "Print CSV, one row per day.")
        var csv = false

        func validate() throws {
            try HistoryPeriod.validate(days: days, since: since)
            if json && csv { throw ValidationError("use either --json or --csv, not both") }
        }

        func run() throws {
            guard let queue = try location.openForReading() else { return }
            let period = HistoryPeriod(days: days, since: since, defaultDays: 14)
            let snapshot = try location.read(queue) { try period.snapshot($0) }
            let stats = HistoryStats.compute(snapshot, first: period.first, last: period.today, today: period.now, calendar: period.calendar)
            if json {
                Output.write(try HistoryText.json(stats) + Data([0x0A]))
            } else if csv {
                Output.write(Data(HistoryText.csv(stats).utf8))
            } else {
                Output.write(Data(HistoryText.report(stats).utf8))
                // The report's see-a-professional findings over the same days, red flags included.
                let advice = HistoryReport.make(
                    snapshot, first: period.first, last: period.today, today: period.now, calendar: period.calendar
                ).advice
                for finding in advice { print("See a professional: \(finding.seen) \(finding.advice)") }
                if !advice.isEmpty { print("This is advice from your records, not a diagnosis.") }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the raw history records, newest first.",
            discussion: "Session runs, breaks and pain ratings, read directly from the database (works with limberd stopped).")

        @OptionGroup var location: HistoryLocation

        @Option(help: ArgumentHelp("How many records (default 20).", valueName: "n"))
        var limit = 20

        @Flag(help: "Print a JSON array; each record has a `type`: session, break or pain.")
        var json = false

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit takes a positive number") }
        }

        func run() throws {
            guard let queue = try location.openForReading() else { return }
            let items = try location.read(queue) { try HistoryReader.recent($0, limit: limit) }
            if json {
                try Output.json(items)
                return
            }
            if items.isEmpty { print("no history yet: run a session or `limber log pain N`") }
            for item in items { print(item.line(calendar: .current)) }
        }
    }
}

extension Limber.Log {
    struct Pain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record how much pain you feel now, 0 (none) to 10 (worst).",
            discussion: "Writes the history database directly, so it works whether or not limberd is running.")

        @OptionGroup var location: HistoryLocation

        @Argument(help: ArgumentHelp("Pain from 0 (none) to 10 (worst imaginable).", valueName: "level"))
        var level: Int

        @Option(help: ArgumentHelp("A note, e.g. \"after gardening\".", valueName: "text"))
        var note: String?

        @Option(help: ArgumentHelp("Where, e.g. lower-back, neck.", valueName: "area"))
        var area: String?

        @Option(
            name: .customLong("flag"),
            help: ArgumentHelp(
                "A red-flag symptom with the pain (repeatable): numbness, weakness, bladder-bowel, fever, fall.",
                discussion: "Any of these leads to see-a-professional advice in `limber today`, `stats` and the report, and stops a program from advancing.",
                valueName: "symptom"))
        var flags: [String] = []

        func validate() throws {
            if !PainEntry.levels.contains(level) { throw ValidationError("pain is a number from 0 (none) to 10 (worst); got \(level)") }
            for flag in flags where SymptomFlag(rawValue: flag) == nil {
                throw ValidationError("unknown --flag '\(flag)': use \(SymptomFlag.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            let symptoms = flags.compactMap(SymptomFlag.init(rawValue:))
            let entry = PainEntry(
                level: level, note: note, area: area, time: HistoryTime.iso8601(Date()), flags: SymptomFlag.column(symptoms))
            try location.append([.pain(entry)])
            print("recorded pain \(level)/10" + (area.map { " (\($0))" } ?? ""))
            if !symptoms.isEmpty, let finding = RedFlagSymptoms().findings(
                in: AdviceInput(weeks: [], flags: [FlaggedRating(day: HistoryPeriod.label(Date()), flags: symptoms)])).first
            {
                print("See a professional: \(finding.advice)")
            }
        }
    }
}
