import Foundation
import LimberDaemon
import LimberProtocol
import Logging
import Testing

/// The event fan-out under the conditions limberd meets: watchers connecting and leaving while
/// events are published from other threads.
@Suite(.timeLimit(.minutes(1)))
struct EventHubConcurrencyTests {
    static func event(_ index: Int) -> ControlEvent {
        ControlEvent(event: .step, mono: Double(index), wall: "2026-12-03T09:00:00.000Z", step: index)
    }

    /// A watcher whose task is cancelled while it waits for the next event runs the stream's
    /// termination handler under the runtime's lock of that task; a publish resuming the same
    /// task takes that lock too. With one lock for both the table and the publishing order,
    /// limberd deadlocked (a `watch` connection closing as the break scheduler published).
    @Test func watchersCancelledWhileEventsArePublishedNeverDeadlock() async {
        let hub = EventHub(logger: Logger(label: "test"))
        let publishing = Thread {
            var index = 0
            while !Thread.current.isCancelled {
                hub.publish(Self.event(index))
                index += 1
            }
        }
        publishing.start()
        defer { publishing.cancel() }
        // Bounded by time: the publisher spins a core, and in the parallel suite it must not
        // starve the other tests for long (the old code hung within this in every run).
        let end = ContinuousClock.now + .seconds(3)
        for round in 0..<3_000 where round < 20 || ContinuousClock.now < end {
            let (listening, listened) = AsyncStream<Void>.makeStream()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    let stream = hub.subscribe()
                    group.addTask {
                        var first = true
                        for await _ in stream {
                            if first { listened.yield() }
                            first = false
                        }
                    }
                }
                // Every watcher is in its loop, waiting on or taking events, when it is
                // cancelled (waited for by suspending, never by spinning on the pool).
                var ready = 0
                for await _ in listening {
                    ready += 1
                    if ready == 4 { break }
                }
                group.cancelAll()
            }
        }
        #expect(hub.count == 0, "every cancelled watcher is removed")
    }

    @Test func eventsFromTwoThreadsReachEveryWatcherInOneOrder() async {
        let hub = EventHub(capacity: 10_000, logger: Logger(label: "test"))
        let streams = (0..<3).map { _ in hub.subscribe() }
        let threads = [0, 1].map { part in
            Thread { for index in 0..<2_000 { hub.publish(Self.event(part * 10_000 + index)) } }
        }
        threads.forEach { $0.start() }
        var orders: [[Int]] = []
        for stream in streams {
            var order: [Int] = []
            for await event in stream {
                order.append(event.step ?? -1)
                if order.count == 4_000 { break }
            }
            orders.append(order)
        }
        #expect(orders[0].count == 4_000)
        #expect(orders.allSatisfy { $0 == orders[0] })
    }
}

