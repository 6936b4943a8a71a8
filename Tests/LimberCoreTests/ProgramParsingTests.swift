import Foundation
import LimberCore
import Testing

/// The diagnostics of a program text as `line:column: message`.
private func programProblems(_ text: String, sessions: [String]? = ["cat-cow", "glute-bridges", "dead-bug"]) -> [String] {
    Program.parse(text: text, path: "p.yaml", knownSessions: sessions).diagnostics.map {
        "\($0.line):\($0.column): \($0.message)"
    }
}

@Suite struct ProgramParsingTests {
    static let valid = """
        name: Test program
        description: Two stages.
        time: 07:30
        stages:
          - name: "Weeks 1–2: mobility"
            weeks: 2
            plan:
              daily: [cat-cow]
              mon,wed,fri: [glute-bridges, dead-bug]
          - name: Strength
            weeks: 1
            plan:
              weekdays: [dead-bug]
            rules: {completion: 90%, pain-during: 4, morning-rise: 3, step-back-after: 1}

        """

    @Test func readsAValidProgram() throws {
        let result = Program.parse(text: Self.valid, path: "dir/test-program.yaml", knownSessions: ["cat-cow", "glute-bridges", "dead-bug"])
        #expect(result.diagnostics.isEmpty)
        let program = try #require(result.program)
        #expect(program.id == "test-program")
        #expect(program.time == LocalTime(hour: 7, minute: 30))
        #expect(program.stages.map(\.name) == ["Weeks 1–2: mobility", "Strength"])
        #expect(program.stages[0].sessions(on: .mon) == ["cat-cow", "glute-bridges", "dead-bug"])
        #expect(program.stages[0].sessions(on: .tue) == ["cat-cow"])
        #expect(program.stages[1].sessions(on: .sat) == [])
        #expect(program.stages[0].rules == ProgressionRules())
        #expect(program.stages[1].rules == ProgressionRules(completionPercent: 90, painDuringMax: 4, morningRise: 3, stepBackAfter: 1))
        #expect(program.sessionIDs == ["cat-cow", "glute-bridges", "dead-bug"])
        #expect(Program.looksLikeProgram(Self.valid))
        #expect(!Program.looksLikeProgram("name: S\nkind: exercise\ndescription: d\nsteps:\n  - rest: 1s\n"))
    }

    @Test func reportsEveryProblemWithItsLineAndColumn() {
        let text = """
            name: Broken
            descripton: Typo.
            stages:
              - name: One
                weeks: 0
                plan:
                  daily: [cat-cow, glute-bridge]
                  mon,wed,fry: [dead-bug]
                  tue: dead-bug
              - name: Two
                plan: {sat: []}
                rules: {completion: 120%, pain-durin: 5}

            """
        #expect(programProblems(text) == [
            "2:1: unknown key 'descripton' in the program header: did you mean 'description'?",
            "1:1: missing `description`: add it at the top level, e.g. `description: What it is for.`",
            "5:12: `weeks: 0` must be at least 1",
            "7:24: unknown session 'glute-bridge' (did you mean 'glute-bridges'?): `limber sessions` lists them",
            "8:15: plan day 'mon,wed,fry': unknown day 'fry' (did you mean 'fri'?): use mon, tue, wed, thu, fri, sat, sun, ranges such as mon-fri, or daily",
            "9:12: `tue` must be a list of session ids, e.g. `tue: [morning-mobility]` (in brackets, even for one)",
            "10:5: this stage has no `weeks`: add it, e.g. `weeks: 2`",
            "11:17: `sat` names no sessions: list at least one, e.g. `sat: [morning-mobility]`",
            "12:31: unknown key 'pain-durin' in `rules`: did you mean 'pain-during'?",
            "12:25: `completion` is a percentage from 1% to 100%, e.g. `completion: 80%`, not '120%'",
        ])
    }

    @Test func emptyAndMisshapenStages() {
        #expect(programProblems("name: P\ndescription: D.\nstages:\n") == [
            "3:1: `stages` is empty: add at least one stage, e.g. `- name: Mobility` with `weeks: 2` and `plan:`",
        ])
        #expect(programProblems("name: P\ndescription: D.\nstages: {a: 1}\n") == [
            "3:9: `stages` must be a list of stages (each item starts with `- `), not a mapping",
        ])
        #expect(programProblems("name: P\ndescription: D.\nstages:\n  - name: S\n    weeks: 1\n    plan:\n") == [
            "6:5: `plan` is empty: map days to sessions, e.g. `daily: [morning-mobility]`",
        ])
        #expect(programProblems("name: P\ndescription: D.\ntime: 7.30\nstages:\n  - {name: S, weeks: 1, plan: {daily: [cat-cow]}}\n") == [
            "3:7: '7.30' is not a time: write 24-hour HH:MM, e.g. `time: 07:30`",
        ])
        #expect(programProblems("name: P\ndescription: D.\nstages:\n  - {name: S, weeks: 1, plan: {daily: [cat-cow]}}\n---\nname: Q\n")
            .first?.hasPrefix("5:1: a program file holds one YAML document") == true)
    }

    @Test func sessionIDsAreCheckedOnlyAgainstAKnownList() {
        let text = "name: P\ndescription: D.\nstages:\n  - {name: S, weeks: 1, plan: {daily: [anything]}}\n"
        #expect(programProblems(text, sessions: nil) == [])
        #expect(programProblems(text, sessions: ["cat-cow"]) == [
            "4:40: unknown session 'anything': `limber sessions` lists them",
        ])
    }

    /// The built-in programs are valid against the built-in sessions.
    @Test func builtInProgramsAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sessions = SessionLibrary(directories: [root.appendingPathComponent("Sessions").path])
        let library = ProgramLibrary(directories: [root.appendingPathComponent("Programs").path], sessions: sessions)
        #expect(library.entries().map(\.id) == ["back-on-track", "desk-day"])
        for entry in library.entries() {
            let result = library.load(id: entry.id)
            #expect(result.diagnostics.isEmpty, "\(entry.id): \(result.diagnostics)")
            for id in result.program?.sessionIDs ?? [] {
                #expect(sessions.compile(id: id, strict: true).isValid, "\(entry.id) names \(id), which is not strict-valid")
            }
        }
        let back = try #require(library.load(id: "back-on-track").program)
        #expect(back.stages.map(\.weeks) == [2, 2, 2])
        #expect(back.stages.map(\.name) == ["Weeks 1–2: mobility", "Weeks 3–4: stability", "Weeks 5–6: strength"])
    }
}
