import ArgumentParser
import LimberClient
import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProgram
import LimberProtocol

/// `--programs DIR` and `--sessions DIR`, for the commands that read programs.
struct ProgramsOptions: ParsableArguments {
    @Option(
        name: .customLong("programs"),
        help: ArgumentHelp(
            "Read programs from DIR instead of the search path (repeatable; earlier wins).", valueName: "DIR"))
    var directories: [String] = []

    @OptionGroup var sessions: SessionsOptions

    func library() -> ProgramLibrary {
        ProgramLibrary(explicitDirectories: directories.isEmpty ? nil : directories, sessions: sessions.library())
    }

    /// Program `id`, or exit 1 with its problems.
    func load(_ id: String) throws -> LimberCore.Program {
        let result = library().load(id: id)
        guard let program = result.program else {
            for diagnostic in result.diagnostics { Output.error(diagnostic.description) }
            Output.fail("program '\(id)' cannot be used: fix the problems above (`limber validate FILE` checks a file)")
            throw ExitCode.problem
        }
        return program
    }
}

extension HistoryLocation {
    /// Opens the database for writing (creating it), runs `body` in one transaction.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            return try HistoryDatabase.openForWriting(path: path).write(body)
        } catch {
            Output.fail(HistoryError.from(error, path: path).message)
            throw ExitCode.problem
        }
    }

    /// The program followed, brought up to date (its due decisions recorded), or nil.
    func currentProgram(_ options: ProgramsOptions, now: Date = Date()) throws -> ProgramState? {
        try write { db -> ProgramState? in
            guard let run = try ProgramStore.current(db) else { return nil }
            let loaded = options.library().load(id: run.program)
            guard let program = loaded.program else {
                return ProgramStore.unreadable(run, problem: loaded.diagnostics.map(\.description).joined(separator: "; "))
            }
            return try ProgramStore.evaluate(run, program: program, at: now, calendar: .current, in: db)
        }
    }
}

extension Limber {
    struct ProgramCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "program",
            abstract: "Follow a week-by-week program that progresses with your pain (docs/programs.md).",
            subcommands: [List.self, Begin.self, Show.self, End.self])
    }

    struct Today: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What your program plans today, and why.",
            discussion: """
                Records any decision due (weekly reviews, a step back after flares) first. Works with \
                limberd stopped. --start starts the first of today's sessions not yet done (limberd \
                offers them at the program's time with the break cue and a program-due event and hook).
                """)

        @OptionGroup var location: HistoryLocation
        @OptionGroup var programs: ProgramsOptions
        @OptionGroup var connection: DaemonConnection

        @Flag(help: "Print the program's state as JSON.")
        var json = false

        @Flag(help: "Start the first of today's planned sessions not yet done (limberd must run).")
        var start = false

        func validate() throws {
            if start && json { throw ValidationError("--start and --json go separately: run `limber today --json`, then `limber today --start`") }
        }

        func run() throws {
            guard let program = try location.currentProgram(programs) else {
                print("no program followed: `limber program list` shows them, `limber program start back-on-track` begins one")
                if start { throw ExitCode.problem }
                return
            }
            if json { return try Output.json(program) }
            guard start else { return print(ProgramText.today(program)) }
            guard let session = program.remainingToday.first else {
                print(ProgramText.today(program))
                Output.fail(
                    program.pausedForRedFlags
                        ? "nothing started: the program pauses its exercise until a professional has seen you (see above)"
                        : "nothing left to start today: nothing is planned, or every planned session is done")
                throw ExitCode.problem
            }
            let status: StatusResult = try connection.call("start", args: ["id": .string(session)])
            if let progress = status.session {
                print("started \(progress.name) (\(progress.id)), \(StatusText.clock(progress.totalMs)) for \(program.name); follow it with `limber watch`")
            }
        }
    }

    struct Checkin: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Morning check-in: pain and stiffness now, 0–10.",
            discussion: "Asks for what is not given as an option. Writes the history database directly (limberd need not run); programs compare each morning with your baseline.")

        @OptionGroup var location: HistoryLocation

        @Option(help: ArgumentHelp("Pain now, 0 (none) to 10 (worst).", valueName: "n"))
        var pain: Int?

        @Option(help: ArgumentHelp("Stiffness now, 0 (none) to 10 (worst).", valueName: "n"))
        var stiffness: Int?

        @Option(help: ArgumentHelp("A note, e.g. \"slept badly\".", valueName: "text"))
        var note: String?

        func validate() throws {
            for (name, value) in [("--pain", pain), ("--stiffness", stiffness)] {
                if let value, !PainEntry.levels.contains(value) { throw ValidationError("\(name) is a number from 0 to 10; got \(value)") }
            }
        }

        func run() throws {
            guard let pain = pain ?? SessionRating.ask("Pain now, 0–10: "),
                  let stiffness = stiffness ?? SessionRating.ask("Stiffness now, 0–10: ")
            else {
                Output.fail("nothing recorded: a check-in needs both pain and stiffness (e.g. limber checkin --pain 3 --stiffness 4)")
                throw ExitCode.problem
            }
            let entry = CheckinEntry(time: HistoryTime.iso8601(Date()), pain: pain, stiffness: stiffness, note: note)
            try location.append([.checkin(entry)])
            print("checked in: pain \(pain)/10, stiffness \(stiffness)/10")
        }
    }
}

