import Foundation
import GRDB
import Logging
import Synchronization

/// One record on its way into the database.
public enum HistoryRecord: Sendable, Hashable {
    /// A run as one finished row.
    case run(SessionRunEntry)
    /// The latest state of this daemon's run `key`: its row the first time, an update of that
    /// row after (a checkpoint, or its end).
    case runState(key: UInt64, SessionRunEntry)
    case breakEnded(BreakEntry)
    case pain(PainEntry)
    case checkin(CheckinEntry)
}

/// The daemon's writer: `record…` calls return at once, and ``run()`` writes behind them;
/// ``recordDurably(_:)`` writes before it returns.
///
/// The queued calls only put the record on an unbounded in-memory queue (an `AsyncStream`),
/// so a cue or a timer is never held up by disk I/O: session checkpoints go this way. ``run()``
/// writes what is queued, one transaction per batch. The moments that a reply or the state
/// file reports as done (a session's start and end, a settled break) are written durably
/// instead, on the caller's thread. When the database cannot be written (locked, read-only, damaged, missing
/// directory), records stay queued in memory and are retried with backoff; the problem is
/// logged once as a warning naming the file and the fix, and its recovery once as a notice.
public final class HistoryRecorder: Sendable {
    /// What the writer did, for tests and for logging.
    public enum Event: Sendable, Hashable {
        /// `count` records are now committed (fsynced) in the database.
        case written(count: Int)
        /// A write failed; `queued` records wait in memory for the next attempt.
        case failed(HistoryError, queued: Int)
    }

    /// The database file.
    public let path: String
    /// Records kept in memory while the database cannot be written; older ones are dropped
    /// first beyond this.
    public let queueLimit: Int
    private let logger: Logger
    private let firstRetry: Duration
    private let maximumRetry: Duration
    private let onEvent: @Sendable (Event) -> Void
    private let stream: AsyncStream<HistoryRecord>
    private let continuation: AsyncStream<HistoryRecord>.Continuation
    private let finishing = Atomic<Bool>(false)
    private let nap = Mutex<Task<Void, Never>?>(nil)
    private let store: HistoryStore
    private let napExecutor: (any TaskExecutor)?
    private let pause: @Sendable (Duration) async -> Void

    /// - Parameters:
    ///   - path: the database file, created with its schema on the first write.
    ///   - firstRetry: the wait before the first retry after a failed write; it doubles up to
    ///     `maximumRetry`.
    ///   - onEvent: called from the writer after each write or failed attempt.
    ///   - napExecutor, pause: where and how a back-off waits (limberd: its event loop and
    ///     the loop's timer, as `Task.sleep` would wake libdispatch's pool for good).
    public init(
        path: String, logger: Logger, firstRetry: Duration = .seconds(1), maximumRetry: Duration = .seconds(60),
        queueLimit: Int = 10_000, onEvent: @escaping @Sendable (Event) -> Void = { _ in },
        napExecutor: (any TaskExecutor)? = nil,
        pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.path = path
        self.napExecutor = napExecutor
        self.pause = pause
        self.logger = logger
        self.firstRetry = firstRetry
        self.maximumRetry = maximumRetry
        self.queueLimit = queueLimit
        self.onEvent = onEvent
        store = HistoryStore(path: path)
        (stream, continuation) = AsyncStream<HistoryRecord>.makeStream(bufferingPolicy: .unbounded)
    }

    /// Queues any record; returns at once.
    public func record(_ record: HistoryRecord) {
        continuation.yield(record)
    }

    /// Writes `record` before returning (one commit: an fsync, a few milliseconds), through
    /// the connection ``run()`` uses. When the database cannot be written, the record is
    /// queued as ``record(_:)`` does, and ``run()`` retries it and reports the problem.
    public func recordDurably(_ record: HistoryRecord) {
        do {
            let opened = try store.write([record])
            reportInterrupted(opened)
            onEvent(.written(count: 1))
        } catch {
            logger.debug("durable write failed; the record is queued", metadata: ["file": "\(path)", "error": "\(error)"])
            self.record(record)
        }
    }

