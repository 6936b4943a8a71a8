import Foundation
import LimberAudio
import LimberCore
import LimberProtocol
import LimberSpeech
import Logging

/// Spoken guidance: synthesis per phrase and for the whole built-in library, cold and from
/// the cache; session start latency with speech, cold and warm, beside the voice off; idle
/// RSS before and after body-scan with speech, and its peak.
func speechBenchmark(_ arguments: [String]) -> Int32 {
    let sessionsDirectory = arguments.firstIndex(of: "--sessions").map { arguments[$0 + 1] } ?? "Sessions"
    let library = SessionLibrary(directories: [sessionsDirectory])
    let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    var texts: [String] = []
    for id in library.knownIDs {
        guard let source = library.source(forID: id),
              let timeline = TimelineCompiler(resolver: library).compile(text: source.text, path: source.path, id: id).timeline
        else { continue }
        texts += SpeechPlan.lines(for: timeline, cueLengthMs: CueSynth.lengthMs).map(\.text)
    }
    let unique = Array(Set(texts)).sorted()
    let cache = FileManager.default.temporaryDirectory.path + "/limber-bench-speech-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: cache) }
    func timeAll(_ renderer: SpeechRenderer) -> (total: Double, each: [Double], seconds: Double) {
        var each: [Double] = []
        var audio = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for text in unique {
            let one = DispatchTime.now().uptimeNanoseconds
            audio += (try? renderer.render(text).count) ?? 0
            each.append(Double(DispatchTime.now().uptimeNanoseconds - one) / 1e6)
        }
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, each.sorted(), Double(audio) / 48_000)
    }
    let cold = timeAll(SpeechRenderer(voice: LimberConfig.Voice(), cache: SpeechCache(directory: cache), logger: quiet))
    let warm = timeAll(SpeechRenderer(voice: LimberConfig.Voice(), cache: SpeechCache(directory: cache), logger: quiet))
    print(String(format: "speech: built-in library, %d sessions, %d distinct phrases (%.0f s of speech): cold %.0f ms (per phrase median %.1f ms, p99 %.1f ms), cached %.0f ms (median %.2f ms)",
                 library.knownIDs.count, unique.count, cold.seconds, cold.total, percentile(cold.each, 0.5),
                 percentile(cold.each, 0.99), warm.total, percentile(warm.each, 0.5)))

    // Through limberd: `start` replies once the phrases are rendered and the stream plays.
    let bin = binDirectory(arguments)
    let sessions = ["desk-reset": "desk-reset", "body-scan": "body-scan"].compactMapValues { library.source(forID: $0)?.text }
    for voice in [false, true] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cache + "/daemon-\(voice)"
        do {
            let daemon = try BenchDaemon(
                binDirectory: bin, sessions: sessions, extraArguments: ["--device", "null"],
                config: "voice:\n  enabled: \(voice)\n", environment: environment)
            defer { daemon.stop() }
            let control = try ControlClient(path: daemon.socket)
            var starts: [Double] = []
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                let _: StatusResult = try control.call("start", args: ["id": .string("desk-reset")])
                starts.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                let _: StatusResult = try control.call("stop")
            }
            print(String(format: "speech: start desk-reset, voice %@: first (cold cache) %.0f ms, then %.0f ms, %.0f ms",
                         voice ? "on" : "off", starts[0], starts[1], starts[2]))
            if voice {
                let before = memory(pid: daemon.pid)
                let _: StatusResult = try control.call("start", args: ["id": .string("body-scan")])
                usleep(2_000_000)
                let during = memory(pid: daemon.pid)
                let _: StatusResult = try control.call("stop")
                usleep(1_500_000)
                let after = memory(pid: daemon.pid)
                print(String(format: "speech: body-scan with speech: RSS idle before %.1f MB, during %.1f MB (peak %.1f MB), idle after %.1f MB",
                             before.rss, during.rss, during.peak, after.rss))
            }
        } catch {
            print("speech: daemon benchmark failed: \(error)")
            return 1
        }
    }
    return 0
}

/// VmRSS and VmHWM of `pid`, in MB.
private func memory(pid: Int32) -> (rss: Double, peak: Double) {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan) / 1024
    }
    return (field("VmRSS"), field("VmHWM"))
}
