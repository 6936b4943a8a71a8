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
    /// Yields under the lock (a yield only buffers), so that events published from different
    /// threads reach every watcher in one order: the break scheduler reacts to
    /// `session-finished` with `break-counted`, and a watcher must not get the answer first.
    public func publish(_ event: ControlEvent) {
        let dropped = watchers.withLock { watchers -> [Watcher] in
            var dropped: [Watcher] = []
            for (id, watcher) in watchers {
                if case .dropped = watcher.continuation.yield(event) {
                    dropped.append(watcher)
                    watchers.removeValue(forKey: id)
                }
            }
            return dropped
        }
        // Outside the lock: finishing runs the stream's termination handler, which locks.
        for watcher in dropped {
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
