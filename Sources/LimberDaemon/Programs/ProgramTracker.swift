import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProgram
import LimberProtocol
import Logging
import Synchronization

/// The program being followed, for `status`: read from the history database, where
/// `limber program start` records it, so that it survives a restart and kill -9 as the
/// history does.
///
/// `status` is asked every second by status bars, so the answer is cached: it is worked
/// out again only when another connection has committed to the database (`PRAGMA
/// data_version` moves: a check-in, a rating, a session, a program started or stopped) or
/// the local day has changed. Working it out records the decisions due, as `limber today`
/// does (a day decided twice keeps the first record).
public final class ProgramTracker: Sendable {
    private struct State {
        var database: DatabaseQueue?
        var version: Int?
        var day: Int?
        var cached: ProgramState?
        var warned = false
    }

    let historyPath: String
    let programs: ProgramLibrary
    let logger: Logger
    private let state = Mutex(State())

    public init(historyPath: String, programs: ProgramLibrary, logger: Logger) {
        self.historyPath = historyPath
        self.programs = programs
        self.logger = logger
    }

    /// The program's state now, nil when none is followed (or the database cannot be read).
    public func state(now: Date = Date(), calendar: Calendar = .current) -> ProgramState? {
        state.withLock { state in
            do {
                let database: DatabaseQueue
                if let open = state.database {
                    database = open
                } else {
                    database = try HistoryDatabase.openForWriting(path: historyPath)
                    state.database = database
                }
                let today = ProgramStore.day(of: now, calendar: calendar)
                let version = try database.read { try Int.fetchOne($0, sql: "PRAGMA data_version") }
                if version == state.version, today == state.day { return state.cached }
                let result = try database.write { db -> ProgramState? in
                    guard let run = try ProgramStore.current(db) else { return nil }
                    let loaded = programs.load(id: run.program)
                    guard let program = loaded.program else {
                        let problem = loaded.diagnostics.map(\.description).joined(separator: "; ")
                        return ProgramStore.unreadable(run, problem: problem)
                    }
                    var result = try ProgramStore.evaluate(run, program: program, at: now, calendar: calendar, in: db)
                    result.decisions = nil
                    return result
                }
                state.version = version
                state.day = today
                state.cached = result
                state.warned = false
                return result
            } catch {
                state.database = nil
                if !state.warned {
                    state.warned = true
                    logger.warning("cannot read the program from the history database: \(HistoryError.from(error, path: historyPath).message)")
                }
                return nil
            }
        }
    }
}
