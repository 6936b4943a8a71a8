import Foundation
import LimberProtocol
import Testing

@Suite("Blocking control client")
struct ControlClientTests {
    @Test("nothing at the path is notRunning, with the command that starts limberd")
    func notRunning() throws {
        let socket = try ListeningSocket()
        let missing = socket.directory + "/none.sock"
        let error = #expect(throws: ClientError.self) { try ControlClient(path: missing) }
        #expect(error?.code == .notRunning)
        #expect(error?.message.contains("systemctl --user start limberd") == true)
    }

    @Test("a path over sun_path's limit is refused before connecting")
    func pathTooLong() {
        let error = #expect(throws: ClientError.self) { try ControlClient(path: "/tmp/" + String(repeating: "x", count: 200)) }
        #expect(error?.code == .io)
        #expect(error?.message.contains("too long") == true)
    }

    @Test("call sends one request line and decodes a reply that arrives in pieces")
    func callAcrossReads() throws {
        let socket = try ListeningSocket()
        let client = try ControlClient(path: socket.path)
        let peer = try socket.accept()
        peer.write(#"{"id":1,"ok":true,"res"#)
        peer.write(#"ult":{"protocol":1,"version":"9.9","pid":42}}"# + "\n")
        let hello: HelloResult = try client.call("hello", args: ["verbose": .bool(true)])
        #expect(hello == HelloResult(protocolVersion: 1, version: "9.9", pid: 42))
        let request = try #require(peer.readLine())
        let parsed = try ControlCodec.parseRequest(Data(request.utf8)).get()
        #expect(parsed == ControlRequest(id: .number(1), cmd: "hello", args: ["verbose": .bool(true)]))
    }

    @Test("a refusal is thrown as the daemon's ControlError, code and details intact")
    func refusal() throws {
        let socket = try ListeningSocket()
        let client = try ControlClient(path: socket.path)
        let peer = try socket.accept()
        peer.write(#"{"id":1,"ok":false,"error":{"code":"busy","message":"stop it first","details":["a","b"]}}"# + "\n")
        let error = #expect(throws: ControlError.self) { let _: Empty = try client.call("start") }
        #expect(error == ControlError(.busy, "stop it first", details: ["a", "b"]))
    }

    @Test("a reply that is not a reply is a protocolError naming the versions")
    func unreadableReply() throws {
        let socket = try ListeningSocket()
        let client = try ControlClient(path: socket.path)
        let peer = try socket.accept()
        peer.write("[1,2]\n")
        let error = #expect(throws: ClientError.self) { let _: Empty = try client.call("status") }
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains("same version") == true)
    }

    @Test("readLine with a timeout: timed out, then each queued line, then closed")
    func watchLines() throws {
        let socket = try ListeningSocket()
        let client = try ControlClient(path: socket.path)
        let peer = try socket.accept()
        guard case .timedOut = try client.readLine(timeoutMilliseconds: 0) else {
            Issue.record("a line before the daemon wrote one")
            return
        }
        peer.write("{\"event\":\"step\"}\n{\"event\":\"cue\"}\n")
        peer.shutDown()
        var lines: [String] = []
        while case .line(let line) = try client.readLine(timeoutMilliseconds: 5000) {
            lines.append(String(decoding: line, as: UTF8.self))
        }
        #expect(lines == [#"{"event":"step"}"#, #"{"event":"cue"}"#])
        guard case .closed = try client.readLine(timeoutMilliseconds: 0) else {
            Issue.record("the stream did not stay closed")
            return
        }
    }

    @Test("rawCall returns the reply line as sent, without its newline")
    func rawCall() throws {
        let socket = try ListeningSocket()
        let client = try ControlClient(path: socket.path)
        let peer = try socket.accept()
        peer.write(#"{"id":1,"ok":true,"result":{}}"# + "\n")
        #expect(String(decoding: try client.rawCall("pause"), as: UTF8.self) == #"{"id":1,"ok":true,"result":{}}"#)
    }
}

@Suite("Control socket path")
struct ControlSocketPathTests {
    @Test("--socket, then $LIMBER_SOCKET, then $XDG_RUNTIME_DIR; none is nil")
    func precedence() {
        let both = ["LIMBER_SOCKET": "/run/a.sock", "XDG_RUNTIME_DIR": "/run/user/7"]
        #expect(ControlSocketPath.resolve(explicit: "/x.sock", environment: both) == "/x.sock")
        #expect(ControlSocketPath.resolve(explicit: nil, environment: both) == "/run/a.sock")
        #expect(ControlSocketPath.resolve(explicit: "", environment: both, useLimberSocketVariable: false) == "/run/user/7/limber/control.sock")
        #expect(ControlSocketPath.resolve(explicit: nil, environment: ["LIMBER_SOCKET": ""]) == nil)
    }
}
