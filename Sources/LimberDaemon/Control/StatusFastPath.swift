import LimberProtocol
import NIOCore

/// Answers `status` requests in the connection's pipeline, on the event loop, from the state
/// that the runner and the break scheduler publish (``ControlCommands/status()``): no task,
/// no actor, no async sequence on the way. Everything else goes on to the connection's task.
///
/// Replies stay in request order: a `status` is answered here only when every request passed
/// on before it has had its reply written (each passed-on request gets exactly one reply, and
/// those go out through this handler). After a `watch` the connection is an event stream,
/// and nothing is answered here. Replies to pipelined requests are written together, once
/// per read.
///
/// A client that writes requests but does not read the replies fills the socket: once the
/// channel is not writable, requests are held here, in order, and no more is read from the
/// client until it has read enough (the same back-pressure the connection's task applies),
/// so memory stays bounded whatever the client does.
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
    /// Answers not yet written: replies to one read go out as one write.
    private var answers: ByteBuffer?
    /// Frames read while the channel was not writable, to be handled in order once it is.
    private var held = CircularBuffer<NIOAny>()
    /// A read was asked for while frames were held: issued once they are handled.
    private var readWanted = false
    /// The client half-closed while frames were held: told on once they are handled.
    private var inputClosedHeld = false

    init(status: @escaping @Sendable () -> StatusResult) {
        self.status = status
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard held.isEmpty, handle(context: context, data: data) else {
            held.append(data)
            return
        }
    }

    /// Answers or passes on one frame; false when it must wait for the channel to be writable.
    private func handle(context: ChannelHandlerContext, data: NIOAny) -> Bool {
        guard case .line(let line) = unwrapInboundIn(data) else {
            passOn(context: context, data: data)
            return true
        }
        // The connection's task skips empty lines; so does this.
        guard line.readableBytes > 0 else { return true }
        guard !streaming else {
            context.fireChannelRead(data)
            return true
        }
        let id: JSONValue?
        if let matched = StatusRequestMatcher.match(line.readableBytesView) {
            id = matched
        } else {
            let request = try? ControlCodec.parseRequest(line.readableBytesView).get()
            if request?.cmd == "watch" { streaming = true }
            guard let request, request.cmd == "status" else {
                passOn(context: context, data: data)
                return true
            }
            id = request.id
        }
        guard enabled, awaitingReplies == 0 else {
            passOn(context: context, data: data)
            return true
        }
        guard context.channel.isWritable else { return false }
        guard let reply = writer.line(id: id, status: status()) else {
            passOn(context: context, data: data)
            return true
        }
        if answers == nil { answers = context.channel.allocator.buffer(capacity: max(4096, reply.count)) }
        answers?.writeBytes(reply)
        return true
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            while let data = held.first {
                guard handle(context: context, data: data) else { break }
                held.removeFirst()
            }
            flushAnswers(context: context)
            if held.isEmpty, inputClosedHeld {
                inputClosedHeld = false
                context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            }
            if held.isEmpty, readWanted {
                readWanted = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        guard held.isEmpty else {
            readWanted = true
            return
        }
        context.read()
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
        // the requests read before it are answered first.
        if event as? ChannelEvent == .inputClosed, !held.isEmpty {
            inputClosedHeld = true
            return
        }
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
        guard let answers else { return }
        self.answers = nil
        context.writeAndFlush(wrapOutboundOut(answers), promise: nil)
    }
}
