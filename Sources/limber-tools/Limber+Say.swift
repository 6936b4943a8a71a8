import ArgumentParser
import LimberClient
import Foundation
import LimberAudio
import LimberCore
import LimberSpeech
import Logging

extension Limber {
    /// `limber say TEXT`: hear (or save) words as a session would speak them, without the daemon.
    struct Say: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Speak text with Limber's voice, or write it to a WAV file.",
            discussion: """
                Uses the `voice:` section of the config (engine, voice, rate, volume; docs/speech.md); \
                the options override it. The words are level-matched to the cues, as in a session.
                Examples:
                  limber say "Chin tuck"
                  limber say "Rest" --voice en-gb --rate 140 --out rest.wav
                """)

        @Argument(help: "The words to speak.")
        var text: [String]

        @Option(help: ArgumentHelp("An espeak-ng voice (`limber voices` lists them).", valueName: "voice"))
        var voice: String?

        @Option(help: ArgumentHelp("Words per minute, 80–450.", valueName: "wpm"))
        var rate: Int?

        @Option(help: "Volume, 0–1 (default: audio.volume × voice.volume from the config).")
        var volume: Double?

        @Option(help: ArgumentHelp("ALSA PCM to play through.", valueName: "pcm"))
        var device = "default"

        @Option(name: .shortAndLong, help: ArgumentHelp("Write a WAV file (48 kHz, 16-bit, mono) instead of playing.", valueName: "file.wav"))
        var out: String?

        func validate() throws {
            if text.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("give the words to speak") }
            if let rate, !(80...450).contains(rate) { throw ValidationError("--rate must be from 80 to 450 words per minute (got \(rate))") }
            if let volume, !(0...1).contains(volume) { throw ValidationError("--volume must be between 0 and 1 (got \(volume))") }
        }

        func run() async throws {
            let config = CLISpeech.config()
            var settings = config.voice
            if let voice {
                settings.name = voice
                settings.command = nil
            }
            if let rate { settings.rate = rate }
            let renderer = CLISpeech.renderer(settings)
            let words = text.joined(separator: " ")
            let samples: [Int16]
            do {
                samples = SpeechRenderer.scaled(try renderer.render(words), volume: volume ?? config.audio.volume * settings.volume)
            } catch {
                Output.fail("\(error)")
                throw ExitCode.problem
            }
            let seconds = String(format: "%.2f", Double(samples.count) / Double(SpeechRenderer.rate))
            if let out {
                do {
                    try Data(WAVFile.encode(samples)).write(to: URL(fileURLWithPath: out))
                } catch {
                    Output.fail("cannot write \(out): \(error.localizedDescription); check that its directory exists and is writable")
                    throw ExitCode.problem
                }
                print("\(seconds) s → \(out)")
                return
            }
            let player = CuePlayer(settings: AudioSettings(device: device, volume: 1))
            defer { player.shutdown() }
            player.play(samples: samples)
            try await Task.sleep(for: .milliseconds(50))
            player.waitUntilIdle(timeout: .seconds(Double(samples.count) / 48_000 + 10))
            if case .unavailable(let reason) = player.status {
                Output.fail(reason)
                Output.error("Try another device with --device (list them with `aplay -L`), or write the words to a file with --out words.wav.")
                throw ExitCode.unreachable
            }
            print("\(seconds) s")
        }
    }

    /// `limber voices`: the espeak-ng voices `voice.name` and `--voice` take.
    struct Voices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the espeak-ng voices (for `voice.name` in the config, or `limber say --voice`).")

        func run() throws {
            let voices: [EspeakEngine.Voice]
            do {
                voices = try EspeakEngine.voices()
            } catch {
                Output.fail("\(error)")
                throw ExitCode.problem
            }
            for voice in voices {
                print(voice.name.padding(toLength: 14, withPad: " ", startingAt: 0) + voice.language)
            }
        }
    }
}

/// Prints the speech renderer's warnings (a failing `voice.command`) on stderr.
struct StderrWarnings: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { Output.error("\(event.message)") }
}
