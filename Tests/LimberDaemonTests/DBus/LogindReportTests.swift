import Testing

@testable import LimberDaemon

/// What logind's property dictionaries say, in presence terms.
@Suite struct LogindReportTests {
    @Test func logindPropertiesBecomePresenceReports() {
        #expect(LogindReport.reports(["LockedHint": .bool(true), "Active": .bool(true)]) == [.locked(true)])
        #expect(LogindReport.reports(["IdleHint": .bool(true), "IdleSinceHint": .uint64(42)]) == [.idle(true, sinceMicroseconds: 42)])
        #expect(LogindReport.reports(["IdleSinceHint": .uint64(42)]) == [])
    }
}
