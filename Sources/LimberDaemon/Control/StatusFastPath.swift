import LimberProtocol
import NIOCore

/// Answers `status` requests in the connection's pipeline, on the event loop, from the state
/// that the runner and the break scheduler publish (``ControlCommands/status()``): no task,
/// no actor, no async sequence on the way. Everything else goes on to the connection's task.
///
/// Replies stay in request order: a `status` is answered here only when every request passed
/// on before it has had its reply written (each passed-on request gets exactly one reply, and
/// those go out through this handler). After a `watch` the connection is an event stream,
/// and nothing is answered here. Replies to pipelined requests are flushed once per read, and
/// a connection whose client does not read (the channel is not writable) is passed on, where
/// writes wait for it.
///
/// It starts passing everything on, until ``Enable`` arrives: sent once the connection's task
/// has checked who the client is and that there is room for it.
final class StatusFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ControlFrame
    typealias InboundOut = ControlFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The user event that lets this handler answer.
    struct Enable: Sendable {}

    private let status: @Sendable () -> StatusResult
    private var writer = StatusReplyWriter()
    private var enabled = false
    /// Requests passed on whose reply has not been written yet.
    private var awaitingReplies = 0
    /// A `watch` was passed on: the connection is an event stream now.
    private var streaming = false
    private var unflushed = false

    init(status: @escaping @Sendable () -> StatusResult) {
        self.status = status
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let line) = unwrapInboundIn(data) else {
            passOn(context: context, data: data)
            return
        }
        // The connection's task skips empty lines; so does this.
        guard line.readableBytes > 0 else { return }
        guard !streaming else {
            context.fireChannelRead(data)
            return
        }
        let request = try? ControlCodec.parseRequest(line.readableBytesView).get()
        if request?.cmd == "watch" { streaming = true }
        guard let request, request.cmd == "status", enabled, awaitingReplies == 0, context.channel.isWritable,
            let reply = writer.line(id: request.id, status: status())
        else {
            passOn(context: context, data: data)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: reply.count)
        buffer.writeBytes(reply)
        context.write(wrapOutboundOut(buffer), promise: nil)
        unflushed = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushAnswers(context: context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Enable {
            enabled = true
            return
        }
        // The client's half-close ends the connection's task, which closes the channel:
        // the answers written so far go out first.
        flushAnswers(context: context)
        context.fireUserInboundEventTriggered(event)
    }

    /// Every write that reaches this handler is the connection's task's reply to a request
    /// passed on (or, after `watch`, an event).
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if awaitingReplies > 0 { awaitingReplies -= 1 }
        context.write(data, promise: promise)
    }

    private func passOn(context: ChannelHandlerContext, data: NIOAny) {
        flushAnswers(context: context)
        awaitingReplies += 1
        context.fireChannelRead(data)
    }

    private func flushAnswers(context: ChannelHandlerContext) {
        guard unflushed else { return }
        unflushed = false
        context.flush()
    }
}
