import Foundation
import LimberCore
import Logging
import Testing

@testable import LimberSpeech

/// Collects warnings.
final class Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    var all: [String] { lock.withLock { messages } }
    func add(_ message: String) { lock.withLock { messages.append(message) } }

    var logger: Logger {
        Logger(label: "test") { _ in WarningHandler(sink: self) }
    }
}

struct WarningHandler: LogHandler {
    let sink: Warnings
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { sink.add("\(event.message)") }
}

@Suite("Speech from a user's TTS command")
struct CommandEngineTests {
    /// A shell script standing in for Piper: reads the text, writes a 16 kHz stereo WAV
    /// with one 440 Hz beep per word.
    func engineScript() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/fake-tts-\(UUID().uuidString).py"
        try """
            #!/usr/bin/python3
            import sys, struct, math
            words = sys.stdin.read().split()
            rate = 16000
            frames = []
            for _ in words:
                frames += [int(12000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(rate // 5)]
                frames += [0] * (rate // 10)
            data = b"".join(struct.pack("<hh", f, f) for f in frames)
            out = sys.stdout.buffer
            out.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt ")
            out.write(struct.pack("<IHHIIHH", 16, 1, 2, rate, rate * 4, 4, 16))
            out.write(b"data" + struct.pack("<I", len(data)) + data)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test("voice.command reads the text on stdin and its WAV (any rate, stereo) is used")
    func commandSpeaks() throws {
        let script = try engineScript()
        defer { unlink(script) }
        var voice = LimberConfig.Voice()
        voice.command = [script]
        let warnings = Warnings()
        let renderer = SpeechRenderer(voice: voice, cache: nil, logger: warnings.logger)
        let samples = try renderer.render("one two three")
        // Three 200 ms beeps with 100 ms gaps, trimmed of the last gap: 0.8 s at 48 kHz.
        #expect(abs(samples.count - 38_400) < 200, "\(samples.count)")
        #expect(renderer.counters == SpeechRenderer.Counters(synthesised: 1, cached: 0, fellBack: 0))
        #expect(warnings.all.isEmpty)
    }

    @Test("a failing voice.command falls back to espeak-ng with one warning")
    func fallback() throws {
        var voice = LimberConfig.Voice()
        voice.command = ["/bin/sh", "-c", "echo no model here >&2; exit 3"]
        let warnings = Warnings()
        let renderer = SpeechRenderer(voice: voice, cache: nil, logger: warnings.logger)
        #expect(try !renderer.render("Rest").isEmpty)
        #expect(try !renderer.render("Halfway").isEmpty)
        #expect(renderer.counters.fellBack == 2)
        #expect(warnings.all.count == 1, "\(warnings.all)")
        #expect(warnings.all.first?.contains("no model here") == true)
        #expect(warnings.all.first?.contains("espeak-ng instead") == true)
    }

    @Test("a command that writes something other than a WAV is reported as such")
    func notAWAV() {
        #expect {
            try CommandEngine(argv: ["/bin/echo", "hello"]).speak("Rest")
        } throws: { "\($0)".contains("did not write a WAV") }
    }

    @Test("WAV round trip: 16-bit mono written, read back exactly")
    func wavRoundTrip() throws {
        let samples: [Int16] = [0, 1, -1, 32_767, -32_768, 1_234]
        let sound = try WAVCodec.decode(WAVCodec.encode(samples, rate: 48_000))
        #expect(sound.rate == 48_000)
        #expect(sound.samples.map { Int16(($0 * 32_768).rounded()) } == samples.map { $0 == 32_767 ? 32_767 : $0 })
    }
}
