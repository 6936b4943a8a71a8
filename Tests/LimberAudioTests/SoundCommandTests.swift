import Foundation
import LimberSpawn
import LimberAudio
import LimberCore
import Testing

/// `limber sound`, run as a user runs it: the built binary, its output and exit status.
@Suite("limber sound")
struct SoundCommandTests {
    /// The `limber` executable built next to this test bundle.
    static let limber = URL(fileURLWithPath: CommandLine.arguments[0])
        .deletingLastPathComponent().appendingPathComponent("limber").path
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: limber) }

    private struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    private func run(_ arguments: String...) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("limber-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        let err = directory.appendingPathComponent("err").path
        let child = try ChildProcess(
            Self.limber, arguments, environment: ProcessInfo.processInfo.environment,
            stdout: .file(out, append: false), stderr: .file(err, append: false))
        let status = child.wait().status
        return Run(status: status,
                   output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   error: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    @Test("a device that cannot be opened: non-zero exit, the reason and what to try, no ALSA chatter",
          .enabled(if: isBuilt, "the limber executable is not built"))
    func missingDevice() throws {
        let result = try run("sound", "test", "tick", "--device", "limber_no_such_pcm")
        #expect(result.status != 0)
        #expect(result.output == "tick\n")
        #expect(result.error.contains("cannot open ALSA device 'limber_no_such_pcm': No such file or directory"))
        #expect(result.error.contains("--device"))
        // libasound would print "ALSA lib pcm.c:…: Unknown PCM"; it goes to our logger instead.
        #expect(!result.error.contains("ALSA lib"))
    }

    @Test("sound test plays the named cues in order, printing each",
          .enabled(if: isBuilt, "the limber executable is not built"))
    func playsInOrder() throws {
        let result = try run("sound", "test", "go", "tick", "--device", "null", "--volume", "0.2")
        #expect(result.status == 0)
        #expect(result.output == "go\ntick\n")
    }

    @Test("sound render writes the cue as a WAV file",
          .enabled(if: isBuilt, "the limber executable is not built"))
    func render() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limber-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run("sound", "render", "bell", "--out", path, "--volume", "0.4")
        #expect(result.status == 0)
        let wav = try #require(WAVFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path)))))
        #expect(wav.sampleRate == 48_000)
        #expect(wav.samples == CueBank.shared.samples(for: .bell, volume: 0.4))
    }

    @Test("an unknown cue is refused before anything plays, naming the valid ones",
          .enabled(if: isBuilt, "the limber executable is not built"))
    func unknownCue() throws {
        let result = try run("sound", "test", "gong")
        #expect(result.status != 0)
        #expect(result.error.contains("unknown cue 'gong'"))
        #expect(result.error.contains("bell"))
    }
}
