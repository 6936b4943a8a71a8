import Foundation
import LimberAudio
import LimberCore
import LimberSpeech
import Logging
import SoundCheck
import Testing

extension HeardTimingTests {
    @Test("spoken phrases are heard on their sample, between cues that stay on theirs", arguments: SoundServer.Kind.allCases)
    func speechIsHeardOnItsSample(kind: SoundServer.Kind) async throws {
        try #require(kind.isInstalled, "\(kind.rawValue) is not installed: apt-get install \(kind.packages)")
        let result = try await onOwnThread { () throws -> HeardSession.Result in
            let server = try SoundServer(kind)
            defer { server.stop() }
            let daemon = try HeardDaemon(server: server, voice: true)
            return try HeardSession(socket: daemon.process.socket, daemonPID: daemon.process.pid, server: server,
                                    volume: Self.volume).play("spoken-check")
        }
        let timeline = try #require(TimelineCompiler().compile(text: SpokenFileTests.script, path: "spoken-check.yaml").timeline)
        let renderer = SpeechRenderer(voice: LimberConfig.Voice(), cache: nil, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        let lines = SpeechPlan.lines(for: timeline, cueLengthMs: CueSynth.lengthMs)
        let firstCue = Double(timeline.cues[0].offsetMs) / 1000
        // Cues, then phrases, each looked for by its own first 20 ms.
        let expected = try HeardSession.expected(result.events, volume: Self.volume) + lines.map { line in
            OnsetMatcher.Expected(
                label: "'\(line.text)'@\(line.offsetMs)ms",
                samples: SpeechRenderer.scaled(try renderer.render(line.text), volume: Self.volume * 0.8),
                offset: Double(line.offsetMs) / 1000 - firstCue, head: 2_400)
        }
        let found = try #require(OnsetMatcher(recording: result.recording).match(expected), "the recording holds no sound")
        let cues = found.prefix(found.count - lines.count)
        let phrases = found.suffix(lines.count)
        print("heard \(kind.rawValue), speech: \(lines.count) phrases: \(ErrorSummary(phrases.map(\.errorMs))), correlation min \(String(format: "%.2f", phrases.map(\.correlation).min() ?? 0)); cues: \(ErrorSummary(cues.map(\.errorMs)))")
        // Every cue is heard, speech or not, and every phrase sounds where it should.
        #expect(cues.allSatisfy { $0.correlation >= OnsetMatcher.minimumCorrelation }, "a cue missing: \(cues.filter { $0.correlation < OnsetMatcher.minimumCorrelation })")
        for phrase in phrases {
            let window = result.recording[min(phrase.expectedFrame, result.recording.count)..<min(phrase.expectedFrame + 9_600, result.recording.count)]
            #expect((window.map { abs(Int($0)) }.max() ?? 0) > 3_000, "\(phrase.label) is not heard")
        }
        // Known, intermittent: the servers' own mid-stream silences move everything after
        // them (see sessionsAreHeardOnTime); and a phrase's head, matched by correlation,
        // can lock a pitch period (~10 ms) off where a cue's tail overlaps it, or match
        // poorly where it starts with a fricative ('Stay still', 'Session complete' at
        // PulseAudio: not understood). Sample placement itself is proven through the file
        // PCM (SpokenFileTests).
        withKnownIssue("phrase onsets matched at a real server", isIntermittent: true) {
            #expect(phrases.allSatisfy { $0.correlation >= OnsetMatcher.minimumCorrelation }, "\(phrases.filter { $0.correlation < OnsetMatcher.minimumCorrelation })")
            #expect(found.allSatisfy { abs($0.errorMs) <= 1 }, "\(found.filter { abs($0.errorMs) > 1 })")
        }
    }
}
