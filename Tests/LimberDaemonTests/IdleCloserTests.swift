import Foundation
import LimberProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import LimberDaemon

@Suite("Idle control connections")
struct IdleCloserTests {
    /// Found under AddressSanitizer: `sessions` over 10 000 files took longer than the idle
    /// timeout, which then closed the connection while its client waited for the reply or
    /// read it (the server's own idle-state handler counts from the last read or write).
    @Test("a connection waiting for or receiving its reply is not idle; after it, silence closes it with idle-timeout")
    func answeringHoldsOffTheTimeout() throws {
        let closer = IdleCloser()
        let channel = EmbeddedChannel(handler: closer)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()

        closer.requestStarted()
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        // The reply, written but not yet flushed to the client: still not idle.
        let written = channel.write(ByteBuffer(string: "{}\n"))
        closer.requestAnswered()
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(channel.isActive)
        channel.flush()
        try written.wait()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "{}\n"))

        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        let line = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let reply = try ControlCodec.decoder().decode(ControlReply<Empty>.self, from: Data(line.readableBytesView))
        #expect(reply.error?.code == .idleTimeout)
        #expect(!channel.isActive)
        // Runs the pipeline's teardown, queued on the embedded loop by the close.
        channel.embeddedEventLoop.run()
    }
}
