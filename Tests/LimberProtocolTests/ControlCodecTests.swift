import Foundation
import LimberProtocol
import Testing

@Suite("Control protocol parsing")
struct ControlCodecTests {
    @Test("requests parse; each kind of malformed line gets its own error code")
    func parse() {
        func code(_ line: String) -> String? {
            if case .failure(let rejected) = ControlCodec.parseRequest(Data(line.utf8)) { return rejected.error.code.rawValue }
            return nil
        }
        #expect(code("{\"id\":1,\"cmd\":\"status\"}") == nil)
        #expect(code("not json") == "bad-json")
        #expect(code("[1,2]") == "bad-request")
        #expect(code("{\"id\":1}") == "bad-request")
        #expect(code("{\"cmd\":5}") == "bad-request")
        #expect(code("{\"cmd\":\"start\",\"args\":[1]}") == "bad-args")
        if case .failure(let rejected) = ControlCodec.parseRequest(Data("{\"id\":\"abc\"}".utf8)) {
            #expect(rejected.id == .string("abc"))
        }
        let request = ControlRequest(cmd: "start", args: ["id": .number(3), "replace": .string("yes")])
        #expect(throws: ControlError.self) { try request.string("id") }
        #expect(throws: ControlError.self) { try request.bool("replace") }
        #expect((try? request.string("missing")) == .some(nil))
    }

    @Test("replies always carry an id, null when the request had none")
    func replyID() throws {
        let line = String(decoding: ControlCodec.line(ControlReply<Empty>(id: nil, error: ControlError(.badJSON, "x"))), as: UTF8.self)
        #expect(line.contains("\"id\":null"))
        #expect(line.hasSuffix("\n"))
        let decoded = try ControlCodec.decoder().decode(ControlReply<Empty>.self, from: Data(line.utf8))
        #expect(decoded.error?.code == .badJSON)
    }
}
