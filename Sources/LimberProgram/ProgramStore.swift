import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProtocol

/// The program records in the history database: the run followed, its decisions, and the
/// evidence the engine reads. limber and limberd both use it; every call takes a `Database`
/// inside the caller's transaction.
public enum ProgramStore {
    /// The program being followed: the newest run still `active` or `completed` (a completed
    /// program stays shown until another is started or it is stopped).
    public static func current(_ db: Database) throws -> ProgramRunEntry? {
        try ProgramRunEntry.fetchOne(
            db, sql: "SELECT * FROM program_runs WHERE outcome IN ('active', 'completed') ORDER BY id DESC LIMIT 1")
    }

    /// Starts `program` today, stopping any program followed until now.
    public static func start(_ program: Program, at now: Date, calendar: Calendar, in db: Database) throws -> ProgramRunEntry {
        _ = try stop(at: now, in: db)
        var run = ProgramRunEntry(
            program: program.id, name: program.name, started: HistoryTime.iso8601(now),
            startDay: ProgramDay.label(day(of: now, calendar: calendar)))
        try run.insert(db)
        run.id = db.lastInsertedRowID
        return run
    }

    /// Stops the program followed, if any; returns it.
    public static func stop(at now: Date, in db: Database) throws -> ProgramRunEntry? {
        guard var run = try current(db) else { return nil }
        run.outcome = "stopped"
        run.ended = HistoryTime.iso8601(now)
        try run.update(db)
        return run
    }

    public static func decisions(of run: ProgramRunEntry, in db: Database) throws -> [ProgramDecision] {
        try ProgramDecisionEntry.fetchAll(
            db, sql: "SELECT * FROM program_decisions WHERE run = ? ORDER BY day", arguments: [run.id]
        ).compactMap { entry in
            guard let day = ProgramDay.number(entry.day), let kind = ProgramDecision.Kind(rawValue: entry.decision) else { return nil }
            return ProgramDecision(day: day, kind: kind, fromStage: entry.fromStage, toStage: entry.toStage, reason: entry.reason)
        }
    }

    /// The local day number of `date`.
    public static func day(of date: Date, calendar: Calendar) -> Int {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return Int(CivilDays.days(fromCivil: Int64(parts.year ?? 1970), Int64(parts.month ?? 1), Int64(parts.day ?? 1)))
    }

    /// Check-ins, guided sessions (with their `start --rate` ratings) and pain ratings from
    /// two weeks before `startDay` (the baseline and the first week's comparison need them).
    public static func evidence(from startDay: Int, in db: Database, calendar: Calendar) throws -> ProgramEvidence {
        let (year, month, date) = CivilDays.civil(fromDays: Int64(startDay - 14))
        let since = calendar.date(from: DateComponents(year: Int(year), month: Int(month), day: Int(date))) ?? Date.distantPast
        let low = HistoryTime.iso8601(since)
        func dayOf(_ time: String) -> Int? { HistoryTime.parse(time).map { day(of: $0, calendar: calendar) } }
        let checkins = try CheckinEntry.fetchAll(db, sql: "SELECT * FROM checkins WHERE time >= ? ORDER BY time", arguments: [low])
        let runs = try SessionRunEntry.fetchAll(db, sql: "SELECT * FROM session_runs WHERE started >= ? ORDER BY started", arguments: [low])
        let pain = try PainEntry.fetchAll(db, sql: "SELECT * FROM pain WHERE time >= ? ORDER BY time", arguments: [low])
        var evidence = ProgramEvidence()
        evidence.checkins = checkins.compactMap { entry in
            dayOf(entry.time).map { ProgramEvidence.Checkin(day: $0, pain: entry.pain, stiffness: entry.stiffness) }
        }
        evidence.sessions = HistoryReport.rate(runs, with: pain).compactMap { rated in
            dayOf(rated.run.started).map {
                ProgramEvidence.Session(day: $0, session: rated.run.session, completed: rated.run.outcome == "completed", painAfter: rated.after)
            }
        }
        evidence.ratings = pain.compactMap { entry in
            dayOf(entry.time).map { ProgramEvidence.Rating(day: $0, level: entry.level, flags: SymptomFlag.parse(column: entry.flags)) }
        }
        return evidence
    }

    /// Brings `run` up to `now`: makes the decisions due since the last recorded one, records
    /// them (a day already decided, by limberd or another limber, is kept as it is), marks a
    /// completed program, and returns where it stands.
    public static func evaluate(
        _ run: ProgramRunEntry, program: Program, at now: Date, calendar: Calendar, in db: Database
    ) throws -> ProgramState {
        guard let runID = run.id, let startDay = ProgramDay.number(run.startDay) else {
            throw DatabaseError(message: "program_runs row has no id or an unreadable start_day '\(run.startDay)'")
        }
        let today = day(of: now, calendar: calendar)
        let engine = ProgressionEngine(program: program)
        let recorded = try decisions(of: run, in: db)
        let evidence = try evidence(from: startDay, in: db, calendar: calendar)
        if run.outcome == "active" {
            for decision in engine.decisions(startDay: startDay, recorded: recorded, evidence: evidence, through: today) {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO program_decisions (run, day, decision, from_stage, to_stage, reason, time)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [runID, ProgramDay.label(decision.day), decision.kind.rawValue, decision.fromStage,
                                decision.toStage, decision.reason, HistoryTime.iso8601(now)])
            }
        }
        let all = try decisions(of: run, in: db)
        let position = engine.position(startDay: startDay, decisions: all)
        if position.completed, run.outcome == "active" {
            try db.execute(sql: "UPDATE program_runs SET outcome = 'completed', ended = ? WHERE id = ?",
                           arguments: [HistoryTime.iso8601(now), runID])
        }
        let stage = program.stages[position.stage]
        let planned = position.completed ? [] : stage.sessions(on: ProgressionEngine.weekday(ofDay: today))
        var completedToday = evidence.sessions.filter { $0.day == today && $0.completed }.map(\.session)
        let done = planned.filter { id in
            guard let index = completedToday.firstIndex(of: id) else { return false }
            completedToday.remove(at: index)
            return true
        }
        let sinceStage = today - position.stageStart
        let summaries = all.map {
            ProgramState.Decision(day: ProgramDay.label($0.day), decision: $0.kind.rawValue, fromStage: $0.fromStage, toStage: $0.toStage, reason: $0.reason)
        }
        return ProgramState(
            id: program.id, name: program.name, state: position.completed ? "completed" : "active",
            started: run.startDay, week: max(0, today - startDay) / 7 + 1, stage: position.stage,
            stages: program.stages.count, stageName: stage.name, stageStarted: ProgramDay.label(position.stageStart),
            today: planned, done: done,
            nextReview: position.completed ? nil : ProgramDay.label(today + 7 - ((sinceStage % 7) + 7) % 7),
            lastDecision: summaries.last, decisions: summaries,
            advice: ProgramAdvice.findings(startDay: startDay, through: today, evidence: evidence).map {
                ProgramState.Advice(rule: $0.rule, seen: $0.seen, advice: $0.advice)
            })
    }

    /// What can be said of a run whose program file cannot be read now.
    public static func unreadable(_ run: ProgramRunEntry, problem: String) -> ProgramState {
        ProgramState(
            id: run.program, name: run.name, state: run.outcome, started: run.startDay, week: 1, stage: 0, stages: 0,
            stageName: "", stageStarted: run.startDay, today: [], done: [], nextReview: nil, lastDecision: nil,
            decisions: nil, advice: [], problem: problem)
    }
}
