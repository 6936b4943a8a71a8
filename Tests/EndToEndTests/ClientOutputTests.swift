import Foundation
import LimberCore
import LimberProtocol
import LimberSpawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `limber` prints for scripts and people: the same JSON contract as the socket.
@Suite(.timeLimit(.minutes(1)))
struct ClientOutputTests {
    /// Every object key in `value`, at any depth.
    static func keys(of value: JSONValue) -> Set<String> {
        switch value {
        case .object(let object): Set(object.keys).union(object.values.flatMap { keys(of: $0) })
        case .array(let items): Set(items.flatMap { keys(of: $0) })
        default: []
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func showJSONHasTheProtocolsSnakeCaseKeysWithOrWithoutTheDaemon() throws {
        let daemon = try DaemonProcess()
        let offline = try run(limberBinary(), ["show", "quick", "--json", "--sessions", daemon.directory.sessions])
        #expect(offline.status == 0, "\(offline.stderr)")
        let online = try run(limberBinary(), ["show", "quick", "--json", "--socket", daemon.socket])
        #expect(online.status == 0, "\(online.stderr)")
        let reply = try daemon.connect().request("show", args: ["id": .string("quick")], as: JSONValue.self)
        let wire = try #require(reply.result)

        let printed = try Self.parse(offline.stdout)
        #expect(printed == wire, "limber show --json (offline) differs from the daemon's show reply")
        #expect(try Self.parse(online.stdout) == wire, "limber show --json (through limberd) differs from its show reply")
        let keys = Self.keys(of: printed)
        #expect(keys.isSuperset(of: ["offset_ms", "duration_ms", "segment_index", "total_ms", "segments", "cues"]), "\(keys)")
        let camel = keys.filter { $0.contains { $0.isUppercase } }
        #expect(camel.isEmpty, "camelCase keys in limber show --json: \(camel.sorted())")
    }

    @Test func sessionsJSONHasSnakeCaseKeys() throws {
        let directory = try TestDirectory()
        let listed = try run(limberBinary(), ["sessions", "--json", "--sessions", directory.sessions])
        #expect(listed.status == 0, "\(listed.stderr)")
        let keys = Self.keys(of: try Self.parse(listed.stdout))
        #expect(keys.contains("total_ms"), "\(keys)")
        #expect(!keys.contains { $0.contains { $0.isUppercase } }, "\(keys)")
    }

    @Test func watchThroughAPipePrintsEachLineAsItHappens() throws {
        let daemon = try DaemonProcess()
        let pipe = try PipeReader()
        let watch = try ChildProcess(
            limberBinary().path, ["watch", "--socket", daemon.socket], environment: ProcessInfo.processInfo.environment,
            stdout: .descriptor(pipe.writeEnd), stderr: .null)
        pipe.closeWriteEnd()
        defer {
            watch.signal(SIGTERM)
            watch.wait()
        }
        // Each line must arrive while watch runs on: a buffered client shows nothing here.
        #expect(try pipe.line(within: .seconds(10)) == "idle")
        _ = try daemon.connect().call("start", args: ["id": .string("steady")])
        let first = try pipe.line(within: .seconds(10))
        #expect(first == "step 1/3: Alpha (1:00)")
        _ = try daemon.connect().call("next")
        #expect(try pipe.line(within: .seconds(10)) == "step 2/3: Bravo (1:00)")
        #expect(watch.termination == nil, "limber watch exited: \(String(describing: watch.termination))")
    }
}

/// The read end of a pipe whose write end a child holds, read line by line with a time limit.
final class PipeReader {
    private let readEnd: Int32
    private(set) var writeEnd: Int32
    private var buffer: [UInt8] = []

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TestFailure("pipe: \(String(cString: strerror(errno)))") }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        closeWriteEnd()
    }

    /// Once the child has its copy: the pipe then ends when the child exits.
    func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }

    /// The next whole line, without its newline.
    func line(within timeout: Duration) throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw TestFailure("no whole line through the pipe within \(timeout); got \(String(decoding: buffer, as: UTF8.self).debugDescription)")
            }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&descriptor, 1, milliseconds) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(readEnd, &chunk, chunk.count)
            if count == 0 { throw TestFailure("the pipe closed; got \(String(decoding: buffer, as: UTF8.self).debugDescription)") }
            if count > 0 { buffer += chunk[..<count] }
        }
    }
}
