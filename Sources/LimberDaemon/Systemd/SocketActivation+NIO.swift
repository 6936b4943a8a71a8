import NIOCore
import NIOPosix

extension SocketActivation {
    /// Serves on a socket passed by systemd, wrapping each accepted connection with
    /// `childChannelInitializer`, like `ServerBootstrap.bind(unixDomainSocketPath:...)` does
    /// for a socket the daemon binds itself.
    ///
    /// NIO takes ownership of the descriptor (closing the channel closes it) but never unlinks
    /// the socket file: it belongs to `limberd.socket`, and systemd keeps listening on its own
    /// copy so that the next connection after a daemon exit starts the daemon again.
    ///
    /// - Parameter bootstrap: Carries the server and child channel options, e.g.
    ///   `.childChannelOption(.allowRemoteHalfClosure, value: true)` so that a client which
    ///   half-closes after its request (`echo '…' | socat - UNIX-CONNECT:…`) still gets a reply.
    public static func bindActivatedServer<Output: Sendable>(
        descriptor: Int32,
        bootstrap: ServerBootstrap,
        childChannelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Output>
    ) async throws -> NIOAsyncChannel<Output, Never> {
        try await bootstrap.bind(descriptor, childChannelInitializer: childChannelInitializer)
    }

    /// Serves on a socket passed by systemd with a default `ServerBootstrap` on `group`.
    public static func bindActivatedServer<Output: Sendable>(
        descriptor: Int32,
        group: any EventLoopGroup,
        childChannelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Output>
    ) async throws -> NIOAsyncChannel<Output, Never> {
        try await bindActivatedServer(
            descriptor: descriptor,
            bootstrap: ServerBootstrap(group: group),
            childChannelInitializer: childChannelInitializer
        )
    }
}
