import LimberCore

/// Compiles `text` as `t.yaml`, with `includes` as the other sessions by id.
func compile(_ text: String, includes: [String: String] = [:], strict: Bool = false) -> CompileResult {
    TimelineCompiler(resolver: InMemorySessions(includes), strict: strict).compile(text: text, path: "t.yaml")
}

/// The diagnostics of `text`, as `line:column: severity: message` (without the file name).
func problems(_ text: String, includes: [String: String] = [:], strict: Bool = false) -> [String] {
    compile(text, includes: includes, strict: strict).diagnostics.map {
        "\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)"
    }
}

/// A valid header followed by `steps`, so a test shows only what it is about.
func script(kind: String = "exercise", leadIn: String? = nil, _ steps: String) -> String {
    var text = "name: Test\nkind: \(kind)\ndescription: A test.\n"
    if let leadIn { text += "lead-in: \(leadIn)\n" }
    return text + "steps:\n" + steps
}

/// (offset, cue) pairs of a timeline, for compact expectations.
func cueList(_ timeline: Timeline?) -> [String] {
    (timeline?.cues ?? []).map { "\($0.offsetMs) \($0.cue.rawValue)" }
}

/// Asserts the structural invariants every timeline keeps.
func isWellFormed(_ timeline: Timeline) -> Bool {
    var offset: Int64 = 0
    for (index, segment) in timeline.segments.enumerated() {
        guard segment.index == index, segment.offsetMs == offset, segment.durationMs > 0 else { return false }
        offset = segment.endMs
    }
    let sorted = zip(timeline.cues, timeline.cues.dropFirst()).allSatisfy { $0.offsetMs <= $1.offsetMs }
    let inSegments = timeline.cues.allSatisfy { cue in
        timeline.segments.indices.contains(cue.segmentIndex)
            && cue.offsetMs >= timeline.segments[cue.segmentIndex].offsetMs
            && cue.offsetMs <= timeline.segments[cue.segmentIndex].endMs
    }
    return offset == timeline.totalMs && sorted && inSegments && timeline.cues.last?.cue == .end
}
