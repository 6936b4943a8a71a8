import ArgumentParser
import LimberClient
import Foundation
import LimberAudio
import LimberCore
import LimberSpeech

extension Limber {
    /// `limber sound`: hear and export the cue vocabulary without the daemon.
    struct Sound: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Preview Limber's audio cues.",
            subcommands: [Test.self, Render.self]
        )
    }
}

/// Parses cue names, naming the valid ones on a mistake.
private func parseCues(_ names: [String]) throws -> [Cue] {
    try names.map { name in
        guard let cue = Cue(rawValue: name.lowercased()) else {
            let known = Cue.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown cue '\(name)'; cues are: \(known)")
        }
        return cue
    }
}

private func checkVolume(_ volume: Double) throws {
    guard (0...1).contains(volume) else {
        throw ValidationError("--volume must be between 0 and 1 (got \(volume))")
    }
}

extension Limber.Sound {
    /// `limber sound test [CUE...]`: plays cues through ALSA, naming each.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play cues through the sound device, printing each name.",
            discussion: "With no CUE, plays the whole vocabulary in order, then a spoken sample in the config's voice (docs/speech.md)."
        )

        @Argument(help: "Cues to play (default: all). One of: \(Cue.allCases.map(\.rawValue).joined(separator: ", ")).")
        var cues: [String] = []

        @Option(help: ArgumentHelp("ALSA PCM to play through.", valueName: "pcm"))
        var device = "default"

        @Option(help: "Volume, 0–1.")
        var volume = 0.5

        func validate() throws {
            _ = try parseCues(cues)
            try checkVolume(volume)
        }

        func run() async throws {
            let selected = cues.isEmpty ? Cue.allCases : try parseCues(cues)
            let player = CuePlayer(settings: AudioSettings(device: device, volume: volume))
            defer { player.shutdown() }
            for cue in selected {
                print(cue.rawValue)
                player.play(cue)
                player.waitUntilIdle()
                if case .unavailable(let reason) = player.status {
                    Output.fail(reason)
                    Output.error("""
                        Try another device with --device (list them with `aplay -L`; `pulse` or \
                        `pipewire` reach a sound server), check that PipeWire or PulseAudio is \
                        running, or write a cue to a file with `limber sound render \(cue.rawValue) --out \(cue.rawValue).wav`.
                        """)
                    throw ExitCode.unreachable
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            if cues.isEmpty { try speakSample(player) }
        }

        /// "This is Limber's voice", as a session would speak it (skipped with the voice off).
        private func speakSample(_ player: CuePlayer) throws {
            let config = CLISpeech.config()
            guard config.voice.enabled else {
                print("voice: off in the config (voice.enabled: false)")
                return
            }
            let renderer = CLISpeech.renderer(config.voice)
            do {
                let samples = try renderer.render("This is Limber's voice.")
                print("voice: \(CLISpeech.engine(config.voice)), \(config.voice.rate) words per minute")
                player.play(samples: SpeechRenderer.scaled(samples, volume: volume * config.voice.volume))
                player.waitUntilIdle()
            } catch {
                Output.fail("the voice cannot speak: \(error)")
                throw ExitCode.problem
            }
        }
    }

    /// `limber sound render CUE --out FILE.wav`: writes one cue to a WAV file.
    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a cue to a WAV file (48 kHz, 16-bit, mono)."
        )

        @Argument(help: "The cue to render.")
        var cue: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The WAV file to write.", valueName: "file.wav"))
        var out: String

        @Option(help: "Volume, 0–1.")
        var volume = 0.5

        func validate() throws {
            _ = try parseCues([cue])
            try checkVolume(volume)
        }

        func run() async throws {
            guard let cue = try parseCues([cue]).first else { return }
            let bytes = WAVFile.encode(CueSynth.render(cue, volume: volume))
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: out))
            } catch {
                Output.fail("cannot write \(out): \(error.localizedDescription); check that its directory exists and is writable")
                throw ExitCode.problem
            }
            print("\(cue.rawValue): \(String(format: "%.2f", cue.recipe.duration)) s → \(out)")
        }
    }
}

