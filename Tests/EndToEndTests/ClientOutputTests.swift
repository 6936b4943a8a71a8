import Foundation
import LimberCore
import Testing

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
}
