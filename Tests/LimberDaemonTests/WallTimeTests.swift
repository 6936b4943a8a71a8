import Foundation
import Testing

@testable import LimberDaemon

@Suite("WallTime")
struct WallTimeTests {
    @Test("UTC, zero-padded, millisecond precision, rounding carries into the seconds")
    func format() {
        #expect(WallTime.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(WallTime.iso8601(Date(timeIntervalSince1970: 1_795_921_991.25)) == "2026-11-29T03:13:11.250Z")
        #expect(WallTime.iso8601(Date(timeIntervalSince1970: 1_700_000_009.9996)) == "2023-11-14T22:13:30.000Z")
        #expect(WallTime.iso8601(Date(timeIntervalSince1970: 1_709_164_805.007)) == "2024-02-29T00:00:05.007Z")
    }
}
