import Foundation
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A program's `time:` through the real limberd: at that minute the day's sessions still to do
/// are offered (a `program-due` event and hook; nothing starts by itself), and `limber today
/// --start` starts the first of them. Programs plan by the minute, so this waits up to about
/// 70 s for the next one.
@Suite(.timeLimit(.minutes(3)))
struct ProgramOfferTests {
    @Test func theDaysSessionsAreOfferedAtTheProgramsTimeAndStartedFromToday() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            // The next minute, or the one after when this one is nearly over (the program
            // must be started and the daemon told before the time comes).
            let now = Date()
            let lead = utc.component(.second, from: now) >= 50 ? 2 : 1
            let minute = utc.date(byAdding: .minute, value: lead, to: now)!
            let time = String(format: "%02d:%02d", utc.component(.hour, from: minute), utc.component(.minute, from: minute))
            let programs = directory.path + "/programs"
            try FileManager.default.createDirectory(atPath: programs, withIntermediateDirectories: true)
            try Data("""
                name: Offer test
                description: Two short sessions a day, offered at a set time.
                time: "\(time)"
                stages:
                  - name: Only stage
                    weeks: 1
                    plan:
                      daily: [quick, hold]

                """.utf8).write(to: URL(fileURLWithPath: programs + "/offer-test.yaml"))
            let record = directory.path + "/offered"
            let hook = try directory.writeExecutable("hook", "#!/bin/sh\necho \"$LIMBER_PROGRAM|$LIMBER_SESSION|$LIMBER_SESSIONS\" > \(record)\n")
            try directory.writeConfig("hooks:\n  program-due: [\(hook)]\n")
            let daemon = try DaemonProcess(
                in: directory, arguments: ["--config", directory.config, "--programs", programs], environment: ["TZ": "UTC"])
            let watcher = try daemon.connect()
            _ = try watcher.watch()
            let options = ["--state-dir", directory.state, "--programs", programs, "--sessions", directory.sessions, "--socket", daemon.socket]
            func limber(_ arguments: [String]) throws -> ProcessOutput {
                try run(limberBinary(), arguments + options, environment: ["TZ": "UTC"])
            }

            let started = try limber(["program", "start", "offer-test"])
            #expect(started.status == 0, "\(started.stderr)")
            #expect(started.stdout.hasSuffix("limberd offers the day's sessions at \(time)\n"), "\(started.stdout)")
            let seen = try watcher.events(until: { $0.event == .programDue }, within: .seconds(130))
            let offer = try #require(seen.last)
            #expect(offer.program == "offer-test")
            #expect(offer.name == "Offer test")
            #expect(offer.session == "quick")
            #expect(offer.sessions == ["quick", "hold"])
            // The break cue is offered, not a session started.
            #expect(!seen.contains { $0.event == .sessionStarted })
            #expect(try daemon.connect().call("status").state == .idle)
            try eventually("the program-due hook to run", log: { daemon.log }) {
                (try? String(contentsOfFile: record, encoding: .utf8)) == "offer-test|quick|quick hold\n"
            }

            // `limber today --start` takes the plan in order, then says when nothing is left.
            for expected in ["quick", "hold"] {
                let start = try limber(["today", "--start"])
                #expect(start.status == 0, "\(start.stderr)")
                #expect(start.stdout.contains("(\(expected))") && start.stdout.contains("for Offer test"), "\(start.stdout)")
                let finished = try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(10))
                #expect(finished.last?.session == expected)
                try eventually("\(expected) to count as done today", log: { daemon.log }) {
                    try limber(["today"]).stdout.contains("\(expected) (done)")
                }
            }
            let none = try limber(["today", "--start"])
            #expect(none.status == 1)
            #expect(none.stderr.contains("nothing left to start today"), "\(none.stderr)")
            #expect(try daemon.signal(SIGTERM) == 0)
        }
    }
}
