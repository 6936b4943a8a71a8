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
    public static func bindActivatedServer<Output: Sendable>(
        descriptor: Int32,
        group: any EventLoopGroup,
        childChannelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Output>
    ) async throws -> NIOAsyncChannel<Output, Never> {
        try await ServerBootstrap(group: group)
            .bind(descriptor, childChannelInitializer: childChannelInitializer)
    }
}
