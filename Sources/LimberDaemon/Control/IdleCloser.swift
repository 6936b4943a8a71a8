import LimberProtocol
import NIOCore
import Synchronization

/// Closes a connection that stayed silent past the idle timeout, saying why.
///
/// Idle means: no request read, no reply flushed, and nothing waiting to be written, for the
/// whole timeout. A client waiting for its reply is not idle (`sessions` over thousands of
/// files can take longer than the timeout on a slow machine): while a request is being
/// answered the timeout is held off, and it counts again from the reply. Nor is a client
/// reading a long reply: while the channel is not writable (more is queued than the socket
/// takes), the timeout is held off, and it counts again from when the queue drains.
///
/// One timer per connection, checked when it fires: nothing is done per request but reading
/// the clock (a promise per write, as NIO's `IdleStateHandler` takes, cost a tenth of a
/// `status` request).
final class IdleCloser: ChannelDuplexHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = ControlFrame
    typealias InboundOut = ControlFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let timeout: TimeAmount
    /// Requests being answered.
    private let busy = Atomic<Int>(0)
    /// The loop's clock (uptime nanoseconds) at the last read, flush, answer or drain.
    private let lastActivity = Atomic<UInt64>(0)
    private let check = Mutex<Scheduled<Void>?>(nil)
    /// The channel's loop, whose clock the timeout is counted on (virtual in tests).
    private let loop = Mutex<(any EventLoop)?>(nil)

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// A request is being answered: the connection is not idle until ``requestAnswered()``.
    func requestStarted() { busy.wrappingAdd(1, ordering: .relaxed) }

    /// The reply has been handed to the channel: the timeout counts from now.
    func requestAnswered() {
        busy.wrappingSubtract(1, ordering: .relaxed)
        if let now = loop.withLock({ $0?.now }) { lastActivity.store(now.uptimeNanoseconds, ordering: .relaxed) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let eventLoop = context.eventLoop
        loop.withLock { $0 = eventLoop }
        touch(context)
        if context.channel.isActive { schedule(context, in: timeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check.withLock { $0?.cancel(); $0 = nil }
    }

    func channelActive(context: ChannelHandlerContext) {
        touch(context)
        schedule(context, in: timeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        check.withLock { $0?.cancel(); $0 = nil }
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        touch(context)
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        touch(context)
        context.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { touch(context) }
        context.fireChannelWritabilityChanged()
    }

    private func touch(_ context: ChannelHandlerContext) {
        lastActivity.store(context.eventLoop.now.uptimeNanoseconds, ordering: .relaxed)
    }

    private func schedule(_ context: ChannelHandlerContext, in delay: TimeAmount) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(in: delay) { self.expire(bound.value) }
        check.withLock { $0?.cancel(); $0 = task }
    }

    private func expire(_ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if busy.load(ordering: .relaxed) > 0 || !context.channel.isWritable {
            schedule(context, in: timeout)
            return
        }
        let now = context.eventLoop.now.uptimeNanoseconds
        let idle = TimeAmount.nanoseconds(Int64(clamping: now &- min(now, lastActivity.load(ordering: .relaxed))))
        guard idle >= timeout else {
            schedule(context, in: timeout - idle)
            return
        }
        let line = ControlCodec.line(
            ControlReply<Empty>(id: nil, error: ControlError(.idleTimeout, "no request for a while; the connection is closed")))
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: line)))
            .whenComplete { _ in bound.value.close(promise: nil) }
    }
}
