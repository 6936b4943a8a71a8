import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LimberVocabulary
import LimberProtocol

extension ClientCommands {
    public struct Break: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Answer a break: take it now, snooze it, or skip it.",
            subcommands: [Now.self, Snooze.self, Skip.self])

        struct Now: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Take the due (or next) break now, starting the session linked to it.",
                discussion: "The movement break's session is set in the config (breaks.movement.session, default desk-reset); without one, a plain timed break runs.")
            @OptionGroup var connection: DaemonConnection

            func run() throws {
                let result: BreakActionResult = try connection.call("break-now")
                print(result.message + (result.status.session == nil ? "" : "; follow it with `limber watch`"))
            }
        }

        struct Snooze: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Put the due break off for a while.",
                discussion: "Without DURATION the configured snooze (breaks.snooze, default 5m) is used. A break can be snoozed breaks.max-snoozes times (default 2); after that, take it or skip it.")
            @OptionGroup var connection: DaemonConnection

            @Argument(help: ArgumentHelp("How long, e.g. 10m.", valueName: "duration"))
            var duration: String?

            func validate() throws {
                if let duration {
                    do { _ = try DurationText.parse(duration) } catch { throw ValidationError(error.message) }
                }
            }

            func run() throws {
                let args: [String: JSONValue]? = duration.map { ["duration": .string($0)] }
                let result: BreakActionResult = try connection.call("break-snooze", args: args)
                print(result.message + (result.status.nextBreak.map { "; it comes back in \(StatusText.clock($0.inMs))" } ?? ""))
            }
        }

        struct Skip: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Skip the due break (it is recorded as skipped).")
            @OptionGroup var connection: DaemonConnection

            func run() throws {
                let result: BreakActionResult = try connection.call("break-skip")
                print(result.message)
            }
        }
    }

    public struct Breaks: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Switch break reminders off for a while, or back on.",
            subcommands: [On.self, Off.self])

        struct On: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Switch break reminders back on.")
            @OptionGroup var connection: DaemonConnection

            func run() throws {
                let result: BreakActionResult = try connection.call("breaks-on")
                print(result.message + (result.status.nextBreak.map { "; next \($0.kind) break in \(StatusText.clock($0.inMs))" } ?? ""))
            }
        }

        struct Off: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Switch break reminders off: --for 1h, --until 14:00, or --indefinitely.",
                discussion: "Scheduled sessions still run. `limber breaks on` switches reminders back on early.")
            @OptionGroup var connection: DaemonConnection

            @Option(name: .customLong("for"), help: ArgumentHelp("For this long, e.g. 1h or 90m.", valueName: "duration"))
            var duration: String?

            @Option(help: ArgumentHelp("Until this local time today (or tomorrow if it has passed), e.g. 14:00.", valueName: "HH:MM"))
            var until: String?

            @Flag(help: "Until `limber breaks on`.")
            var indefinitely = false

            func validate() throws {
                let given = [duration != nil, until != nil, indefinitely].filter { $0 }.count
                guard given == 1 else { throw ValidationError("give exactly one of --for DURATION, --until HH:MM or --indefinitely") }
                if let duration {
                    do { _ = try DurationText.parse(duration) } catch { throw ValidationError(error.message) }
                }
                if let until, LocalTime.parse(until) == nil {
                    throw ValidationError("--until wants a time of day as HH:MM, e.g. 14:00 (got '\(until)')")
                }
            }

            func run() throws {
                var args: [String: JSONValue] = [:]
                if let duration { args["for"] = .string(duration) }
                if let until { args["until"] = .string(until) }
                if indefinitely { args["indefinitely"] = .bool(true) }
                let result: BreakActionResult = try connection.call("breaks-off", args: args)
                print(result.message + (duration.map { " for \($0)" } ?? until.map { " until \($0)" } ?? " until `limber breaks on`"))
            }
        }
    }
}
