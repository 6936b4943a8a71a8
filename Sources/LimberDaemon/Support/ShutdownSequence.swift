import ServiceLifecycle

extension AsyncSequence where Self: Sendable, Element: Sendable {
    /// Calls `body` with each element until the sequence ends or graceful shutdown begins.
    ///
    /// ServiceLifecycle's `cancelOnGracefulShutdown()` does the same through
    /// swift-async-algorithms' `merge`, which starts an unstructured task: on Swift's global
    /// executor, whatever the caller's executor preference, and one is enough to wake
    /// libdispatch's pool monitor every second from then on (see ``DaemonLoop``). Here the
    /// sequence is read by a child task, which runs where the caller runs, and relayed; on
    /// shutdown the relay ends (after what it holds) and the reader is cancelled.
    func forEachUntilShutdown(
        isolation: isolated (any Actor)? = #isolation, _ body: (Element) async -> Void
    ) async {
        let (relay, sink) = AsyncStream<Element>.makeStream()
        await withDiscardingTaskGroup { group in
            group.addTask {
                do {
                    for try await element in self { sink.yield(element) }
                } catch {}
                sink.finish()
            }
            await withGracefulShutdownHandler {
                for await element in relay { await body(element) }
            } onGracefulShutdown: {
                sink.finish()
            }
            group.cancelAll()
        }
    }
}