extension Limber.ProgramCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the programs on the search path.")

        @OptionGroup var programs: ProgramsOptions

        func run() throws {
            let library = programs.library()
            let entries = library.entries()
            if entries.isEmpty { print("no programs in \(library.directories.joined(separator: ", "))") }
            for entry in entries {
                let result = library.load(file: entry.path, id: entry.id)
                if let program = result.program {
                    let weeks = program.stages.map(\.weeks).reduce(0, +)
                    print("\(entry.id)  \(program.name) — \(program.stages.count) stage\(program.stages.count == 1 ? "" : "s"), at least \(weeks) week\(weeks == 1 ? "" : "s")")
                } else {
                    print("\(entry.id)  (invalid: \(result.errors.first?.description ?? "unreadable"))")
                }
            }
        }
    }

    struct Begin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Start a program today (stopping the one followed until now).")

        @OptionGroup var location: HistoryLocation
        @OptionGroup var programs: ProgramsOptions

        @OptionGroup var connection: DaemonConnection

        @Argument(help: ArgumentHelp("The program id, e.g. back-on-track.", valueName: "id"))
        var id: String

        func run() throws {
            let program = try programs.load(id)
            let now = Date()
            _ = try location.write { db in try ProgramStore.start(program, at: now, calendar: .current, in: db) }
            print("started \(program.name) (\(program.id)): \(program.stages[0].name)")
            if let state = try location.currentProgram(programs, now: now) { print(ProgramText.today(state)) }
            if let time = program.time {
                let told = connection.tellProgramChanged()
                print("limberd offers the day's sessions at \(time)\(told ? "" : " once it runs (it reads the program when it starts)")")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "The program followed: its stage, every decision with its reason, and advice.")

        @OptionGroup var location: HistoryLocation
        @OptionGroup var programs: ProgramsOptions

        @Flag(help: "Print the program's state as JSON.")
        var json = false

        func run() throws {
            guard let program = try location.currentProgram(programs) else {
                print("no program followed: `limber program start ID` begins one")
                return
            }
            if json { return try Output.json(program) }
            print(ProgramText.headline(program))
            for decision in program.decisions ?? [] {
                print("  \(HistoryDate.short(decision.day))  \(decision.decision): \(decision.reason)")
            }
            print(ProgramText.today(program))
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop following the program.")

        @OptionGroup var location: HistoryLocation
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let stopped = try location.write { db in try ProgramStore.stop(at: Date(), in: db) }
            guard let stopped else {
                print("no program followed; nothing to stop")
                return
            }
            _ = connection.tellProgramChanged()
            print("stopped \(stopped.name); its decisions stay in the history")
        }
    }
}
