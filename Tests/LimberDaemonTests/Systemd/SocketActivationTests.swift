#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore
import NIOPosix
import Testing
@testable import LimberDaemon

@Suite struct SocketActivationTests {
    let pid: Int32 = 4242

    @Test func notActivatedWithoutOurPID() throws {
        #expect(try SocketActivation.select(environment: [:], pid: pid) == nil)
        #expect(try SocketActivation.select(environment: ["LISTEN_PID": "99", "LISTEN_FDS": "1"], pid: pid) == nil)
        #expect(try SocketActivation.select(environment: ["LISTEN_PID": "4242"], pid: pid) == nil)
        #expect(try SocketActivation.select(environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "0"], pid: pid) == nil)
    }

    @Test func adoptsDescriptorThreeWithoutNames() throws {
        let socket = try SocketActivation.select(environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "2"], pid: pid)
        #expect(socket == ActivatedSocket(descriptor: 3, name: nil))
    }

    @Test func picksTheDescriptorNamedControl() throws {
        let socket = try SocketActivation.select(
            environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "3", "LISTEN_FDNAMES": "metrics:control:other"],
            pid: pid
        )
        #expect(socket == ActivatedSocket(descriptor: 4, name: "control"))
    }

    @Test func aSingleSocketIsUnambiguousWhateverItsName() throws {
        let socket = try SocketActivation.select(
            environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "limberd.socket"],
            pid: pid
        )
        #expect(socket == ActivatedSocket(descriptor: 3, name: "limberd.socket"))
    }

    @Test(arguments: [
        (["LISTEN_PID": "me", "LISTEN_FDS": "1"], SocketActivationError.Code.invalidListenPID),
        (["LISTEN_PID": "0", "LISTEN_FDS": "1"], .invalidListenPID),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "many"], .invalidListenFDs),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "-1"], .invalidListenFDs),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "control"], .namesDoNotMatchCount),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "a:b"], .noControlSocket),
    ])
    func rejectsMalformedEnvironments(environment: [String: String], code: SocketActivationError.Code) {
        #expect(throws: SocketActivationError.self) {
            try SocketActivation.select(environment: environment, pid: pid)
        }
        do {
            _ = try SocketActivation.select(environment: environment, pid: pid)
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func acceptsOnlyListeningStreamSockets() throws {
        let listener = try ListeningUnixSocket()
        try SocketActivation.checkListeningStreamSocket(listener.descriptor)

        let datagram = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(datagram) }
        #expect(throws: SocketActivationError(.notAListeningStreamSocket, "descriptor \(datagram) passed by systemd is not a listening stream socket; check ListenStream= in limberd.socket")) {
            try SocketActivation.checkListeningStreamSocket(datagram)
        }
        #expect(throws: SocketActivationError.self) {
            try SocketActivation.checkListeningStreamSocket(-1)
        }
    }

    @Test func theBoundPathComesFromTheSocketItself() throws {
        let listener = try ListeningUnixSocket()
        #expect(SocketActivation.boundPath(listener.descriptor) == listener.path)

        let unnamed = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(unnamed) }
        #expect(SocketActivation.boundPath(unnamed) == nil)
        let inet = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(inet) }
        #expect(SocketActivation.boundPath(inet) == nil)
        #expect(SocketActivation.boundPath(-1) == nil)
    }

    @Test func anActivatedDaemonNeedsNoRuntimeDirectory() throws {
        let environment = ["HOME": "/home/someone"]
        let paths = try DaemonPaths.resolve(DaemonOptions(), environment: environment, activatedSocket: "/run/user/7/limber/control.sock")
        #expect(paths.socket == "/run/user/7/limber/control.sock")
        #expect(paths.stateDirectory == "/home/someone/.local/state/limber")
        var options = DaemonOptions()
        options.socket = "/tmp/flag.sock"
        #expect(try DaemonPaths.resolve(options, environment: environment, activatedSocket: "/run/x.sock").socket == "/tmp/flag.sock")
        // The inherited socket is where clients connect, whatever XDG_RUNTIME_DIR says.
        #expect(
            try DaemonPaths.resolve(DaemonOptions(), environment: ["XDG_RUNTIME_DIR": "/run/other"], activatedSocket: "/run/x.sock")
                .socket == "/run/x.sock")
        #expect(throws: StartupError.self) { try DaemonPaths.resolve(DaemonOptions(), environment: environment) }
    }

    @Test func adoptionMarksPassedDescriptorsCloseOnExec() throws {
        let listener = try ListeningUnixSocket()
        let descriptor = listener.descriptor
        let flags = fcntl(descriptor, F_GETFD)
        try #require(flags >= 0 && fcntl(descriptor, F_SETFD, flags & ~FD_CLOEXEC) == 0)
        // Describe our socket as the last of the descriptors 3...descriptor, as systemd would.
        let count = descriptor - SocketActivation.firstDescriptor + 1
        let names = Array(repeating: "other", count: Int(count) - 1) + ["control"]

        let socket = try SocketActivation.adopt(
            environment: ["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "\(count)", "LISTEN_FDNAMES": names.joined(separator: ":")],
            pid: getpid()
        )

        #expect(socket == ActivatedSocket(descriptor: descriptor, name: "control"))
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)
    }

    /// Serves a connection on a socket bound outside NIO, as systemd would pass it, with the
    /// caller's bootstrap options, and leaves the socket file in place when the server closes.
    @Test func servesOnAnInheritedSocketAndNeverUnlinksIt() async throws {
        let listener = try ListeningUnixSocket()
        let descriptor = dup(listener.descriptor)  // NIO closes what it adopts; systemd keeps its own copy
        try #require(descriptor >= 0)
        let group = MultiThreadedEventLoopGroup.singleton

        let bootstrap = ServerBootstrap(group: group).childChannelOption(.allowRemoteHalfClosure, value: true)
        let server = try await SocketActivation.bindActivatedServer(descriptor: descriptor, bootstrap: bootstrap) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        let client = try await ClientBootstrap(group: group)
            .connect(unixDomainSocketPath: listener.path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }

        let reply = try await withThrowingTaskGroup(of: String?.self) { tasks in
            tasks.addTask {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        try await connection.executeThenClose { inbound, outbound in
                            for try await request in inbound {
                                try await outbound.write(ByteBuffer(string: "echo " + String(buffer: request)))
                                return
                            }
                        }
                        return nil
                    }
                    return nil
                }
            }
            tasks.addTask {
                try await client.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "status\n"))
                    outbound.finish()  // half-close, as `echo … | socat` does; needs the bootstrap's option
                    for try await response in inbound {
                        return String(buffer: response)
                    }
                    return nil
                }
            }
            var reply: String?
            for try await result in tasks {
                reply = reply ?? result
            }
            return reply
        }

        #expect(reply == "echo status\n")
        var status = stat()
        #expect(stat(listener.path, &status) == 0, "the socket file systemd created must survive the server")
    }
}

/// A listening AF_UNIX stream socket bound by the test, as `limberd.socket` would bind it.
final class ListeningUnixSocket {
    let path: String
    let descriptor: Int32
    private let directory: String

    init() throws {
        var template = Array("/tmp/limber-sock-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw TestSocketError("mkdtemp", errno) }
        directory = String(cString: created)
        path = directory + "/control.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestSocketError("socket", errno) }
        let bound = NotifySocketAddress.path(path).withSockaddr { bind(descriptor, $0, $1) }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let error = TestSocketError("bind/listen", errno)
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
        rmdir(directory)
    }
}
