import Foundation
import Testing

/// `limber validate`, `show` and `sessions`, run as a user runs them: the built binary.
@Suite struct OfflineCommandTests {
    let binary = limberBinary()

    func scratchDirectory(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limber-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
        return url
    }

    static let valid = """
        name: Stretch
        kind: exercise
        description: A short stretch.
        steps:
          - do: Reach up
            for: 30s
          - include: breathe

        """
    static let breathe = "name: Breathe\nkind: mindfulness\ndescription: D\nsteps:\n  - inhale: 4s\n  - exhale: 6s\n"
    static let broken = """
        name: Broken
        kind: exercise
        description: Two mistakes.
        steps:
          - do: Reach up
            for: 30
          - rset: 10s

        """
    static let heat = "name: Heat\nkind: heat\ndescription: D\nsteps:\n  - do: Heat pack\n    for: 25m\n"

    @Test func validateExitsZeroForValidFiles() throws {
        let dir = try scratchDirectory(["stretch.yaml": Self.valid, "breathe.yaml": Self.breathe])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(binary, ["validate", dir.appendingPathComponent("stretch.yaml").path,
                                      dir.appendingPathComponent("breathe.yaml").path])
        #expect(result.status == 0)
        #expect(result.stdout == "2 files valid (0 errors, 0 warnings)\n")
    }

    @Test func validateExitsOneAndPrintsEveryProblem() throws {
        let dir = try scratchDirectory(["broken.yaml": Self.broken])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(binary, ["validate", "broken.yaml"], currentDirectory: dir)
        #expect(result.status == 1)
        #expect(result.stdout == """
            broken.yaml:6:10: error: `for`: '30' is a bare number: add a unit, e.g. 30s
            broken.yaml:7:5: error: unknown key 'rset' in a step: did you mean 'rest'?
            1 of 1 file invalid (2 errors, 0 warnings)

            """)
    }

    @Test func strictTurnsHeatWarningsIntoErrors() throws {
        let dir = try scratchDirectory(["heat.yaml": Self.heat])
        defer { try? FileManager.default.removeItem(at: dir) }
        let lenient = try run(binary, ["validate", "heat.yaml"], currentDirectory: dir)
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("heat.yaml:5:5: warning: a heat step of 25m is over 20 minutes"))
        #expect(lenient.stdout.hasSuffix("1 file valid (0 errors, 2 warnings)\n"))
        let strict = try run(binary, ["validate", "--strict", "heat.yaml"], currentDirectory: dir)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("heat.yaml:2:7: error: a heat session without skin checks"))
    }

    @Test func validateUsageErrorsExitTwo() throws {
        let none = try run(binary, ["validate"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("give at least one FILE"))
        let unknown = try run(binary, ["validate", "--frobnicate", "x.yaml"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Unknown option '--frobnicate'"))
        let help = try run(binary, ["validate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit status: 0 every file is valid, 1 a file is invalid"))
    }

    @Test func missingFileIsInvalid() throws {
        let result = try run(binary, ["validate", "/nonexistent/x.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("/nonexistent/x.yaml:0:0: error: no such file: check the path\n"))
    }

    @Test func showPrintsTheTimelineAndTotal() throws {
        let dir = try scratchDirectory(["stretch.yaml": Self.valid, "breathe.yaml": Self.breathe])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(binary, ["show", "stretch", "--no-speech", "--sessions", dir.path])
        #expect(result.status == 0)
        #expect(result.stdout == """
            Stretch (stretch, exercise)
            OFFSET  DURATION  STEP      CUES
            0:00    30s       Reach up  start
            0:30    4s        Inhale    inhale
            0:34    6s        Exhale    exhale
            0:40  end  total 40s (40000 ms), 3 segments, 4 cues

            """)
        let json = try run(binary, ["show", dir.appendingPathComponent("stretch.yaml").path, "--json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"total_ms\" : 40000"), "\(json.stdout)")
        let missing = try run(binary, ["show", "nope", "--sessions", dir.path])
        #expect(missing.status == 1)
    }

    @Test func sessionsListsTheLibrary() throws {
        let dir = try scratchDirectory(["stretch.yaml": Self.valid, "breathe.yaml": Self.breathe])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(binary, ["sessions", "--sessions", dir.path])
        #expect(result.status == 0)
        #expect(result.stdout == """
            ID       KIND         TOTAL  NAME
            breathe  mindfulness  10s    Breathe
            stretch  exercise     40s    Stretch

            """)
    }
}

/// The built-in library in Sessions/ is valid under the strictest rules.
@Suite struct BuiltInSessionsTests {
    @Test func everyBuiltInSessionValidatesStrictly() throws {
        let directory = repositoryRoot().appendingPathComponent("Sessions")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(!files.isEmpty, "Sessions/ holds no *.yaml files")
        let result = try run(limberBinary(), ["validate", "--strict", "--sessions", directory.path]
                             + files.map { directory.appendingPathComponent($0).path })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("\(files.count) files valid (0 errors, 0 warnings)\n"))
    }
}
