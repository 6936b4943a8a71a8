import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProgram
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Programs as a user meets them: `limber program start`, `checkin` and `today` through the
/// built binary, the real limberd reporting the program in `status --json` across a restart
/// and a kill -9, and three weeks of synthetic days judged by `limber program status`.
@Suite struct ProgramEndToEndTests {
    static var sessions: String { repositoryRoot().appendingPathComponent("Sessions").path }
    static var programs: String { repositoryRoot().appendingPathComponent("Programs").path }

    /// `limber ARGS --state-dir ... --programs ... --sessions ...` in UTC.
    static func limber(_ arguments: [String], state: String, library: Bool = true) throws -> ProcessOutput {
        let options = ["--state-dir", state] + (library ? ["--programs", programs, "--sessions", sessions] : [])
        return try run(limberBinary(), arguments + options, environment: ["TZ": "UTC"])
    }

    static func status(_ daemon: DaemonProcess) throws -> StatusResult {
        let output = try run(limberBinary(), ["status", "--json", "--socket", daemon.socket])
        #expect(output.status == 0, "\(output.stderr)")
        return try ControlCodec.decoder().decode(StatusResult.self, from: Data(output.stdout.utf8))
    }

    @Test func roundTripThroughTheDaemonSurvivesRestartAndKill() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            let flags = ["--sessions", Self.sessions, "--programs", Self.programs]
            var daemon = try DaemonProcess(in: directory, arguments: flags, environment: ["TZ": "UTC"])
            #expect(try Self.status(daemon).program == nil)

            let started = try Self.limber(["program", "start", "back-on-track"], state: directory.state)
            #expect(started.status == 0, "\(started.stderr)")
            #expect(started.stdout.hasPrefix("started Back on track (back-on-track): Weeks 1–2: mobility\nWeek 1 of Back on track"))
            let checkin = try Self.limber(["checkin", "--pain", "3", "--stiffness", "2"], state: directory.state, library: false)
            #expect(checkin.stdout == "checked in: pain 3/10, stiffness 2/10\n")

            func expectProgram(_ when: String) throws {
                let program = try #require(try Self.status(daemon).program, "no program in status \(when)")
                #expect(program.id == "back-on-track")
                #expect(program.state == "active")
                #expect(program.stage == 0 && program.stages == 3)
                #expect(program.stageName == "Weeks 1–2: mobility")
                #expect(program.week == 1)
                #expect(program.today.first == "morning-mobility")
            }
            try expectProgram("after program start")
            #expect(try daemon.signal(SIGKILL) == 128 + SIGKILL)
            daemon = try DaemonProcess(in: directory, arguments: flags, environment: ["TZ": "UTC"])
            try expectProgram("after kill -9")
            #expect(try daemon.signal(SIGTERM) == 0)
            daemon = try DaemonProcess(in: directory, arguments: flags, environment: ["TZ": "UTC"])
            try expectProgram("after a restart")

