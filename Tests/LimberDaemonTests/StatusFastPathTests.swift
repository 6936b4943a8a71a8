import Foundation
import LimberProtocol
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import LimberDaemon

/// The pipeline's `status` answers, on an embedded channel: what is answered there, what is
/// passed on to the connection's task, and that replies keep the requests' order.
@Suite struct StatusFastPathTests {
    /// How many statuses the handler asked for.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        var count: Int { value.load(ordering: .relaxed) }
    }

    static func channel(statuses: Counter) throws -> EmbeddedChannel {
        let handler = StatusFastPath(status: {
            let count = statuses.value.wrappingAdd(1, ordering: .relaxed).newValue
            return StatusResult(state: .idle, session: nil, audio: AudioReport(state: "idle", device: "null"), mono: Double(count))
        })
        return EmbeddedChannel(handler: handler)
    }

    /// A channel whose connection has passed its checks: `status` is answered there.
    static func enabledChannel(statuses: Counter) throws -> EmbeddedChannel {
        let channel = try channel(statuses: statuses)
        channel.pipeline.fireUserInboundEventTriggered(StatusFastPath.Enable())
        return channel
    }

    static func line(_ text: String) -> ControlFrame { .line(ByteBuffer(string: text)) }

    static func reply(_ buffer: ByteBuffer?) throws -> ControlReply<StatusResult> {
        let buffer = try #require(buffer)
        return try ControlCodec.decoder().decode(ControlReply<StatusResult>.self, from: Data(buffer.readableBytesView))
    }

    @Test func nothingIsAnsweredBeforeTheConnectionIsEnabled() throws {
        let statuses = Counter()
        let channel = try Self.channel(statuses: statuses)
        try channel.writeInbound(Self.line(#"{"id":1,"cmd":"status"}"#))
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"id":1,"cmd":"status"}"#))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(statuses.count == 0)
        _ = try channel.finish()
    }

    @Test func statusIsAnsweredInThePipelineAndFlushedAtTheEndOfARead() throws {
        let statuses = Counter()
        let channel = try Self.enabledChannel(statuses: statuses)
        channel.pipeline.fireChannelRead(NIOAny(Self.line(#"{"id":"a","cmd":"status"}"#)))
        channel.pipeline.fireChannelRead(NIOAny(Self.line("")))
        channel.pipeline.fireChannelRead(NIOAny(Self.line(#"{"id":"b","cmd":"status"}"#)))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "flushed before the read ended")
        channel.pipeline.fireChannelReadComplete()
        // Both answers, in one write.
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let lines = String(buffer: written).split(separator: "\n").map { ByteBuffer(string: String($0)) }
        #expect(lines.count == 2)
        #expect(try Self.reply(lines.first).id == .string("a"))
        let second = try Self.reply(lines.last)
        #expect(second.id == .string("b"))
        #expect(second.result?.mono == 2)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try channel.readInbound(as: ControlFrame.self) == nil, "an empty line or a status was passed on")
        _ = try channel.finish()
    }

    @Test func aStatusAfterAPassedOnRequestWaitsForThatRequestsReply() throws {
        let statuses = Counter()
        let channel = try Self.enabledChannel(statuses: statuses)
        try channel.writeInbound(Self.line(#"{"id":1,"cmd":"pause"}"#))
        try channel.writeInbound(Self.line(#"{"id":2,"cmd":"status"}"#))
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"id":1,"cmd":"pause"}"#))
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"id":2,"cmd":"status"}"#))
        // The task answers both, in order; then the pipeline answers again.
        try channel.writeOutbound(ByteBuffer(string: "{\"id\":1}\n"))
        try channel.writeOutbound(ByteBuffer(string: "{\"id\":2}\n"))
        try channel.writeInbound(Self.line(#"{"id":3,"cmd":"status"}"#))
        #expect(try channel.readInbound(as: ControlFrame.self) == nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "{\"id\":1}\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "{\"id\":2}\n"))
        #expect(try Self.reply(channel.readOutbound(as: ByteBuffer.self)).id == .number(3))
        _ = try channel.finish()
    }

    @Test func afterWatchEverythingIsPassedOn() throws {
        let statuses = Counter()
        let channel = try Self.enabledChannel(statuses: statuses)
        try channel.writeInbound(Self.line(#"{"cmd":"watch"}"#))
        // The watch's first reply and an event: the stream has begun.
        try channel.writeOutbound(ByteBuffer(string: "{}\n"))
        try channel.writeOutbound(ByteBuffer(string: "{}\n"))
        try channel.writeInbound(Self.line(#"{"cmd":"status"}"#))
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"cmd":"watch"}"#))
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"cmd":"status"}"#))
        #expect(statuses.count == 0)
        _ = try channel.finish()
    }

    @Test func linesThatAreNotStatusRequestsArePassedOn() throws {
        let statuses = Counter()
        let channel = try Self.enabledChannel(statuses: statuses)
        for text: String in [#"{"cmd":"status""#, "status", #"{"cmd":"statuses"}"#, #"{"cmd":["status"]}"#] {
            try channel.writeInbound(Self.line(text))
            #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(text))
            try channel.writeOutbound(ByteBuffer(string: "{}\n"))
        }
        try channel.writeInbound(ControlFrame.tooLong)
        #expect(try channel.readInbound(as: ControlFrame.self) == .tooLong)
        #expect(statuses.count == 0)
        _ = try channel.finish()
    }

    /// A client that does not read: requests wait, in order, and nothing more is read from it
    /// until the socket drains; then every held request is handled.
    @Test func requestsWaitWhileTheClientDoesNotRead() throws {
        let statuses = Counter()
        let channel = try Self.enabledChannel(statuses: statuses)
        channel.isWritable = false
        try channel.writeInbound(Self.line(#"{"id":1,"cmd":"status"}"#))
        try channel.writeInbound(Self.line(#"{"id":2,"cmd":"pause"}"#))
        try channel.writeInbound(Self.line(#"{"id":3,"cmd":"status"}"#))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try channel.readInbound(as: ControlFrame.self) == nil)
        #expect(statuses.count == 0)

        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(try Self.reply(channel.readOutbound(as: ByteBuffer.self)).id == .number(1))
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"id":2,"cmd":"pause"}"#))
        // Status 3 follows the pause: it goes to the connection's task after it.
        #expect(try channel.readInbound(as: ControlFrame.self) == Self.line(#"{"id":3,"cmd":"status"}"#))
        #expect(statuses.count == 1)
        _ = try channel.finish()
    }
}
