#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LimberWire

/// Runs one ``ThinCommandLine`` against limberd: the same request, output, messages and exit
/// statuses as the command in limber-tools (0 done, 1 limberd refused, 3 unreachable).
enum ThinClient {
    static func run(_ line: ThinCommandLine) -> Int32 {
        guard let path = ControlSocketPath.resolve(explicit: line.socket) else {
            fail("XDG_RUNTIME_DIR is not set, so limber cannot find limberd's socket; pass --socket PATH or set LIMBER_SOCKET")
            return 3
        }
        let reply: [UInt8]
        do throws(ClientError) {
            let connection = try WireConnection(path: path)
            try connection.send(Array(#"{"cmd":"\#(line.command)","id":1}"#.utf8) + [0x0A])
            guard let answer = try connection.readLine() else {
                throw ClientError(.io, "limberd closed the connection without answering \(line.command)")
            }
            reply = answer
        } catch {
            fail(error.message)
            return 3
        }
        let parsed: (value: JSONValue, members: [String: Range<Int>])
        let status: StatusResult
        do {
            parsed = try JSONText.parseWithSpans(reply)
            guard case .object(let members) = parsed.value else { throw unreadable("not an object") }
            if let error = members["error"], error != .null {
                let refusal = try JSONValueDecoder().decode(ControlError.self, from: error)
                fail(refusal.message)
                for detail in refusal.details ?? [] { fail(detail) }
                return 1
            }
            guard let result = members["result"] else { throw unreadable("no result") }
            status = try JSONValueDecoder().decode(StatusResult.self, from: result)
        } catch {
            fail("limberd sent a reply limber cannot read (\(error)); are both from the same version?")
            return 3
        }
        if line.json, let span = parsed.members["result"] {
            write(Array(reply[span]) + [0x0A])
        } else if let format = line.format {
            write(Array((StatusText.format(format, status) + "\n").utf8))
        } else if line.command == "status" {
            write(Array((StatusText.human(status) + "\n").utf8))
        } else if let text = ControlReplyText.text(for: line.command, status) {
            write(Array((text + "\n").utf8))
        }
        return 0
    }

    private static func unreadable(_ what: String) -> ClientError { ClientError(.protocolError, what) }

    private static func fail(_ message: String) {
        writeWhole(STDERR_FILENO, Array("limber: \(message)\n".utf8))
    }

    private static func write(_ bytes: [UInt8]) { writeWhole(STDOUT_FILENO, bytes) }
}
