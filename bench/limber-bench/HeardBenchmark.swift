import Foundation
import LimberSpawn
import SoundCheck

/// `heard --bin DIR [--seconds N] [--servers pulseaudio,pipewire]`: an irregular session of
/// about N seconds (steps of 300 ms to 20 s, drawn from a fixed seed) played by limberd at
/// each real sound server, quiet and with both cores busy, recorded at the null sink's
/// monitor. Prints each cue's onset error against the timeline (relative to the first
/// cue), the first cue's absolute latency, and the daemon's CPU and wake-ups meanwhile.
func heardBenchmark(_ arguments: [String]) -> Int32 {
    let seconds = option("--seconds", in: arguments, default: 120)
    let servers = (arguments.firstIndex(of: "--servers").map { arguments[$0 + 1] } ?? "pulseaudio,pipewire")
        .split(separator: ",").compactMap { SoundServer.Kind(rawValue: String($0)) }
    let volume = 0.8
    let script = irregularScript(seconds: seconds)
    for kind in servers {
        guard kind.isInstalled else {
            print("heard \(kind.rawValue): not installed (apt-get install \(kind.packages)); skipped")
            continue
        }
        for busy in [false, true] {
            do {
                let server = try SoundServer(kind)
                defer { server.stop() }
                let daemon = try BenchDaemon(
                    binDirectory: binDirectory(arguments), sessions: ["irregular": script],
                    config: "audio:\n  device: default\n  volume: \(volume)\n", environment: server.environment)
                defer { daemon.stop() }
                let load = busy ? try startBusyLoops(2) : []
                defer { stopBusyLoops(load) }
                let result = try HeardSession(socket: daemon.socket, daemonPID: daemon.pid, server: server, volume: volume)
                    .play("irregular", timeout: .seconds(seconds * 2 + 30))
                let misplaced = result.misplaced()
                let threads = result.wakeupsByThread.prefix(4)
                    .map { "\($0.thread) \(String(format: "%.0f", $0.perSecond))" }.joined(separator: ", ")
                print(
                    String(
                        format: "heard %@, %@: %@; %d misplaced (>1 ms or missing); first cue %.1f ms after due; "
                            + "late %d, lost %d; limberd CPU %.2f %%, %.0f wake-ups/s (%@); beside it parec (a peer client) CPU %.2f %%, %.0f wake-ups/s",
                        kind.rawValue, busy ? "both cores busy" : "quiet", result.errors.description, misplaced.count,
                        result.firstCueLatencyMs ?? .nan, result.audio.lateCues ?? -1, result.audio.lostCues ?? -1,
                        result.cpuPercent, result.wakeupsPerSecond, threads, result.recorderCPUPercent,
                        result.recorderWakeupsPerSecond))
            } catch {
                print("heard \(kind.rawValue), \(busy ? "both cores busy" : "quiet"): failed: \(error)")
            }
        }
    }
    return 0
}

/// Steps of 300 ms to 20 s (mostly short), rests and countdowns, about `seconds` long.
private func irregularScript(seconds: Double) -> String {
    var state: UInt64 = 0x5EED
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    var lines = ["name: Irregular", "kind: exercise", "description: Irregular steps for the heard benchmark.", "steps:"]
    var total = 0.0
    var index = 0
    while total < seconds {
        let length = next() < 0.85 ? 300 + next() * 2_700 : 5_000 + next() * 15_000
        let ms = Int(length.rounded())
        index += 1
        if next() < 0.2 {
            lines += ["  - rest: \(ms)ms"]
        } else {
            lines += ["  - do: Step \(index)", "    for: \(ms)ms"]
            if ms >= 5_000 { lines += ["    halfway: true", "    countdown: 3"] }
        }
        total += length / 1000
    }
    return lines.joined(separator: "\n") + "\n"
}
