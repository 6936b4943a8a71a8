import Foundation
import LimberProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import LimberDaemon

@Suite("Idle control connections")
struct IdleCloserTests {
    static func idleTimeoutReply(_ channel: EmbeddedChannel) throws -> ControlError.Code? {
        guard let line = try channel.readOutbound(as: ByteBuffer.self) else { return nil }
        return try ControlCodec.decoder().decode(ControlReply<Empty>.self, from: Data(line.readableBytesView)).error?.code
    }

    /// Found under AddressSanitizer: `sessions` over 10 000 files took longer than the idle
    /// timeout, which then closed the connection while its client waited for the reply or
    /// read it.
    @Test("a connection waiting for or receiving its reply is not idle; after it, silence closes it with idle-timeout")
    func answeringHoldsOffTheTimeout() throws {
        let closer = IdleCloser(timeout: .seconds(30))
        let channel = EmbeddedChannel(handler: closer)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()

        // A request read at 10 s, answered only at 100 s: not idle meanwhile.
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        channel.pipeline.fireChannelReadComplete()
        closer.requestStarted()
        channel.embeddedEventLoop.advanceTime(by: .seconds(90))
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        // The reply, at 100 s, is read slowly: the channel is not writable for 50 s.
        closer.requestAnswered()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        try channel.writeOutbound(ByteBuffer(string: "{}\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "{}\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(50))
        #expect(channel.isActive)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()

        // Then silence: still open 29 s after the drain, closed with idle-timeout by 30 s.
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try Self.idleTimeoutReply(channel) == .idleTimeout)
        #expect(!channel.isActive)
        // Runs the pipeline's teardown, queued on the embedded loop by the close.
        channel.embeddedEventLoop.run()
    }

    /// Requests every 20 s keep a connection open however long it lasts; the timeout
    /// counts from the last of them.
    @Test func regularRequestsKeepAConnectionOpen() throws {
        let channel = EmbeddedChannel(handler: IdleCloser(timeout: .seconds(30)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        for _ in 0..<10 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(20))
            channel.pipeline.fireChannelReadComplete()
            try channel.writeOutbound(ByteBuffer(string: "{}\n"))
            _ = try channel.readOutbound(as: ByteBuffer.self)
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try Self.idleTimeoutReply(channel) == .idleTimeout)
        #expect(!channel.isActive)
        channel.embeddedEventLoop.run()
    }

    /// A watcher's connection drops the closer: no timer is left behind.
    @Test func removingTheCloserStopsItsTimer() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(IdleCloser(timeout: .seconds(30)), name: "idle-closer")
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        try channel.pipeline.syncOperations.removeHandler(name: "idle-closer").wait()
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }
}
