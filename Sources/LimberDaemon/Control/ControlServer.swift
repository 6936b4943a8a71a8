import Foundation
import LimberCore
import LimberProtocol
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where the control server listens.
public enum ControlEndpoint: Sendable {
    /// Bind a new socket at this path (and remove it on exit).
    case path(String)
    /// Adopt a listening socket passed by systemd; never unlinked by us.
    case inherited(fd: Int32, path: String?)
}

/// Limits that protect the daemon from misbehaving clients.
public struct ControlLimits: Sendable {
    public var maxLineBytes = 64 * 1024
    public var maxClients = 64
    /// A connection that is not watching is closed after this long without a request.
    public var idleTimeout: TimeAmount = .seconds(30)

    public init() {}
}

/// The Unix-socket server speaking newline-delimited JSON (docs/protocol.md).
public final class ControlServer<C: Clock>: Service where C.Duration == Duration {
    private typealias Connection = NIOAsyncChannel<ControlFrame, ByteBuffer>

    private let endpoint: ControlEndpoint
    private let commands: ControlCommands<C>
    private let limits: ControlLimits
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let clients = Atomic<Int>(0)
    private let open = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let watching = Mutex<Set<ObjectIdentifier>>([])
    private let onListening: @Sendable () -> Void

    /// - Parameter onListening: called once the socket accepts connections.
    public init(
        endpoint: ControlEndpoint, commands: ControlCommands<C>, limits: ControlLimits = ControlLimits(),
        group: MultiThreadedEventLoopGroup = .singleton, logger: Logger,
        onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.endpoint = endpoint
        self.commands = commands
        self.limits = limits
        self.group = group
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let server = try await bind()
        onListening()
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        let executor = EventLoopTaskExecutor(loop: connection.channel.eventLoop)
                        tasks.addTask(executorPreference: executor) { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            // Watchers get the events already queued for them (the session stopping for the
            // shutdown, say), then their streams end; everything else closes now, and a
            // watcher that does not read is closed after a grace period.
            self.commands.events.finishAll()
            let watchingKeys = self.watching.withLock { $0 }
            let open = self.open.withLock { $0 }
            let watchers = open.filter { watchingKeys.contains($0.key) }.map(\.value)
            for (key, channel) in open where !watchingKeys.contains(key) { channel.close(promise: nil) }
            if !watchers.isEmpty {
                self.group.any().scheduleTask(in: .seconds(2)) {
                    for channel in watchers { channel.close(promise: nil) }
                }
            }
        }
        if case .path(let path) = endpoint {
            unlink(path)
        }
        logger.info("control server stopped")
    }

    // MARK: Binding

