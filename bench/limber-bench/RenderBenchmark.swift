import Foundation
import LimberAudio
import LimberCore

/// Rendering the whole cue vocabulary, as limberd does once at its first cue.
func renderBenchmark(_ arguments: [String]) -> Int32 {
    let runs = Int(option("--runs", in: arguments, default: 20))
    var times: [Double] = []
    var samples = 0
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let all = CueBank.renderAll(volume: 0.5)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        samples = all.values.reduce(0) { $0 + $1.count }
    }
    times.sort()
    print(
        String(
            format: "render: all %d cues (%d samples at 48 kHz): median %.1f ms, best %.1f ms over %d runs",
            Cue.allCases.count, samples, percentile(times, 0.5), times.first ?? .nan, runs))
    return 0
}
