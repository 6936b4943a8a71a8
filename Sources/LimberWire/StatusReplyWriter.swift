/// `status`'s reply line written straight to bytes, byte for byte what
/// `ControlCodec.lineBytes(ControlReply(id:result:))` writes for the same status (tested on
/// random and real statuses), at a fraction of the cost: the generic encoder builds a tree
/// of every member for each reply, the largest share of what a `status` request cost.
///
/// The parts that change with the clock (`mono`, the session's position, the next break's
/// `in_ms`) are written member by member; the ones that change rarely (`audio`, `program`,
/// `presence`) are encoded once and their bytes reused while they are equal. Members are in
/// the protocol's order: sorted by their UTF-8 bytes, as `JSONText.serialize` sorts them.
/// One writer per connection: it keeps the last fragments.
public struct StatusReplyWriter {
    private var audio = Fragment<AudioReport>()
    private var program = Fragment<ProgramState>()
    private var presence = Fragment<PresenceReport>()

    public init() {}

    /// The reply line (newline included) to the request `id`; nil when a part could not be
    /// encoded (the caller then uses the generic encoder, which reports it).
    public mutating func line(id: JSONValue?, status: StatusResult) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(512 + program.bytes.count)
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONText.write(id ?? .null, to: &out)
        out.append(contentsOf: #","ok":true,"result":{"audio":"#.utf8)
        guard audio.write(status.audio, to: &out) else { return nil }
        if let mono = status.mono {
            out.append(contentsOf: #","mono":"#.utf8)
            JSONText.writeNumber(mono, to: &out)
        }
        if let next = status.nextBreak {
            out.append(contentsOf: #","next_break":{"due":"#.utf8)
            JSONText.writeString(next.due, to: &out)
            member("in_ms", next.inMs, to: &out)
            out.append(contentsOf: #","kind":"#.utf8)
            JSONText.writeString(next.kind, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        if let report = status.presence {
            out.append(contentsOf: #","presence":"#.utf8)
            guard presence.write(report, to: &out) else { return nil }
        }
        if let state = status.program {
            out.append(contentsOf: #","program":"#.utf8)
            guard program.write(state, to: &out) else { return nil }
        }
        if let session = status.session {
            out.append(contentsOf: #","session":{"elapsed_ms":"#.utf8)
            JSONText.writeNumber(Double(session.elapsedMs), to: &out)
            out.append(contentsOf: #","id":"#.utf8)
            JSONText.writeString(session.id, to: &out)
            out.append(contentsOf: #","kind":"#.utf8)
            JSONText.writeString(session.kind.rawValue, to: &out)
            out.append(contentsOf: #","name":"#.utf8)
            JSONText.writeString(session.name, to: &out)
            member("step", Int64(session.step), to: &out)
            member("step_duration_ms", session.stepDurationMs, to: &out)
            member("step_remaining_ms", session.stepRemainingMs, to: &out)
            out.append(contentsOf: #","step_text":"#.utf8)
            JSONText.writeString(session.stepText, to: &out)
            member("steps", Int64(session.steps), to: &out)
            member("total_ms", session.totalMs, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #","state":"#.utf8)
        JSONText.writeString(status.state.rawValue, to: &out)
        out.append(contentsOf: "}}\n".utf8)
        return out
    }

    private func member(_ key: StaticString, _ value: Int64, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(contentsOf: "\":".utf8)
        JSONText.writeNumber(Double(value), to: &out)
    }
}

/// One member's encoded bytes, kept while its value stays the same.
private struct Fragment<Value: Encodable & Equatable> {
    var value: Value?
    var bytes: [UInt8] = []

    /// Appends `new`'s JSON to `out`, encoding it only when it differs from the last one;
    /// false when it cannot be encoded.
    mutating func write(_ new: Value, to out: inout [UInt8]) -> Bool {
        if value != new {
            guard let encoded = try? JSONValueEncoder().encode(new) else { return false }
            bytes = JSONText.serialize(encoded)
            value = new
        }
        out.append(contentsOf: bytes)
        return true
    }
}
