import Foundation
import LimberCore
import Testing

/// The diagnostics of a config text as `line:column: message`.
private func configProblems(_ text: String) -> [String] {
    ConfigParser.parse(text: text, path: "config.yaml").diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
}

@Suite struct ConfigParserTests {
    @Test func emptyFileGivesTheDefaults() throws {
        for text in ["", "# nothing\n", "~\n"] {
            let result = ConfigParser.parse(text: text, path: "config.yaml")
            #expect(result.diagnostics.isEmpty)
            let config = try #require(result.config)
            #expect(config == LimberConfig())
        }
        let defaults = LimberConfig()
        #expect(defaults.breaks.movement == .init(everyMs: 2_700_000, durationMs: 180_000, session: "desk-reset", enabled: true))
        #expect(defaults.breaks.posture == .init(everyMs: 1_200_000, durationMs: 20_000, session: nil, enabled: false))
        #expect(defaults.breaks.snoozeMs == 300_000)
        #expect(defaults.breaks.maxSnoozes == 2)
        #expect(defaults.breaks.reminders == 3)
        #expect(defaults.breaks.reminderIntervalMs == 60_000)
        #expect(defaults.breaks.effectiveNaturalBreakMs == 180_000)
        #expect(defaults.workingHours.isEmpty && defaults.schedule.isEmpty && defaults.hooks.isEmpty)
        #expect(defaults.audio == .init(device: "default", volume: 0.5, cues: [:]))
    }

    static let full = """
        breaks:
          movement: {every: 50m, duration: 5m, session: hip-openers, enabled: yes}
          posture: {every: 15m, duration: 30s, enabled: true, session: shoulder-check}
          snooze: 10m
          max-snoozes: 3
          reminders: 1
          reminder-interval: 2m
          natural-break: 4m
        working-hours:
          - mon-fri 09:00-12:30,13:30-17:30
          - sat 10:00-12:00
          - "fri-mon 20:00-24:00"
        schedule:
          - mon,wed,fri 07:30 morning-mobility
          - daily 21:00 body-scan
          - every day 12:45 walk
        audio:
          device: "plughw:1,0"
          volume: 0.8
          cues: {tick: 0.3, break: 1, end: 0}
        hooks:
          break-due: [notify-send, "Time to move", "Stand up and walk for a few minutes"]
          break-started: [logger, started]
          break-missed: [logger, missed]
          break-snoozed: [logger, snoozed]
          break-skipped: [logger, skipped]
          session-started: [logger, session]
          session-finished: [/usr/bin/true]
          program-due: [notify-send, "Your program", "limber today --start"]

        """

