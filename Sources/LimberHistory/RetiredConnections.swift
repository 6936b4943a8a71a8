import GRDB
import Synchronization

/// Connections limberd has given up on (after a failed write or read), closed but kept.
///
/// Releasing a GRDB `DatabaseQueue` releases its dispatch queue, and libdispatch frees a
/// queue that holds queue-specific values (GRDB's scheduling watchdog) with a job on its
/// default global queue. The first such job starts libdispatch's thread-pool monitor, which
/// then wakes the process every second for as long as it lives (docs/architecture.md): an
/// idle daemon would pay for one locked database for good. So a connection is closed (its
/// file descriptor and SQLite's memory go) and the small object left is kept, at most
/// ``limit`` of them; beyond that they are released.
public enum RetiredConnections {
    public static let limit = 256
    private static let kept = Mutex<[DatabaseQueue]>([])

    /// Closes `database` and keeps it (see above).
    public static func retire(_ database: DatabaseQueue) {
        try? database.close()
        kept.withLock { kept in
            if kept.count < limit { kept.append(database) }
        }
    }

    /// How many are kept.
    public static var count: Int { kept.withLock { $0.count } }
}