            let human = try run(limberBinary(), ["status", "--socket", daemon.socket])
            #expect(human.stdout.contains("program: Back on track, week 1 — Weeks 1–2: mobility (stage 1 of 3)"))
            let stopped = try Self.limber(["program", "stop"], state: directory.state, library: false)
            #expect(stopped.stdout == "stopped Back on track; its decisions stay in the history\n")
            #expect(try Self.status(daemon).program == nil)
            let today = try Self.limber(["today"], state: directory.state)
            #expect(today.stdout.hasPrefix("no program followed"))
        }
    }

    /// `limber validate` takes programs beside sessions: the built-ins pass strict, and a
    /// broken one gets exact locations.
    @Test func validateChecksPrograms() throws {
        let directory = try TestDirectory()
        let broken = directory.path + "/broken.yaml"
        try Data("name: Broken\ndescription: D.\nstages:\n  - name: One\n    weeks: 1\n    plan: {daily: [cat-cw], mon,fry: [dead-bug]}\n".utf8)
            .write(to: URL(fileURLWithPath: broken))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.programs).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["back-on-track.yaml", "desk-day.yaml"])
        let valid = try run(limberBinary(), ["validate", "--strict", "--sessions", Self.sessions] + files.map { Self.programs + "/" + $0 })
        #expect(valid.status == 0)
        #expect(valid.stdout == "2 files valid (0 errors, 0 warnings)\n")
        let invalid = try run(limberBinary(), ["validate", "--sessions", Self.sessions, broken])
        #expect(invalid.status == 1)
        #expect(invalid.stdout == """
            \(broken):6:20: error: unknown session 'cat-cw' (did you mean 'cat-cow'?): `limber sessions` lists them
            \(broken):6:29: error: `mon` names no sessions: inside `{...}` a comma separates entries, so quote a list of days, e.g. `"mon,wed,fri": [dead-bug]`, or list sessions for `mon`
            \(broken):6:33: error: plan day 'fry': unknown day 'fry' (did you mean 'fri'?): use mon, tue, wed, thu, fri, sat, sun, ranges such as mon-fri, or daily
            1 of 1 file invalid (3 errors, 0 warnings)

            """)
    }

    /// A red flag logged while a program runs: advice in `today`, and no exercise suggested.
    @Test func aRedFlagTurnsTodayIntoAdvice() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            #expect(try Self.limber(["program", "start", "desk-day"], state: directory.state).status == 0)
            let logged = try Self.limber(["log", "pain", "4", "--flag", "weakness"], state: directory.state, library: false)
            #expect(logged.stdout.hasPrefix("recorded pain 4/10\nSee a professional: NHS guidance is to see a GP urgently, or call NHS 111, about back pain with weakness in a leg or foot."))
            let today = try Self.limber(["today"], state: directory.state)
            #expect(today.stdout.contains("Today: no exercise from the program until a professional has seen you about the symptoms below."))
            #expect(today.stdout.contains("you logged weakness in a leg or foot with your pain."))
            #expect(!today.stdout.contains("limber start"))
            #expect(today.stdout.hasSuffix("This is advice from your records, not a diagnosis.\n"))
            let stats = try Self.limber(["stats"], state: directory.state, library: false)
            #expect(stats.stdout.contains("See a professional: On "))
            #expect(stats.stdout.contains("you logged weakness in a leg or foot with your pain. NHS guidance is to see a GP urgently"))
            let refused = try Self.limber(["log", "pain", "4", "--flag", "dizzy"], state: directory.state, library: false)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("unknown --flag 'dizzy': use numbness, weakness, bladder-bowel, fever, fall"))
        }
    }

    /// The "done when" of issue 13: Back on track started three weeks ago, two good weeks and
    /// a flare in the third, as docs/programs.md says: hold (day 7 of 14), advance (day 14),
    /// step back (two flare days in seven).
    @Test func threeSyntheticWeeksAdvanceHoldAndStepBack() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            try FileManager.default.createDirectory(atPath: directory.state, withIntermediateDirectories: true)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
            let today = ProgramStore.day(of: Date(), calendar: calendar)
            let start = today - 20
            func at(_ day: Int, hour: Int) -> String {
                HistoryTime.iso8601(Date(timeIntervalSince1970: Double(day) * 86_400 + Double(hour) * 3_600))
            }
            let program = try #require(ProgramLibrary(directories: [Self.programs], sessions: SessionLibrary(directories: [Self.sessions])).load(id: "back-on-track").program)
            var records: [HistoryRecord] = []
            func day(_ day: Int, stage: Int, during: Int = 3, morning: Int = 3) {
                records.append(.checkin(CheckinEntry(time: at(day, hour: 7), pain: morning, stiffness: 3)))
                for (index, id) in program.stages[stage].sessions(on: ProgressionEngine.weekday(ofDay: day)).enumerated() {
                    let begun = at(day, hour: 8 + index)
                    records.append(.run(SessionRunEntry(
                        session: id, name: id, kind: "exercise", started: begun, ended: at(day, hour: 8 + index),
                        plannedMs: 60_000, actualMs: 60_000, stepsCompleted: 3, steps: 3, stepsSkipped: 0, outcome: "completed")))
                    records.append(.pain(PainEntry(level: during, time: begun, session: id, moment: .after)))
                }
            }
            for date in start..<(start + 14) { day(date, stage: 0) }
            day(start + 14, stage: 1)
            day(start + 15, stage: 1)
            day(start + 16, stage: 1, during: 7)
            day(start + 17, stage: 0, morning: 6)
            try HistoryDatabase.append(records, path: directory.historyFile)
            let queue = try HistoryDatabase.openForWriting(path: directory.historyFile)
            try queue.write { db in
                try ProgramRunEntry(program: "back-on-track", name: "Back on track", started: at(start, hour: 6), startDay: ProgramDay.label(start)).insert(db)
            }

            let output = try Self.limber(["program", "status", "--json"], state: directory.state)
            #expect(output.status == 0, "\(output.stderr)")
            let state = try ControlCodec.decoder().decode(ProgramState.self, from: Data(output.stdout.utf8))
            let decisions = state.decisions ?? []
            #expect(decisions.map(\.decision) == ["hold", "advance", "step-back"])
            #expect(decisions.map(\.day) == [start + 7, start + 14, start + 18].map(ProgramDay.label))
            #expect(decisions.first?.reason.hasPrefix("held: day 7 of at least 14 in Weeks 1–2: mobility; the rules held") == true)
            #expect(decisions.dropFirst().first?.reason.hasPrefix("advanced to Weeks 3–4: stability: 14 days") == true)
            #expect(decisions.last?.reason.hasPrefix("stepped back to Weeks 1–2: mobility: 2 days with a flare in 7 (pain 7/10 during cat-cow on \(ProgramDay.short(start + 16))") == true)
            #expect(decisions.last?.reason.contains("morning pain 6/10 on \(ProgramDay.short(start + 17)), 2 or more above your baseline of 3") == true)
            #expect(state.stage == 0 && state.week == 3)
            // Recorded once: asking again decides nothing new.
            _ = try Self.limber(["today"], state: directory.state)
            #expect(try queue.read { try ProgramDecisionEntry.fetchCount($0) } == 3)
        }
    }
}
