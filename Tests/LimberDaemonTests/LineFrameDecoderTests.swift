import Foundation
import LimberCore
import LimberProtocol
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import LimberDaemon

@Suite("Control line framing")
struct LineFrameDecoderTests {
    /// Feeds `chunks` through the line decoder and returns what it produced.
    func frames(_ chunks: [String], maxLength: Int = 16) throws -> [ControlFrame] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: maxLength)))
        for chunk in chunks {
            try channel.writeInbound(ByteBuffer(string: chunk))
        }
        _ = try? channel.finish()
        var result: [ControlFrame] = []
        while let frame = try channel.readInbound(as: ControlFrame.self) { result.append(frame) }
        return result
    }

    @Test("lines split across reads are joined; CRLF is accepted")
    func splitLines() throws {
        let result = try frames(["{\"a\":", "1}\n{\"b\"", ":2}\r\n"])
        #expect(result == [.line(ByteBuffer(string: "{\"a\":1}")), .line(ByteBuffer(string: "{\"b\":2}"))])
    }

    @Test("a line over the limit yields tooLong once and nothing after it")
    func tooLong() throws {
        let result = try frames(["0123456789", "0123456789", "\n{\"cmd\":\"x\"}\n"])
        #expect(result == [.tooLong])
        let exact = try frames([String(repeating: "x", count: 16) + "\n"])
        #expect(exact == [.line(ByteBuffer(string: String(repeating: "x", count: 16)))])
    }

    @Test("a final line without newline still counts")
    func lastLine() throws {
        #expect(try frames(["{\"cmd\":\"status\"}"]) == [.line(ByteBuffer(string: "{\"cmd\":\"status\"}"))])
    }
}

@Suite("EventHub")
struct EventHubTests {
    func event(_ index: Int) -> ControlEvent {
        ControlEvent(event: .cue, mono: Double(index), wall: "", cue: .tick)
    }

    @Test("a watcher that falls behind its buffer is dropped; others keep every event")
    func dropsSlowWatcher() async {
        let hub = EventHub(capacity: 4, logger: Logger(label: "test"))
        let dropped = DropFlag()
        let slow = hub.subscribe(onDrop: { dropped.set() })
        let fast = hub.subscribe()
        var fastIterator = fast.makeAsyncIterator()
        var received: [Double] = []
        for index in 0..<10 {
            hub.publish(event(index))
            if let next = await fastIterator.next() { received.append(next.mono) }
        }
        #expect(received == (0..<10).map(Double.init))
        #expect(dropped.isSet)
        #expect(hub.count == 1)
        var slowCount = 0
        for await _ in slow { slowCount += 1 }
        #expect(slowCount == 4)  // what fitted in its buffer, then the stream ended
    }
}

final class DropFlag: Sendable {
    private let flag = Synchronization.Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
