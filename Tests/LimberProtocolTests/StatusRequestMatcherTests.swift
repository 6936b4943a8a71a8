import LimberProtocol
import LimberWire
import Testing

/// The pipeline recognises common `status` requests by their bytes: whatever it matches must
/// be read the same by the general parser, and near misses must not be matched.
@Suite struct StatusRequestMatcherTests {
    @Test(arguments: [
        (#"{"cmd":"status"}"#, JSONValue.null),
        (#"{"id":0,"cmd":"status"}"#, .number(0)),
        (#"{"id":42,"cmd":"status"}"#, .number(42)),
        (#"{"cmd":"status","id":999999999999999}"#, .number(999_999_999_999_999)),
    ])
    func theCommonFormsAreMatched(line: String, id: JSONValue) throws {
        #expect(StatusRequestMatcher.match(Array(line.utf8)) == id)
        let request = try ControlCodec.parseRequest(Array(line.utf8)).get()
        #expect(request.cmd == "status")
        #expect((request.id ?? .null) == id)
    }

    @Test(arguments: [
        #"{"cmd":"status" }"#, #"{"id":01,"cmd":"status"}"#, #"{"id":-1,"cmd":"status"}"#, #"{"id":1.5,"cmd":"status"}"#,
        #"{"id":"a","cmd":"status"}"#, #"{"id":1,"cmd":"statuses"}"#, #"{"id":1,"cmd":"status","id":2}"#,
        #"{"id":1000000000000000,"cmd":"status"}"#, #"{"cmd":"status","id":}"#, #"{"id":,"cmd":"status"}"#,
        #"{"cmd":"status","args":{}}"#, #"{"cmd":"stop"}"#, "",
    ])
    func nearMissesAreLeftToTheParser(line: String) {
        #expect(StatusRequestMatcher.match(Array(line.utf8)) == nil)
    }

    /// Random mutations of the common forms: a match always agrees with the parser.
    @Test func everyMatchIsWhatTheParserReads() throws {
        var random = JSONTextTests.Random(state: 8)
        let seeds = [#"{"cmd":"status"}"#, #"{"id":17,"cmd":"status"}"#, #"{"cmd":"status","id":3}"#].map { Array($0.utf8) }
        let alphabet = Array(#"{}":,0123456789 idcmdstatus-."#.utf8)
        var matched = 0
        for _ in 0..<50_000 {
            var bytes = seeds[random.below(seeds.count)]
            for _ in 0..<random.below(3) {
                let index = random.below(bytes.count + 1)
                switch random.below(3) {
                case 0: bytes.insert(alphabet[random.below(alphabet.count)], at: index)
                case 1 where index < bytes.count: bytes.remove(at: index)
                default: if index < bytes.count { bytes[index] = alphabet[random.below(alphabet.count)] }
                }
            }
            guard let id = StatusRequestMatcher.match(bytes) else { continue }
            matched += 1
            let request = try ControlCodec.parseRequest(bytes).get()
            #expect(request.cmd == "status" && (request.id ?? .null) == id, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(matched > 1_000)
    }
}
