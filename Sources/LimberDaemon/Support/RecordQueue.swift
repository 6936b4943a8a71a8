import ServiceLifecycle

/// Carries records from the timing path to storage without ever waiting on storage.
///
/// `submit` returns at once; the service writes records one at a time in order. At
/// shutdown it keeps going until `close()` (called once the runner has stopped and
/// submitted its last record) and every queued record is written.
public final class RecordQueue<Record: Sendable>: Service, Sendable {
    private let stream: AsyncStream<Record>
    private let continuation: AsyncStream<Record>.Continuation
    private let write: @Sendable (Record) async -> Void

    public init(write: @escaping @Sendable (Record) async -> Void) {
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        self.write = write
    }

    /// Queues `record` for writing; never blocks.
    public func submit(_ record: Record) {
        continuation.yield(record)
    }

    /// No more records will come: the service returns once the queue is written.
    public func close() {
        continuation.finish()
    }

    public func run() async {
        for await record in stream {
            await write(record)
        }
        // The queue closes while the group is shutting down; returning before our own
        // turn would look like a crash to the service group.
        try? await gracefulShutdown()
    }
}
