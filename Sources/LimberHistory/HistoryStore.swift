import Foundation
import GRDB
import Synchronization

/// limberd's one connection to the history database, shared by the queued writer and the
/// durable writes, and what it must remember between writes.
///
/// Opening it the first time also settles what the last daemon left open: runs still
/// `running` belong to sessions that a kill -9, a crash or a power cut cut short, and become
/// `interrupted` with the progress of their last checkpoint.
final class HistoryStore: Sendable {
    private struct State {
        var database: DatabaseQueue?
        /// Rows of this daemon's runs, by the runner's key.
        var runRows: [UInt64: Int64] = [:]
        var recovered = false
    }

    /// What a write did besides writing.
    struct Opened: Sendable, Hashable {
        /// Runs of an earlier daemon just marked interrupted (on the first open only).
        var interrupted = 0
    }

    let path: String
    private let state = Mutex(State())

    init(path: String) {
        self.path = path
    }

    /// Opens the database unless it is open.
    func open() throws(HistoryError) -> Opened {
        try withOpenDatabase { _, _ in }
    }

    /// Writes `records` in one transaction, opening the database first if needed. After a
    /// failure the connection is closed and retired (``RetiredConnections``), so the next
    /// attempt opens the file afresh (it may have been fixed or replaced meanwhile).
    func write(_ records: [HistoryRecord]) throws(HistoryError) -> Opened {
        try withOpenDatabase { database, runRows in
            var rows = runRows
            try database.write { db in try HistoryDatabase.write(records, into: db, runRows: &rows) }
            runRows = rows
        }
    }

    private func withOpenDatabase(
        _ body: (DatabaseQueue, inout [UInt64: Int64]) throws -> Void
    ) throws(HistoryError) -> Opened {
        let path = self.path
        let result: Result<Opened, HistoryError> = state.withLock { state in
            var fresh: DatabaseQueue?
            do {
                var opened = Opened()
                let database: DatabaseQueue
                if let open = state.database {
                    database = open
                } else {
                    database = try HistoryDatabase.openForWriting(path: path)
                    fresh = database
                    if !state.recovered {
                        opened.interrupted = try database.write { try HistoryDatabase.interruptRunningRuns($0) }
                        state.recovered = true
                    }
                    state.database = database
                }
                try body(database, &state.runRows)
                return .success(opened)
            } catch {
                if let failed = state.database ?? fresh { RetiredConnections.retire(failed) }
                state.database = nil
                return .failure(HistoryError.from(error, path: path))
            }
        }
        return try result.get()
    }
}