    private func reportInterrupted(_ opened: HistoryStore.Opened) {
        guard opened.interrupted > 0 else { return }
        logger.notice(
            "limberd stopped last time during \(opened.interrupted == 1 ? "a session" : "\(opened.interrupted) sessions"); recorded as interrupted, with the progress of the last step reached (see limber history)",
            metadata: ["file": "\(path)", "interrupted": "\(opened.interrupted)"])
    }

    /// Queues a break that has been settled (taken, natural, snoozed, skipped or missed).
    public func recordBreak(
        kind: BreakEntry.Kind, due: Date, outcome: BreakEntry.Outcome, snoozeCount: Int = 0, ended: Date? = nil
    ) {
        record(
            .breakEnded(
                BreakEntry(
                    kind: kind, due: HistoryTime.iso8601(due), outcome: outcome, snoozeCount: snoozeCount,
                    ended: ended.map(HistoryTime.iso8601))))
    }

    /// Queues a pain rating; `level` is clamped to 0...10, which the table's CHECK would
    /// otherwise refuse (and the whole batch with it).
    public func recordPain(
        level: Int, note: String? = nil, area: String? = nil, at time: Date = Date(), session: String? = nil,
        moment: PainEntry.Moment? = nil
    ) {
        record(
            .pain(
                PainEntry(
                    level: min(10, max(0, level)), note: note, area: area, time: HistoryTime.iso8601(time),
                    session: session, moment: moment)))
    }

    /// No more records: ``run()`` writes what is queued (one more attempt if the database is
    /// failing) and returns.
    public func finish() {
        finishing.store(true, ordering: .sequentiallyConsistent)
        // Cut a back-off short, so that shutdown is never held up by a failing database.
        nap.withLock { $0?.cancel() }
        continuation.finish()
    }

    /// Waits `delay`, or less if ``finish()`` is called meanwhile.
    private func backOff(_ delay: Duration) async {
        let pause = self.pause
        let sleep = Task(executorPreference: napExecutor) { await pause(delay) }
        nap.withLock { $0 = sleep }
        if finishing.load(ordering: .sequentiallyConsistent) { sleep.cancel() }
        await withTaskCancellationHandler {
            await sleep.value
        } onCancel: {
            sleep.cancel()
        }
        nap.withLock { $0 = nil }
    }

    /// Writes queued records until ``finish()`` and the queue is drained, or until cancelled.
    public func run() async {
        var pending: [HistoryRecord] = []
        var delay = firstRetry
        var failing = false
        // Open (and migrate, recover a WAL left by a crash, and mark the runs it cut short
        // interrupted) at start, so a broken file is reported when limberd starts rather than
        // when the first session ends.
        do {
            reportInterrupted(try store.open())
        } catch {
            logger.warning(
                "\(error.message); sessions and breaks go on, and records will be kept in memory and retried",
                metadata: ["file": "\(path)"])
            failing = true
        }
        for await record in stream {
            pending.append(record)
            if pending.count > queueLimit {
                let dropped = pending.count - queueLimit
                pending.removeFirst(dropped)
                logger.error(
                    "history queue is full; dropped the oldest records", metadata: ["file": "\(path)", "dropped": "\(dropped)"])
            }
            while !pending.isEmpty {
                do {
                    reportInterrupted(try store.write(pending))
                    let count = pending.count
                    pending.removeAll()
                    if failing {
                        logger.notice("the history database is writable again; queued records written", metadata: ["file": "\(path)", "records": "\(count)"])
                    } else {
                        logger.debug("recorded", metadata: ["file": "\(path)", "records": "\(count)"])
                    }
                    failing = false
                    delay = firstRetry
                    onEvent(.written(count: count))
                } catch {
                    let problem = HistoryError.from(error, path: path)
                    if !failing {
                        logger.warning(
                            "\(problem.message); sessions and breaks go on, and records are kept in memory and retried",
                            metadata: ["file": "\(path)", "queued": "\(pending.count)"])
                        failing = true
                    }
                    onEvent(.failed(problem, queued: pending.count))
                    if finishing.load(ordering: .sequentiallyConsistent) || Task.isCancelled {
                        logger.error(
                            "limberd is stopping and could not write the history; these records are lost",
                            metadata: ["file": "\(path)", "records": "\(pending.count)"])
                        return
                    }
                    await backOff(delay)
                    delay = min(delay * 2, maximumRetry)
                }
            }
        }
    }
}
