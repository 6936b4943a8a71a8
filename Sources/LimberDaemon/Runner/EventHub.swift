import Foundation
import LimberCore
import LimberProtocol
import Logging
import Synchronization

/// Fans events out to `watch` connections without ever waiting on them.
///
/// Each watcher gets a bounded buffer; a watcher that falls that far behind is dropped
/// (its stream ends and its `onDrop` runs) so it can never hold up the runner.
public final class EventHub: Sendable {
    /// Events a watcher may fall behind before it is dropped.
    public static let defaultCapacity = 512

    private struct Watcher {
        var continuation: AsyncStream<ControlEvent>.Continuation
        var onDrop: @Sendable () -> Void
    }

    private let watchers = Mutex<[UInt64: Watcher]>([:])
    /// Held through a whole publish, so that events reach every watcher in one order. It is
    /// a lock of its own because yielding takes the Swift runtime's lock of the task waiting on
    /// the stream, while a task being cancelled holds that lock and runs the stream's
    /// termination handler, which takes `watchers`: one lock for both deadlocked limberd
    /// (a `watch` connection closing while the break scheduler published).
    private let publishing = Mutex<Void>(())
    private let nextID = Atomic<UInt64>(1)
    private let capacity: Int
    private let logger: Logger

    public init(capacity: Int = EventHub.defaultCapacity, logger: Logger) {
        self.capacity = capacity
        self.logger = logger
    }

    /// A new stream of every event published from now on.
    ///
    /// `onDrop` runs when the watcher is dropped for being too slow.
    public func subscribe(onDrop: @escaping @Sendable () -> Void = {}) -> AsyncStream<ControlEvent> {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream<ControlEvent>.makeStream(
            bufferingPolicy: .bufferingOldest(capacity))
        continuation.onTermination = { [weak self] _ in
            self?.remove(id)
        }
        watchers.withLock { $0[id] = Watcher(continuation: continuation, onDrop: onDrop) }
        return stream
    }

    /// Number of connected watchers.
    public var count: Int { watchers.withLock { $0.count } }

    /// Hands `event` to every watcher; never blocks.
    ///
    /// Yields under the publishing lock (a yield only buffers), so that events published from
    /// different threads reach every watcher in one order: the break scheduler reacts to
    /// `session-finished` with `break-counted`, and a watcher must not get the answer first.
    /// The watcher table is only read under it, never locked while yielding.
    public func publish(_ event: ControlEvent) {
        let dropped = publishing.withLock { _ -> [(id: UInt64, watcher: Watcher)] in
            let current = watchers.withLock { $0 }
            var dropped: [(id: UInt64, watcher: Watcher)] = []
            for (id, watcher) in current {
                if case .dropped = watcher.continuation.yield(event) { dropped.append((id, watcher)) }
            }
            return dropped
        }
        guard !dropped.isEmpty else { return }
        watchers.withLock { watchers in
            for (id, _) in dropped { watchers.removeValue(forKey: id) }
        }
        // Outside the locks: finishing runs the stream's termination handler, which locks.
        for (_, watcher) in dropped {
            logger.warning("dropping a watch client that stopped reading", metadata: ["buffered": "\(capacity)"])
            watcher.continuation.finish()
            watcher.onDrop()
        }
    }

    /// Ends every stream (daemon shutdown).
    public func finishAll() {
        let all = watchers.withLock { current in
            defer { current.removeAll() }
            return current
        }
        for watcher in all.values { watcher.continuation.finish() }
    }

    private func remove(_ id: UInt64) {
        _ = watchers.withLock { $0.removeValue(forKey: id) }
    }
}
