import Foundation
import LimberHistory
import Logging

/// `checkpoint [--runs N] [--dir DIR]`: what a session checkpoint costs. The runner's share
/// (queueing the record, on the timing path) and the writer's (one UPDATE of the run's row,
/// committed with synchronous=FULL: the WAL fsync), through `HistoryRecorder` as limberd uses
/// it, on a database in DIR (default: the current directory, so a real disk, not tmpfs).
func checkpointBenchmark(_ arguments: [String]) -> Int32 {
    let runs = Int(option("--runs", in: arguments, default: 200))
    let parent = arguments.firstIndex(of: "--dir").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? "."
    let directory = parent + "/limber-checkpoint-\(getpid())"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let recorder = HistoryRecorder(path: directory + "/history.sqlite", logger: Logger(label: "bench"))
    var entry = SessionRunEntry(
        session: "morning-mobility", name: "Morning mobility", kind: "exercise", started: HistoryTime.iso8601(Date()),
        ended: HistoryTime.iso8601(Date()), plannedMs: 600_000, actualMs: 0, stepsCompleted: 0, steps: runs + 1,
        stepsSkipped: 0, outcome: "running")
    recorder.recordDurably(.runState(key: 1, entry))

    var commits: [Double] = []
    for step in 1...runs {
        entry.stepsCompleted = step
        entry.actualMs = Int64(step) * 3000
        entry.ended = HistoryTime.iso8601(Date())
        let start = DispatchTime.now().uptimeNanoseconds
        recorder.recordDurably(.runState(key: 1, entry))
        commits.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    // The runner's side: handing a checkpoint to the queue (nothing drains it here).
    let queued = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<runs { recorder.record(.runState(key: 1, entry)) }
    let enqueueMicroseconds = Double(DispatchTime.now().uptimeNanoseconds - queued) / 1e3 / Double(runs)
    commits.sort()
    print(String(
        format: "checkpoint: %d UPDATEs committed (synchronous=FULL) in %@: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; queueing one on the timing path %.1f µs",
        runs, directory, percentile(commits, 0.5), percentile(commits, 0.9), percentile(commits, 0.99), commits.last ?? .nan,
        enqueueMicroseconds))
    return 0
}
