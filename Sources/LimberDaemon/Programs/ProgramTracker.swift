import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProgram
import LimberProtocol
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The program being followed, for `status`: read from the history database, where
/// `limber program start` records it, so that it survives a restart and kill -9 as the
/// history does.
///
/// `status` is asked every second by status bars, so the answer is cached: it is worked
/// out again only when another connection has committed to the database (`PRAGMA
/// data_version` moves: a check-in, a rating, a session, a program started or stopped) or
/// the local day has changed. Working it out records the decisions due, as `limber today`
/// does (a day decided twice keeps the first record). Asking SQLite is a transaction with
/// its file locks, so it is asked only when the database's files have changed since the
/// last answer (every commit in WAL mode writes the `-wal` file), one `stat` of each, or
/// when the answer is ten seconds old. `status` itself may take an answer checked in the last
/// ``statusReuse`` without a `stat` (a status bar polling in a loop, or a script, asks far
/// more often than anybody commits); the break scheduler always checks.
public final class ProgramTracker: Sendable {
    private struct State {
        var database: DatabaseQueue?
        var version: Int?
        var day: Int?
        var cached: ProgramState?
        /// The database files as they were when `cached` was last confirmed, and when.
        var files: [FileStamp?]?
        var confirmed: ContinuousClock.Instant?
        /// When the files were last compared (or SQLite asked).
        var checked: ContinuousClock.Instant?
        var warned = false
    }

    /// How old an answer `status` takes as it is: what it may lag behind a commit of another
    /// process (`limber program start` tells the daemon, which asks afresh at once).
    public static let statusReuse: Duration = .milliseconds(100)

    /// What a commit changes in a file's metadata.
    struct FileStamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: timespec

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }

        /// The stamp of `path`, nil when it does not exist.
        static func of(_ path: String) -> FileStamp? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileStamp(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: info.st_mtim)
        }
    }

    private var fileStamps: [FileStamp?] {
        [FileStamp.of(historyPath), FileStamp.of(historyPath + "-wal")]
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
    ///
    /// - Parameter reuse: an answer whose files were checked less than this long ago is
    ///   returned as it is (``statusReuse`` for `status`).
    public func state(now: Date = Date(), calendar: Calendar = .current, reuse: Duration = .zero) -> ProgramState? {
        state.withLock { state -> ProgramState? in
            let asked = ContinuousClock.now
            if reuse > .zero, state.database != nil, let checked = state.checked, checked.duration(to: asked) < reuse {
                return state.cached
            }
            defer { state.checked = asked }
            do {
                let database: DatabaseQueue
                if let open = state.database {
                    database = open
                } else {
                    database = try HistoryDatabase.openForWriting(path: historyPath)
                    state.database = database
                }
                let today = ProgramStore.day(of: now, calendar: calendar)
                let files = fileStamps
                // A file's times have the kernel's tick (a few ms), and a WAL file restarts at
                // its beginning: two commits could leave the same stamp. So SQLite is asked
                // anyway once the answer is ten seconds old.
                if files == state.files, today == state.day, let confirmed = state.confirmed,
                    confirmed.duration(to: asked) < .seconds(10)
                {
                    return state.cached
                }
                let version = try database.read { try Int.fetchOne($0, sql: "PRAGMA data_version") }
                if version == state.version, today == state.day {
                    state.files = files
                    state.confirmed = asked
                    return state.cached
                }
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
                // Our own commit (the decisions recorded) may have changed the files: the next
                // answer asks data_version again, and stamps the files then.
                state.files = nil
                state.warned = false
                return result
            } catch {
                if let failed = state.database { RetiredConnections.retire(failed) }
                state.database = nil
                state.files = nil
                if !state.warned {
                    state.warned = true
                    logger.warning("cannot read the program from the history database: \(HistoryError.from(error, path: historyPath).message)")
                }
                return nil
            }
        }
    }
}
