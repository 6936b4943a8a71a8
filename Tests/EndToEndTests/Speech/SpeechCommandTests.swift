import Foundation
import LimberAudio
import LimberCore
import LimberProtocol
import Testing

/// The CLI's speech commands, as a user runs them.
@Suite("limber say, voices, and validate's spoken-text check")
struct SpeechCommandTests {
    let directory = FileManager.default.temporaryDirectory.path + "/limber-say-\(UUID().uuidString)"
    var environment: [String: String] {
        ["XDG_CACHE_HOME": directory + "/cache", "XDG_CONFIG_HOME": directory + "/config"]
    }

    @Test("validate warns, with file:line:column, when a phrase would run into the next cue; --strict makes it an error")
    func overrunWarning() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/long-words.yaml"
        try """
            name: Long words
            kind: exercise
            description: Too much to say.
            steps:
              - do: Cat-cow
                for: 10s
              - do: Back extension. Hands on your lower back, lean back gently, then return to standing
                reps: 3
                pace: 2s

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let lenient = try run(limberBinary(), ["validate", file], environment: environment)
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("\(file):7:5: warning: the spoken text 'Back extension."), "\(lenient.stdout)")
        #expect(lenient.stdout.contains("before the next cue"))
        let strict = try run(limberBinary(), ["validate", "--strict", file], environment: environment)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("\(file):7:5: error: the spoken text"), "\(strict.stdout)")
        let skipped = try run(limberBinary(), ["validate", "--strict", "--no-speech", file], environment: environment)
        #expect(skipped.status == 0, "\(skipped.stdout)")
    }

    @Test("say --out writes the words as a 48 kHz WAV, level-matched under the volume; voices lists en-us")
    func sayAndVoices() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let out = directory + "/rest.wav"
        let said = try run(limberBinary(), ["say", "Rest", "--volume", "0.5", "--out", out], environment: environment)
        #expect(said.status == 0, "\(said.stderr)")
        let wav = try #require(WAVFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: out)))))
        #expect(wav.sampleRate == 48_000)
        #expect(wav.samples.count > 9_600, "under 0.2 s for 'Rest'")
        let peak = wav.samples.map { abs(Int($0)) }.max() ?? 0
        #expect(peak <= Int(0.5 * 32_767) && peak > 3_000, "peak \(peak)")
        let voices = try run(limberBinary(), ["voices"], environment: environment)
        #expect(voices.status == 0)
        #expect(voices.stdout.split(separator: "\n").contains { $0.hasPrefix("en-us ") })
        let shown = try run(limberBinary(), ["show", "desk-reset", "--sessions", repositoryRoot().appendingPathComponent("Sessions").path], environment: environment)
        #expect(shown.stdout.contains("spoken (espeak-ng en-us, 160 wpm):"), "\(shown.stdout)")
        #expect(shown.stdout.contains("  Chin tuck\n"))
        #expect(shown.stdout.contains("Right side\n"))
        let refused = try run(limberBinary(), ["say", "Rest", "--voice", "xx-none", "--out", out], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("limber voices"), "\(refused.stderr)")
    }
}

@Suite("The daemon's speech cache")
struct DaemonSpeechCacheTests {
    /// Each cached phrase file's inode: a phrase synthesised again is written anew (atomically,
    /// a new inode), one read from the cache is left as it was.
    func inodes(_ directory: String) -> [String: UInt64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var result: [String: UInt64] = [:]
        for name in names {
            var info = stat()
            if stat(directory + "/" + name, &info) == 0 { result[name] = UInt64(info.st_ino) }
        }
        return result
    }

    @Test("a second start of the same session reads every phrase from the cache: nothing is synthesised")
    func secondStartHitsTheCache() async throws {
        let daemon = try DaemonProcess()
        let cache = daemon.directory.path + "/cache/limber/speech"
        let socket = daemon.socket
        let (first, second) = try await onOwnThread { () throws -> ([String: UInt64], [String: UInt64]) in
            let control = try TestConnection(path: socket)
            let _: StatusResult = try control.call("start", args: ["id": .string("quick")])
            let _: StatusResult = try control.call("stop")
            let first = self.inodes(cache)
            let _: StatusResult = try control.call("start", args: ["id": .string("quick")])
            let _: StatusResult = try control.call("stop")
            return (first, self.inodes(cache))
        }
        // One file per distinct phrase of Quick (its name, steps, rest, halfway, the end).
        let phrases = try #require(TimelineCompiler().compile(text: TestScripts.quick, path: "quick.yaml").timeline)
        #expect(first.count == Set(SpeechPlan.lines(for: phrases, cueLengthMs: CueSynth.lengthMs).map(\.text)).count)
        #expect(second == first)
    }
}