    private func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        let limits = self.limits
        let commands = self.commands
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: limits.maxLineBytes)))
                // Idle since the last request or reply: a client reading a long reply is not idle.
                try pipeline.addHandler(IdleCloser(timeout: limits.idleTimeout), name: "idle-closer")
                try pipeline.addHandler(StatusFastPath(status: { commands.status() }), name: "status")
                return try Connection(wrappingChannelSynchronously: channel)
            }
        }
        switch endpoint {
        case .path(let path):
            let server = try await bootstrap.bind(
                unixDomainSocketPath: path, cleanupExistingSocketFile: false, childChannelInitializer: initializer)
            chmod(path, 0o600)
            logger.info("listening", metadata: ["socket": "\(path)"])
            return server
        case .inherited(let fd, let path):
            let server = try await bootstrap.bind(fd, childChannelInitializer: initializer)
            logger.info("listening on the socket systemd passed", metadata: ["socket": "\(path ?? "fd \(fd)")"])
            return server
        }
    }

    // MARK: Connections

    private func serve(_ connection: Connection) async {
        let channel = connection.channel
        let key = ObjectIdentifier(channel)
        let count = clients.wrappingAdd(1, ordering: .relaxed).newValue
        open.withLock { $0[key] = channel }
        defer {
            clients.wrappingSubtract(1, ordering: .relaxed)
            _ = open.withLock { $0.removeValue(forKey: key) }
            _ = watching.withLock { $0.remove(key) }
        }
        do {
            try await connection.executeThenClose { inbound, outbound in
                if count > limits.maxClients {
                    logger.warning("refusing a client: too many connections", metadata: ["limit": "\(limits.maxClients)"])
                    try await send(
                        ControlError(.tooManyClients, "limberd already serves \(limits.maxClients) clients; close some and try again"),
                        id: nil, to: outbound)
                    return
                }
                if let refusal = await peerRefusal(channel) {
                    try await send(refusal, id: nil, to: outbound)
                    return
                }
                let idleCloser = try? await channel.pipeline.handler(type: IdleCloser.self).get()
                // A client we serve: `status` may now be answered in the pipeline.
                channel.pipeline.fireUserInboundEventTriggered(StatusFastPath.Enable())
                for try await frame in inbound {
                    switch frame {
                    case .tooLong:
                        logger.warning("closing a client that sent a line over the limit", metadata: ["limit": "\(limits.maxLineBytes)"])
                        try await send(
                            ControlError(.lineTooLong, "request line over \(limits.maxLineBytes) bytes; the connection is closed"),
                            id: nil, to: outbound)
                        return
                    case .line(let line):
                        guard line.readableBytes > 0 else { continue }
                        switch ControlCodec.parseRequest(line.readableBytesView) {
                        case .failure(let rejected):
                            try await send(rejected.error, id: rejected.id, to: outbound)
                        case .success(let request) where request.cmd == "watch":
                            try await watch(request, channel: channel, outbound: outbound)
                            return
                        case .success(let request):
                            idleCloser?.requestStarted()
                            let reply = await commands.reply(to: request)
                            defer { idleCloser?.requestAnswered() }
                            try await outbound.write(ByteBuffer(bytes: reply))
                        }
                    }
                }
            }
        } catch {
            logger.debug("control connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Turns the connection into an event stream until the client goes away.
    private func watch(
        _ request: ControlRequest, channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws {
        // A watcher only listens: it must not be closed for being quiet, and its
        // hanging up ends the stream at once rather than at the next event.
        _ = try? await channel.pipeline.removeHandler(name: "idle-closer").get()
        try? await channel.pipeline.addHandler(CloseOnHangUp(), position: .first).get()
        _ = watching.withLock { $0.insert(ObjectIdentifier(channel)) }
        let events = commands.events.subscribe(onDrop: { channel.close(promise: nil) })
        let first = ControlReply(id: request.id, result: WatchResult(status: commands.status()))
        try await outbound.write(ByteBuffer(bytes: ControlCodec.line(first)))
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try? await channel.closeFuture.get()
            }
            tasks.addTask {
                for await event in events {
                    do { try await outbound.write(ByteBuffer(bytes: ControlCodec.lineBytes(event))) } catch { return }
                }
            }
            await tasks.next()
            tasks.cancelAll()
        }
    }

    private func send(_ error: ControlError, id: JSONValue?, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        try await outbound.write(ByteBuffer(bytes: ControlCodec.line(ControlReply<Empty>(id: id, error: error))))
    }

    /// Why this peer may not talk to us, or nil when it runs as our user.
    private func peerRefusal(_ channel: any Channel) async -> ControlError? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        do {
            let credentials: PeerCredentials = try await provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(PeerCredentials.option)
            ).get()
            guard credentials.uid == getuid() else {
                logger.warning("refused a client of another user", metadata: ["uid": "\(credentials.uid)", "pid": "\(credentials.pid)"])
                return ControlError(.forbidden, "limberd serves only uid \(getuid()); run limber as that user")
            }
            return nil
        } catch {
            // A client that connects and closes at once (a readiness probe, `nc -z`) is gone
            // before its credentials are read: nothing to warn anybody about.
            if !channel.isActive {
                logger.debug("a client left before its credentials were read", metadata: ["error": "\(error)"])
            } else {
                logger.warning("could not read the client's credentials; refusing it", metadata: ["error": "\(error)"])
            }
            return ControlError(.forbidden, "limberd could not verify who you are")
        }
    }
}

/// Closes a watch connection as soon as the client hangs up.
final class CloseOnHangUp: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Linux's `struct ucred` (pid_t, uid_t, gid_t), which Glibc's module map does not export.
struct PeerCredentials: Sendable {
    /// SO_PEERCRED on Linux.
    static let option: Int32 = 17
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
