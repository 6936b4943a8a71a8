import LimberCore
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("45s", 45_000), ("2m", 120_000), ("1m30s", 90_000), ("1h", 3_600_000), ("1h30m", 5_400_000),
        ("500ms", 500), ("1m30s500ms", 90_500), ("90s", 90_000), (" 5s ", 5_000), ("1h02m03s", 3_723_000),
        ("24h", 86_400_000),
    ] as [(String, Int64)])
    func parsesUnits(text: String, milliseconds: Int64) throws {
        #expect(try DurationText.parse(text) == milliseconds)
    }

    @Test func bareNumberAsksForAUnit() {
        let error = #expect(throws: DurationText.ParseError.self) { try DurationText.parse("30") }
        #expect(error?.code == .bareNumber)
        #expect(error?.message == "'30' is a bare number: add a unit, e.g. 30s")
        #expect(throws: DurationText.ParseError.self) { try DurationText.parse("1m30") }
    }

    @Test(arguments: [
        ("0s", DurationText.ParseError.Code.notPositive), ("0m0s", .notPositive), ("-5s", .notPositive),
        ("30s1m", .unitOrder), ("1m1m", .unitOrder), ("5x", .unknownUnit), ("1.5m", .badSyntax),
        ("", .empty), ("s", .badSyntax), ("25h", .tooLong), ("99999999999999999999999h", .tooLong),
        ("1h 30m", .unknownUnit), ("3.5", .bareNumber),
    ])
    func rejects(text: String, code: DurationText.ParseError.Code) {
        do {
            let value = try DurationText.parse(text)
            Issue.record("'\(text)' parsed as \(value)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test(arguments: [
        (Int64(90_000), "1m30s"), (500, "500ms"), (3_720_000, "1h02m"), (3_600_000, "1h"), (45_000, "45s"),
        (1_500, "1s500ms"), (125_000, "2m05s"), (3_605_000, "1h00m05s"), (0, "0s"),
    ])
    func formats(milliseconds: Int64, text: String) {
        #expect(DurationText.format(milliseconds) == text)
    }

    @Test func formatReadsBack() throws {
        for milliseconds: Int64 in [1, 999, 1_000, 59_999, 61_001, 3_599_999, 3_600_001, 86_400_000] {
            #expect(try DurationText.parse(DurationText.format(milliseconds)) == milliseconds)
        }
    }

    @Test func clock() {
        #expect(DurationText.clock(0) == "0:00")
        #expect(DurationText.clock(65_000) == "1:05")
        #expect(DurationText.clock(3_723_250) == "1:02:03.250")
    }
}
