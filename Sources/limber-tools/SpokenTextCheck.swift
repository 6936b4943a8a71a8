import Foundation
import LimberClient
import LimberAudio
import LimberCore
import LimberSpeech
import Logging

/// How the CLI speaks: the user's config (defaults when it is absent or invalid: the
/// command that needs it reports problems itself), and a renderer on the user's cache that
/// prints its warnings on stderr. For `say`, `sound test`, `show` and `validate`.
enum CLISpeech {
    static func config() -> LimberConfig {
        (try? ConfigFile.load(Limber.Config.defaultPath()).get()) ?? LimberConfig()
    }

    static func renderer(_ voice: LimberConfig.Voice) -> SpeechRenderer {
        SpeechRenderer(voice: voice, cache: SpeechCache(directory: SpeechCache.standardDirectory()),
                       logger: Logger(label: "limber.speech") { _ in StderrWarnings() })
    }

    /// "espeak-ng en-us" or "voice.command".
    static func engine(_ voice: LimberConfig.Voice) -> String {
        voice.command == nil ? "espeak-ng \(voice.name)" : "voice.command"
    }
}

/// `limber validate`'s speech check: renders each phrase (through the cache) at the config's
/// voice and reports those that would run into the next cue.
struct SpokenTextCheck {
    let renderer: SpeechRenderer?

    init() {
        let voice = CLISpeech.config().voice
        renderer = voice.enabled ? CLISpeech.renderer(voice) : nil
    }

    /// The spoken lines of `timeline` for `limber show`: offset, length, words.
    func listing(_ timeline: Timeline) -> String {
        guard let renderer else { return "" }
        let lines = SpeechPlan.lines(for: timeline, cueLengthMs: CueSynth.lengthMs)
        guard !lines.isEmpty else { return "" }
        var text = "\nspoken (\(CLISpeech.engine(renderer.voice)), \(renderer.voice.rate) wpm):\n"
        for line in lines {
            let ms = (try? renderer.render(line.text)).map { Int64($0.count * 1000 / SpeechRenderer.rate) }
            let over = ms.flatMap { ms in line.availableMs.map { ms > $0 } } ?? false
            let length = ms.map { String(format: "%5.1f s", Double($0) / 1000) } ?? "    ? s"
            text += "\(over ? "!" : " ") \(DurationText.clock(line.offsetMs))  \(length)  \(line.text)\n"
        }
        return text
    }

    func overruns(_ timeline: Timeline, path: String, strict: Bool) -> [Diagnostic] {
        guard let renderer else { return [] }
        let lines = SpeechPlan.lines(for: timeline, cueLengthMs: CueSynth.lengthMs)
        var durations: [Int64] = []
        for line in lines {
            guard let samples = try? renderer.render(line.text) else {
                return [Diagnostic(file: path, line: 0, column: 0, severity: .warning,
                                   message: "the spoken texts were not checked: espeak-ng cannot run (install espeak-ng-data), or use --no-speech")]
            }
            durations.append(Int64(samples.count * 1000 / SpeechRenderer.rate))
        }
        return SpeechPlan.overruns(lines, durationMs: durations, in: timeline, path: path, strict: strict)
    }
}
