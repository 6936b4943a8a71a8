import Foundation
import LimberAudio
import LimberCore
import LimberSpeech
import Logging
import Testing

/// The built-in sessions are written to be heard: every default phrase fits before the cue
/// after it (a longer one would be faded out mid-word), at the default voice and rate.
@Suite("Built-in sessions, spoken")
struct BuiltInSpeechTests {
    @Test("every phrase of every built-in session ends before the next cue")
    func phrasesFit() throws {
        let root = repositoryRoot().appendingPathComponent("Sessions").path
        let library = SessionLibrary(directories: [root])
        let renderer = SpeechRenderer(voice: LimberConfig.Voice(), cache: nil, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        var overruns: [String] = []
        var phrases = 0
        for id in library.knownIDs {
            let compiled = TimelineCompiler(resolver: library).compile(
                text: try #require(library.source(forID: id)?.text), path: "\(id).yaml", id: id)
            let timeline = try #require(compiled.timeline, "\(id): \(compiled.diagnostics)")
            for line in SpeechPlan.lines(for: timeline, cueLengthMs: CueSynth.lengthMs) {
                phrases += 1
                let ms = Int64(try renderer.render(line.text).count / 48)
                if let available = line.availableMs, ms > available {
                    overruns.append("\(id): '\(line.text)' takes \(ms) ms, \(available) ms available")
                }
            }
        }
        print("built-in sessions: \(library.knownIDs.count) sessions, \(phrases) phrases")
        #expect(overruns.isEmpty, "\(overruns.joined(separator: "\n"))")
    }
}
