import Foundation
import GRDB
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import LimberHistory

@Suite struct HistoryRecorderTests {
    /// A recorder whose events arrive on a stream the test awaits.
    static func recorder(path: String) -> (HistoryRecorder, AsyncStream<HistoryRecorder.Event>) {
        let (events, continuation) = AsyncStream<HistoryRecorder.Event>.makeStream()
        let recorder = HistoryRecorder(
            path: path, logger: Logger(label: "test"), firstRetry: .milliseconds(20), maximumRetry: .milliseconds(100),
            onEvent: { continuation.yield($0) })
        return (recorder, events)
    }

    static let run = SessionRunEntry(
        session: "desk-reset", name: "Desk reset", kind: "exercise", started: "2026-11-29T10:00:00.000Z",
        ended: "2026-11-29T10:03:00.000Z", plannedMs: 180_000, actualMs: 180_000, stepsCompleted: 6, steps: 6,
        stepsSkipped: 0, outcome: "completed")

    static func expectEveryRecordType(path: String) throws {
        let queue = try #require(try HistoryDatabase.openForReading(path: path))
        try queue.read { (db: Database) throws in
            #expect(try SessionRunEntry.fetchAll(db).map { var row = $0; row.id = nil; return row } == [Self.run])
            let entry = try #require(try BreakEntry.fetchOne(db))
            #expect(entry.due == "2026-11-29T13:46:40.000Z" && entry.outcome == .taken && entry.snoozeCount == 1)
            #expect(entry.ended == "2026-11-29T13:51:40.000Z")
            let pain = try #require(try PainEntry.fetchOne(db))
            #expect(pain.level == 4 && pain.note == "stiff" && pain.area == "lower-back")
        }
        #expect(try HistoryDatabase.integrityCheck(queue) == ["ok"])
    }

    static func expectRows(_ count: Int, path: String) throws {
        let queue = try #require(try HistoryDatabase.openForReading(path: path))
        #expect(try queue.read { (db: Database) throws in try SessionRunEntry.fetchCount(db) + PainEntry.fetchCount(db) } == count)
        #expect(try HistoryDatabase.integrityCheck(queue) == ["ok"])
    }

    @Test func writesEveryRecordTypeAndTheFileStaysSound() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        let (recorder, events) = Self.recorder(path: path)
        async let writer: Void = recorder.run()
        recorder.record(.run(Self.run))
        recorder.recordBreak(
            kind: .movement, due: Date(timeIntervalSince1970: 1_795_960_000), outcome: .taken, snoozeCount: 1,
            ended: Date(timeIntervalSince1970: 1_795_960_300))
        recorder.recordPain(level: 4, note: "stiff", area: "lower-back", at: Date(timeIntervalSince1970: 1_795_960_400))
        var written = 0
        for await event in events {
            if case .written(let count) = event { written += count }
            if written == 3 { break }
        }
        recorder.finish()
        await writer
        try Self.expectEveryRecordType(path: path)
    }

    /// The database cannot be created (its path is taken by a directory, which holds even for
    /// root, unlike permission bits): records queue, nothing throws, and they are written
    /// once the path is usable.
    @Test func anUnwritableDatabaseQueuesRecordsAndRetries() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let (recorder, events) = Self.recorder(path: path)
        async let writer: Void = recorder.run()
        recorder.record(.run(Self.run))
        recorder.recordPain(level: 2)
        var failures = 0
        var written = 0
        for await event in events {
            switch event {
            case .failed(let error, let queued):
                failures += 1
                #expect(error.message.contains(path))
                #expect(queued >= 1)
                if failures == 2 { try FileManager.default.removeItem(atPath: path) }
            case .written(let count):
                written += count
            }
            if written == 2 { break }
        }
        recorder.finish()
        await writer
        #expect(failures >= 2)
        try Self.expectRows(2, path: path)
    }

    /// The literal case: a state directory without write permission. Root ignores permission
    /// bits, so this runs only for other users (the test above covers root).
    @Test(.enabled(if: geteuid() != 0, "root writes through permission bits"))
    func aReadOnlyDirectoryQueuesRecordsAndRetries() async throws {
        let directory = try temporaryDirectory()
        defer {
            chmod(directory.path, 0o700)
            try? FileManager.default.removeItem(at: directory)
        }
        let path = directory.appendingPathComponent("history.sqlite").path
        #expect(chmod(directory.path, 0o500) == 0)
        let (recorder, events) = Self.recorder(path: path)
        async let writer: Void = recorder.run()
        recorder.recordPain(level: 6)
        var failures = 0
        var written = 0
        for await event in events {
            switch event {
            case .failed(let error, _):
                failures += 1
                #expect(error.code == .readOnly && error.message.contains("chmod u+w"))
                if failures == 1 { chmod(directory.path, 0o700) }
            case .written(let count):
                written += count
            }
            if written == 1 { break }
        }
        recorder.finish()
        await writer
        #expect(failures >= 1)
        try Self.expectRows(1, path: path)
    }

    @Test func finishingWhileTheDatabaseFailsReturnsInsteadOfRetryingForever() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let (recorder, events) = Self.recorder(path: path)
        async let writer: Void = recorder.run()
        recorder.recordPain(level: 2)
        for await event in events {
            if case .failed = event { break }
        }
        recorder.finish()
        await writer
    }
}
