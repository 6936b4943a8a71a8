import Logging
import Testing
@testable import LimberDaemon

@Suite struct JournalLogHandlerTests {
    @Test func levelsMapToSyslogPriorities() {
        let expected: [(Logger.Level, Int)] = [
            (.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
        for (level, priority) in expected {
            #expect(JournalLogHandler.syslogPriority(level) == priority, "\(level)")
        }
    }

    @Test func journalLinesCarryPriorityAndNoTimestamp() {
        let line = JournalLogHandler.journalLine(
            level: .warning,
            label: "limberd",
            message: "config rejected",
            metadata: ["file": "config.yaml", "line": "3"]
        )
        #expect(line == "<4>limberd: config rejected file=config.yaml line=3")
    }

    @Test func everyLineOfAMultiLineMessageKeepsItsPriority() {
        let line = JournalLogHandler.journalLine(level: .error, label: "limberd", message: "first\nsecond", metadata: [:])
        #expect(line == "<3>limberd: first\n<3>second")
    }

    @Test func plainLinesAreReadable() {
        let line = JournalLogHandler.plainLine(
            timestamp: JournalLogHandler.timestamp(secondsSinceEpoch: 1_795_953_600),
            level: .info,
            label: "limberd",
            message: "message",
            metadata: ["key": "value"]
        )
        #expect(line == "2026-11-29T12:00:00Z info limberd: message key=value")
    }

    @Test func timestampsAreUTCWithZeroPadding() {
        #expect(JournalLogHandler.timestamp(secondsSinceEpoch: 951_793_445) == "2000-02-29T03:04:05Z")
        #expect(JournalLogHandler.timestamp(secondsSinceEpoch: 0) == "1970-01-01T00:00:00Z")
    }

    @Test func metadataIsSortedAndQuotedWhenNeeded() {
        let text = JournalLogHandler.formatMetadata([
            "session": "box breathing",
            "step": "2",
            "empty": "",
            "quote": "say \"hi\"",
        ])
        #expect(text == #"empty="" quote="say \"hi\"" session="box breathing" step=2"#)
    }

    @Test func journalFormatOnlyWhenStandardErrorIsTheJournalStream() {
        let stderr: (device: UInt64, inode: UInt64) = (device: 25, inode: 4711)
        #expect(JournalLogHandler.Format.select(journalStream: "25:4711", standardError: stderr) == .journal)
        #expect(JournalLogHandler.Format.select(journalStream: "25:4712", standardError: stderr) == .plain)
        #expect(JournalLogHandler.Format.select(journalStream: nil, standardError: stderr) == .plain)
        #expect(JournalLogHandler.Format.select(journalStream: "garbage", standardError: stderr) == .plain)
        #expect(JournalLogHandler.Format.select(journalStream: "25:4711", standardError: nil) == .plain)
    }
}
