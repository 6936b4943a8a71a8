import Foundation
import LimberCore
import LimberProtocol
import Testing

/// limberd answers `status` in the connection's pipeline and everything else in the
/// connection's task: requests written back to back, in an irregular mix, must still be
/// answered one reply each, in order, each status saying what the commands before it did.
@Suite(.timeLimit(.minutes(1)))
struct PipelinedRequestTests {
    @Test func mixedRequestsWrittenAtOnceAreAnsweredInOrder() throws {
        let daemon = try DaemonProcess()
        let client = try daemon.connect()
        // Status around commands that change it, refusals, bad lines and empty lines.
        let requests: [(line: String, id: Int?, expect: (ControlReply<StatusResult>) -> Bool)] = [
            (#"{"id":1,"cmd":"status"}"#, 1, { $0.result?.state == .idle }),
            (#"{"id":2,"cmd":"pause"}"#, 2, { $0.error?.code == .noSession }),
            (#"{"id":3,"cmd":"status"}"#, 3, { $0.result?.state == .idle }),
            (#"{"id":4,"cmd":"start","args":{"id":"steady"}}"#, 4, { $0.result?.state == .running }),
            (#"{"id":5,"cmd":"status"}"#, 5, { $0.result?.state == .running && $0.result?.session?.id == "steady" }),
            (#"{"id":6,"cmd":"pause"}"#, 6, { $0.result?.state == .paused }),
            (#"{"id":7,"cmd":"status"}"#, 7, { $0.result?.state == .paused }),
            (#"{"id":8,"cmd":"status"}"#, 8, { $0.result?.state == .paused }),
            (#"{"id":9,"cmd":"status""#, nil, { $0.error?.code == .badJSON }),
            (#"{"id":10,"cmd":"resume"}"#, 10, { $0.result?.state == .running }),
            (#"{"id":11,"cmd":"status"}"#, 11, { $0.result?.state == .running }),
            (#"{"id":12,"cmd":"stop"}"#, 12, { $0.result?.state == .idle }),
            (#"{"id":13,"cmd":"status"}"#, 13, { $0.result?.state == .idle && $0.result?.session == nil }),
        ]
        // Written in irregular pieces: whole lines, empty lines, a line split mid-word.
        var text = ""
        for (index, request) in requests.enumerated() {
            text += request.line + (index % 3 == 0 ? "\n\n" : "\n")
        }
        let bytes = Array(text.utf8)
        var offset = 0
        for size in [7, 90, 3, 200, 41, 1000] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            try client.send(String(decoding: bytes[offset..<end], as: UTF8.self))
            offset = end
            usleep(2_000)
        }
        if offset < bytes.count { try client.send(String(decoding: bytes[offset...], as: UTF8.self)) }
        for request in requests {
            guard case .line(let line) = try client.readLine() else {
                Issue.record("no reply to \(request.line)\n\(daemon.log)")
                return
            }
            let reply = try ControlCodec.decoder().decode(ControlReply<StatusResult>.self, from: Data(line.utf8))
            #expect((reply.id ?? .null) == (request.id.map { .number(Double($0)) } ?? .null), "\(request.line) got \(line)")
            #expect(request.expect(reply), "\(request.line) got \(line)")
        }
        #expect(try client.readLine(within: .milliseconds(200)) == .timedOut)
    }

    /// Thousands of `status` requests in one write, from a client that reads only once they
    /// are all sent: every one is answered, in order, and the daemon still serves others.
    @Test func aFloodOfStatusRequestsIsAnsweredInFull() throws {
        let daemon = try DaemonProcess()
        let client = try daemon.connect()
        let count = 5_000
        let text = (1...count).map { #"{"id":\#($0),"cmd":"status"}"# + "\n" }.joined()
        try client.send(text)
        for id in 1...count {
            guard case .line(let line) = try client.readLine() else {
                Issue.record("reply \(id) missing\n\(daemon.log)")
                return
            }
            let reply = try ControlCodec.decoder().decode(ControlReply<StatusResult>.self, from: Data(line.utf8))
            #expect(reply.id == .number(Double(id)))
            if reply.id != .number(Double(id)) { return }
        }
        #expect(try daemon.connect().call("status").state == .idle)
    }
}
