// limber-bench: figures for Limber's hot paths. `limber-bench <command> [options]`;
// add a command by adding an entry to `commands`.
import Foundation
import LimberCore

let commands: [String: (summary: String, run: ([String]) -> Int32)] = [
    "checkpoint": ("a session checkpoint: queueing it (µs) and its UPDATE committed with synchronous=FULL (ms) [--runs N] [--dir DIR]", checkpointBenchmark),
    "compile": ("compile the largest session many times: median and p99 µs per compile", compileBenchmark),
    "heard": ("cues as recorded at PulseAudio and PipeWire null sinks, quiet and loaded: onset error, first-cue latency, CPU, wake-ups [--seconds N] [--servers LIST]", heardBenchmark),
    "speech": ("spoken guidance: synthesis of every built-in phrase cold and cached, start latency with the voice on and off, RSS around body-scan [--sessions DIR] [--bin DIR]", speechBenchmark),
    "timing": ("cue timing error over a session of 250 ms steps with both cores busy [--seconds N] [--device PCM] [--no-load] [--watchers N]", timingBenchmark),
    "render": ("render the whole cue vocabulary [--runs N]: median and best ms", renderBenchmark),
    "idle": ("an idle limberd beside trivial programs: RSS, anonymous memory, threads, CPU ms and wake-ups per minute [--seconds N] [--yardstick PATH]...", idleBenchmark),
    "history-gen": ("write N days of realistic history to a database [--days N] --out FILE", historyGenerate),
    "history-stats": ("`limber stats --days 365` wall time on a database, and its size --bin DIR --db FILE [--runs N]", historyStatsBenchmark),
    "report": ("`limber report --days 1825` wall time and file size --bin DIR --db FILE [--runs N] [--days N]", reportBenchmark),
    "status": ("`limber status` round trip beside trivial programs, binary sizes, status requests/s over one connection [--runs N] [--yardstick PATH]... [--requests N]", statusBenchmark),
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let command = commands[name] else {
    var usage = "usage: limber-bench <command> [options]\ncommands:\n"
    for (name, command) in commands.sorted(by: { $0.key < $1.key }) { usage += "  \(name)  \(command.summary)\n" }
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
exit(command.run(Array(arguments.dropFirst())))
