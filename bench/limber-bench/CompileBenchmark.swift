import Foundation
import LimberCore

/// `compile [--sessions DIR] [--iterations N]`: times parse+validate+compile of the largest
/// session (by compiled segments), and compile from an already parsed script with its
/// includes parsed up front (``PreparsedSessions``), reading nothing from disk while timing.
func compileBenchmark(_ arguments: [String]) -> Int32 {
    var directories: [String] = []
    var iterations = 2_000
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--sessions" where index + 1 < arguments.count:
            directories.append(arguments[index + 1])
            index += 2
        case "--iterations" where index + 1 < arguments.count:
            guard let value = Int(arguments[index + 1]), value > 0 else {
                FileHandle.standardError.write(Data("--iterations takes a positive number\n".utf8))
                return 2
            }
            iterations = value
            index += 2
        default:
            FileHandle.standardError.write(Data("usage: limber-bench compile [--sessions DIR] [--iterations N]\n".utf8))
            return 2
        }
    }
    if directories.isEmpty, FileManager.default.fileExists(atPath: "Sessions") { directories = ["Sessions"] }
    let library = SessionLibrary(explicitDirectories: directories.isEmpty ? nil : directories)

    // Load every session's text once, so the timed loops never touch the disk.
    var texts: [String: String] = [:]
    for entry in library.entries() {
        if let source = library.source(forID: entry.id), source.problem == nil { texts[entry.id] = source.text }
    }
    let memory = InMemorySessions(texts)
    let compiler = TimelineCompiler(resolver: memory, strict: true)
    var largest: (id: String, timeline: Timeline)?
    for (id, text) in texts.sorted(by: { $0.key < $1.key }) {
        guard let timeline = compiler.compile(text: text, path: "\(id).yaml", id: id).timeline else { continue }
        if timeline.segments.count > largest?.timeline.segments.count ?? -1 { largest = (id, timeline) }
    }
    guard let largest, let text = texts[largest.id] else {
        FileHandle.standardError.write(Data("no valid sessions in \(library.directories.joined(separator: ", ")): pass --sessions DIR\n".utf8))
        return 1
    }
    guard let parsed = SessionScript.parse(text: text, path: "\(largest.id).yaml", id: largest.id).script else { return 1 }

    print("session \(largest.id): \(largest.timeline.segments.count) segments, \(largest.timeline.cues.count) cues, total \(DurationText.format(largest.timeline.totalMs)); \(iterations) iterations")
    report("parse+validate+compile    ", time(iterations) {
        compiler.compile(text: text, path: "\(largest.id).yaml", id: largest.id).timeline?.totalMs ?? 0
    })
    let preparsed = TimelineCompiler(resolver: PreparsedSessions(memory), strict: true)
    report("  same, includes preparsed", time(iterations) {
        preparsed.compile(text: text, path: "\(largest.id).yaml", id: largest.id).timeline?.totalMs ?? 0
    })
    report("compile from parsed       ", time(iterations) { preparsed.compile(parsed).timeline?.totalMs ?? 0 })
    return 0
}

/// Per-iteration wall times in nanoseconds, after a warm-up.
private func time(_ iterations: Int, _ body: () -> Int64) -> [UInt64] {
    var sink: Int64 = 0
    for _ in 0..<min(100, iterations) { sink &+= body() }
    var samples: [UInt64] = []
    samples.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let start = DispatchTime.now().uptimeNanoseconds
        sink &+= body()
        samples.append(DispatchTime.now().uptimeNanoseconds - start)
    }
    if sink == 42 { print("") }  // keeps the work observable
    return samples.sorted()
}

private func report(_ label: String, _ sorted: [UInt64]) {
    func micros(_ quantile: Double) -> String {
        let index = min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.down)))
        return String(format: "%.1f", Double(sorted[index]) / 1_000)
    }
    print("\(label)  median \(micros(0.5)) µs  p99 \(micros(0.99)) µs")
}