    @Test func readsEveryKey() throws {
        let result = ConfigParser.parse(text: Self.full, path: "config.yaml")
        #expect(result.diagnostics.isEmpty)
        let config = try #require(result.config)
        #expect(config.breaks.movement == .init(everyMs: 3_000_000, durationMs: 300_000, session: "hip-openers", enabled: true))
        #expect(config.breaks.posture == .init(everyMs: 900_000, durationMs: 30_000, session: "shoulder-check", enabled: true))
        #expect(config.breaks.snoozeMs == 600_000)
        #expect(config.breaks.maxSnoozes == 3)
        #expect(config.breaks.reminders == 1)
        #expect(config.breaks.reminderIntervalMs == 120_000)
        #expect(config.breaks.naturalBreakMs == 240_000)
        #expect(config.workingHours == [
            WorkingHoursRule(days: [.mon, .tue, .wed, .thu, .fri], spans: [
                TimeSpan(start: LocalTime(hour: 9, minute: 0), end: LocalTime(hour: 12, minute: 30)),
                TimeSpan(start: LocalTime(hour: 13, minute: 30), end: LocalTime(hour: 17, minute: 30)),
            ]),
            WorkingHoursRule(days: [.sat], spans: [TimeSpan(start: LocalTime(hour: 10, minute: 0), end: LocalTime(hour: 12, minute: 0))]),
            WorkingHoursRule(days: [.fri, .sat, .sun, .mon],
                             spans: [TimeSpan(start: LocalTime(hour: 20, minute: 0), end: LocalTime(hour: 24, minute: 0))]),
        ])
        #expect(config.schedule == [
            ScheduledSession(days: [.mon, .wed, .fri], time: LocalTime(hour: 7, minute: 30), session: "morning-mobility"),
            ScheduledSession(days: Set(Weekday.allCases), time: LocalTime(hour: 21, minute: 0), session: "body-scan"),
            ScheduledSession(days: Set(Weekday.allCases), time: LocalTime(hour: 12, minute: 45), session: "walk"),
        ])
        #expect(config.audio == .init(device: "plughw:1,0", volume: 0.8, cues: [.tick: 0.3, .break: 1, .end: 0]))
        #expect(config.audio.volume(for: .tick) == 0.8 * 0.3)
        #expect(config.audio.volume(for: .bell) == 0.8)
        #expect(config.hooks[.breakDue] == ["notify-send", "Time to move", "Stand up and walk for a few minutes"])
        #expect(config.hooks.count == HookEvent.allCases.count)
    }

    @Test func sessionCanBeUnlinked() throws {
        let config = try #require(ConfigParser.parse(text: "breaks:\n  movement: {session: none}\n", path: "c").config)
        #expect(config.breaks.movement.session == nil)
        #expect(config.breaks.movement.everyMs == 2_700_000)
    }

    @Test func renderReadsBack() throws {
        for config in [LimberConfig(), try #require(ConfigParser.parse(text: Self.full, path: "c").config)] {
            let text = config.render()
            let result = ConfigParser.parse(text: text, path: "shown.yaml")
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)\n\(text)")
            #expect(result.config == config)
        }
        #expect(LimberConfig().render().hasPrefix("breaks:\n  movement:\n    every: 45m\n    duration: 3m\n    session: \"desk-reset\"\n"))
    }

    /// Found by fuzz-config: `\N` (NEL) in a quoted command argument was rendered raw, and
    /// YAML folded it into a space on reading back, so `limber config` showed another command.
    @Test func renderEscapesWhatYAMLReadsAsLineBreaksOrCannotPrint() throws {
        let read = try #require(ConfigParser.parse(text: "voice:\n  command: [sh, \"a\\Nb\"]\n", path: "c").config)
        #expect(read.voice.command == ["sh", "a\u{85}b"])
        var config = read
        config.audio.device = "x\u{85}\u{2028}\u{2029}\u{9B}\u{FEFF}\u{FFFE}\u{7F}\u{1}é😀y"
        for config in [read, config] {
            let text = config.render()
            let result = ConfigParser.parse(text: text, path: "shown.yaml")
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)\n\(text)")
            #expect(result.config == config, "\(text)")
        }
        #expect(config.render().contains(#"device: "x\x85\u2028\u2029\x9b\ufeff\ufffe\x7f\x01é😀y""#))
    }

    @Test func unknownKeysSuggestTheNearestName() {
        #expect(configProblems("breks:\n  snooze: 5m\n") == ["1:1: unknown key 'breks' in the config: did you mean 'breaks'?"])
        #expect(configProblems("breaks:\n  movement: {evry: 30m}\n") == ["2:14: unknown key 'evry' in `movement`: did you mean 'every'?"])
        #expect(configProblems("breaks:\n  max-snooze: 3\n") == ["2:3: unknown key 'max-snooze' in `breaks`: did you mean 'max-snoozes'?"])
        #expect(configProblems("audio:\n  volum: 0.2\n") == ["2:3: unknown key 'volum' in `audio`: did you mean 'volume'?"])
        #expect(configProblems("audio:\n  cues: {tik: 0.2}\n") == ["2:10: unknown cue 'tik' in `cues`: did you mean 'tick'?"])
        #expect(configProblems("hooks:\n  break-dew: [true]\n") == ["2:3: unknown key 'break-dew' in `hooks`: did you mean 'break-due'?"])
        #expect(configProblems("zzz: 1\n") == ["1:1: unknown key 'zzz' in the config: valid keys: breaks, working-hours, schedule, audio, voice, hooks, notifications, presence"])
    }

    @Test func reportsEveryProblemAtOnce() {
        let text = """
            breaks:
              snooze: 5
              max-snoozes: -1
              reminders: lots
              reminder-interval: 0s
              movement: {every: 3m, duration: 5m}
              posture: {enabled: maybe}
            audio:
              volume: 1.5
              cues: {tick: loud}
            hooks:
              break-due: notify-send
              break-missed: []
              session-started: [echo, [nested]]

            """
        #expect(configProblems(text) == [
            "2:11: `snooze`: '5' is a bare number: add a unit, e.g. 5s",
            "3:16: `max-snoozes: -1` must be at least 0",
            "4:14: `reminders` must be a whole number, e.g. `reminders: 3`, not 'lots'",
            "5:22: `reminder-interval`: '0s' is zero: durations must be positive, e.g. 45s",
            "6:35: `movement`: the break (5m) must be shorter than `every` (3m)",
            "7:22: `enabled` is true or false, not 'maybe'",
            "9:11: `volume` must be a number from 0 to 1, e.g. `volume: 0.5`, not '1.5'",
            "10:16: `tick` must be a number from 0 to 1, e.g. `tick: 0.5`, not 'loud'",
            "12:14: `break-due` must be a list of the program and its arguments (no shell), e.g. `break-due: [notify-send, \"Time to move\"]`",
            "13:17: `break-missed` is empty: list the program and its arguments, e.g. `break-missed: [notify-send, \"Time to move\"]`",
            "14:27: each argument of `session-started` must be a single string, not a list",
        ])
    }

    @Test func workingHoursErrorsPointInsideTheEntry() {
        let problems = configProblems("""
            working-hours:
              - mon-fir 09:00-17:00
              - mon 09:00-25:00
              - tue 17:00-09:00
              - "wed 09:00-12:00,11:00-13:00"
              - 09:00-17:00
              - mon-fri
              - thursday 9:00-10:00
            schedule:
              - mon 7:30
              - mon 7h30 yoga
              - funday 07:30 yoga

            """)
        #expect(problems == [
            "2:9: `working-hours` entry 'mon-fir 09:00-17:00': unknown day 'fir' (did you mean 'fri'?): use mon, tue, wed, thu, fri, sat, sun, ranges such as mon-fri, or daily",
            "3:15: `working-hours` entry 'mon 09:00-25:00': '25:00' is not a time: write 24-hour HH:MM, e.g. 09:00 or 17:30",
            "4:9: `working-hours` entry 'tue 17:00-09:00': '17:00-09:00' ends before it starts: the end must be after the start on the same day (split a span past midnight into two days' spans)",
            "5:22: `working-hours` entry 'wed 09:00-12:00,11:00-13:00': '11:00-13:00' overlaps 09:00-12:00: merge them into one span",
            "6:5: `working-hours` entry '09:00-17:00': write days then time spans, e.g. `mon-fri 09:00-12:30,13:30-17:30`",
            "7:5: `working-hours` entry 'mon-fri': write days then time spans, e.g. `mon-fri 09:00-12:30,13:30-17:30`",
            "8:5: `working-hours` entry 'thursday 9:00-10:00': unknown day 'thursday': use mon, tue, wed, thu, fri, sat, sun, ranges such as mon-fri, or daily",
            "10:5: `schedule` entry 'mon 7:30': write days, a time and a session id, e.g. `mon,wed,fri 07:30 morning-mobility`",
            "11:9: `schedule` entry 'mon 7h30 yoga': '7h30' is not a time: write 24-hour HH:MM, e.g. 09:00 or 17:30",
            "12:5: `schedule` entry 'funday 07:30 yoga': unknown day 'funday': use mon, tue, wed, thu, fri, sat, sun, ranges such as mon-fri, or daily",
        ])
    }

    @Test func shapesAndSyntax() {
        #expect(configProblems("- breaks\n") == ["1:1: the top level must be a mapping of sections (`breaks:`, `working-hours:`, `schedule:`, `audio:`, `voice:`, `hooks:`, `notifications:`, `presence:`), not a list"])
        #expect(configProblems("working-hours: mon-fri 09:00-17:00\n") == ["1:16: `working-hours` must be a list, e.g.\n  working-hours:\n    - mon-fri 09:00-12:30,13:30-17:30"])
        #expect(configProblems("breaks: 45m\n") == ["1:9: `breaks` must be a mapping, e.g. `breaks: {snooze: 5m}`, not a single value"])
        #expect(configProblems("breaks:\n  snooze: 5m\n  snooze: 6m\n").map { $0.hasSuffix("duplicate key 'snooze' in one mapping: keep only one") } == [true])
        let syntax = configProblems("breaks:\n  snooze: [5m\n")
        #expect(syntax.count == 1 && syntax[0].contains("not valid YAML"))
        #expect(ConfigParser.parse(text: "audio:\n  volume: 2\n", path: "/home/u/.config/limber/config.yaml").diagnostics.map(\.description)
            == ["/home/u/.config/limber/config.yaml:2:11: error: `volume` must be a number from 0 to 1, e.g. `volume: 0.5`, not '2'"])
    }

    @Test func dayLists() throws {
        let config = try #require(ConfigParser.parse(text: """
            working-hours:
              - mon,wed,fri 08:00-12:00
              - weekends 10:00-11:00
              - sun-tue,thu 14:00-15:00

            """, path: "c").config)
        #expect(config.workingHours.map(\.days) == [[.mon, .wed, .fri], [.sat, .sun], [.sun, .mon, .tue, .thu]])
        #expect(config.workingHours.map(\.text) == ["mon,wed,fri 08:00-12:00", "sat,sun 10:00-11:00", "mon,tue,thu,sun 14:00-15:00"])
    }
}

@Suite struct ConfigDocumentationTests {
    /// The complete example in docs/config.md is a valid config.
    @Test func documentedExampleParses() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/config.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let marker = "## A complete example\n\n```yaml\n"
        let start = try #require(text.range(of: marker))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let example = String(text[start.upperBound..<end.lowerBound])
        let result = ConfigParser.parse(text: example, path: "docs/config.md")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.breaks.naturalBreakMs == 180_000)
        #expect(config.workingHours.count == 2 && config.schedule.count == 2 && config.hooks.count == 2)
    }
}
