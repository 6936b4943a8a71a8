// libFuzzer target: bytes as a client would send them on the control socket, through the
// line-frame decoder (in NIO's EmbeddedChannel, split into reads where the input says), the
// request decoder, and the command dispatcher of a daemon with a real session runner and
// session catalog (the built-in sessions) but no audio, breaks or config.
//
// Every frame must get exactly one reply line of JSON with `ok` and the request's `id`, as
// docs/protocol.md promises; `watch` is left out (it turns the connection into a stream).
import Dispatch
import Foundation
import FuzzSupport
import LimberCore
import LimberDaemon
import LimberProtocol
import Logging
import NIOCore
import NIOEmbedded

/// No sound: cues and sessions are accepted and dropped.
struct SilentOutput: CueOutput, SessionAudio {
    func play(_ cue: Cue) {}
    func shutdown() {}
    var report: AudioReport { AudioReport(state: "unavailable", device: "fuzz", reason: "fuzzing") }
    func beginSession(cues: Set<Cue>) {}
    func sessionReady(timeout: Duration) async -> Bool { false }
    func schedule(_ cue: Cue, at instant: ContinuousClock.Instant) -> Int { 0 }
    func heardInstant(of token: Int) -> ContinuousClock.Instant? { nil }
    func cancelScheduled() {}
    func endSession() {}
}

/// The daemon side of one process, shared by every input.
private let logger: Logger = {
    var logger = Logger(label: "fuzz-control")
    logger.logLevel = .critical
    return logger
}()
private let events = EventHub(logger: logger)
private let runner = SessionRunner(clock: ContinuousClock(), output: SilentOutput(), events: events, logger: logger)
private let commands = ControlCommands(
    runner: runner,
    sessions: CompiledOnce(LibraryCatalog(directories: [Repository.root.appendingPathComponent("Sessions").path])),
    output: SilentOutput(), events: events,
    reload: { ReloadResult(sessions: 0, problems: []) })

/// The real catalog, with each built-in session's timeline kept after its first compile.
///
/// `LibraryCatalog` reads and compiles the file again on every `start` or `show` by id (so
/// an edited script needs no reload); here `Sessions/` does not change while the fuzzer
/// runs, so the second compile of an id would only repeat the first: it was a tenth of the
/// target's time. Each id still goes through the catalog once, and an id it refuses goes
/// through it every time (the input chooses it); `show` and `start` of a script are not
/// cached.
actor CompiledOnce: SessionCatalog {
    private let catalog: LibraryCatalog
    private var compiled: [String: Timeline] = [:]

    init(_ catalog: LibraryCatalog) { self.catalog = catalog }

    func list() async -> SessionsResult { await catalog.list() }

    func timeline(id: String) async throws(ControlError) -> Timeline {
        if let timeline = compiled[id] { return timeline }
        let timeline = try await catalog.timeline(id: id)
        compiled[id] = timeline
        return timeline
    }

    func timeline(script: String, path: String) async throws(ControlError) -> Timeline {
        try await catalog.timeline(script: script, path: path)
    }

    func reload() async -> ReloadResult {
        compiled = [:]
        return await catalog.reload()
    }
}

/// The line limit, small so that the over-long path is reached.
private let maxLineBytes = 512

/// Splits `input` into socket reads: the first byte, when present, gives the read size.
private func reads(_ input: [UInt8]) -> [[UInt8]] {
    guard let first = input.first else { return [] }
    let size = Int(first % 64) + 1
    let rest = input.dropFirst()
    return stride(from: rest.startIndex, to: rest.endIndex, by: size).map { Array(rest[$0..<min($0 + size, rest.endIndex)]) }
}

/// The frames the daemon's decoder makes of these reads, as `ControlServer` installs it.
private func frames(_ reads: [[UInt8]]) -> [ControlFrame] {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: maxLineBytes)))
    var frames: [ControlFrame] = []
    do {
        for read in reads {
            try channel.writeInbound(ByteBuffer(bytes: read))
            while let frame = try channel.readInbound(as: ControlFrame.self) { frames.append(frame) }
        }
        _ = try channel.finish()
        while let frame = try channel.readInbound(as: ControlFrame.self) { frames.append(frame) }
    } catch {
        invariant(false, "the line decoder threw \(error)")
    }
    return frames
}

/// Checks that `reply` is one JSON line answering `id`: valid UTF-8, one line, and as a
/// whole one JSON object (RFC 8259) with a boolean `ok`, the request's `id`, and a `result`
/// (when ok) or an `error`.
///
/// `JSONSyntax` validates the whole line and finds the object's members; only `id` is
/// decoded. Decoding every reply into a `JSONValue` tree with `JSONDecoder` (a `show` reply
/// holds the whole timeline) took a quarter of the target's time, more than the daemon took
/// to encode the reply.
private func checkReply(_ reply: Data, id: JSONValue?) {
    invariant(reply.last == 0x0A, "a reply without its newline")
    invariant(!reply.dropLast().contains(0x0A), "a reply of more than one line")
    let text = String(validating: reply, as: UTF8.self)
    invariant(text != nil, "a reply that is not UTF-8")
    let bytes = Array(reply.dropLast())
    guard let members = JSONSyntax.objectMembers(bytes) else {
        invariant(false, "a reply that is not a JSON object: \(text ?? "")")
        return
    }
    func member(_ name: String) -> Range<Int>? {
        let named = members.filter { bytes[$0.key].elementsEqual(name.utf8) }
        invariant(named.count <= 1, "a reply with \(named.count) \(name) members: \(text ?? "")")
        return named.first?.value
    }
    let ok = member("ok").map { bytes[$0] }
    invariant(ok?.elementsEqual("true".utf8) == true || ok?.elementsEqual("false".utf8) == true,
              "a reply without ok: \(text ?? "")")
    let replyID = member("id").flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data(bytes[$0])) }
    invariant(replyID == (id ?? .null), "reply id \(String(describing: replyID)) for request id \(String(describing: id))")
    let answered = ok?.elementsEqual("true".utf8) == true ? member("result") : member("error")
    invariant(answered != nil, "a reply without result or error")
}

/// A JSON validator (RFC 8259 grammar) that builds nothing.
enum JSONSyntax {
    /// When `bytes` are exactly one JSON object (whitespace around it allowed): its members,
    /// each key as the bytes between its quotes (escapes left as they are) and the range of
    /// its value. Nil when they are not.
    static func objectMembers(_ bytes: [UInt8]) -> [(key: Range<Int>, value: Range<Int>)]? {
        var members: [(key: Range<Int>, value: Range<Int>)] = []
        var index = skipSpace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{"),
              let end = object(bytes, index, depth: 0, members: &members, collect: true) else { return nil }
        index = skipSpace(bytes, end)
        return index == bytes.count ? members : nil
    }

    /// The index after the object starting at `start`; its members are added to `members`
    /// when `collect` is set.
    private static func object(
        _ bytes: [UInt8], _ start: Int, depth: Int, members: inout [(key: Range<Int>, value: Range<Int>)], collect: Bool
    ) -> Int? {
        var index = skipSpace(bytes, start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return index + 1 }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
                  let keyEnd = string(bytes, index) else { return nil }
            let key = (index + 1)..<(keyEnd - 1)
            index = skipSpace(bytes, keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = skipSpace(bytes, index + 1)
            guard let valueEnd = value(bytes, index, depth: depth + 1) else { return nil }
            if collect { members.append((key, index..<valueEnd)) }
            index = skipSpace(bytes, valueEnd)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return index + 1 }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipSpace(bytes, index + 1)
        }
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// The index after the value starting at `start` (no leading whitespace), or nil.
    private static func value(_ bytes: [UInt8], _ start: Int, depth: Int) -> Int? {
        guard start < bytes.count, depth < 512 else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "{"):
            var nested: [(key: Range<Int>, value: Range<Int>)] = []
            return object(bytes, start, depth: depth, members: &nested, collect: false)
        case UInt8(ascii: "["):
            var index = skipSpace(bytes, start + 1)
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 }
            while true {
                guard let element = value(bytes, index, depth: depth + 1) else { return nil }
                index = skipSpace(bytes, element)
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "]") { return index + 1 }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index = skipSpace(bytes, index + 1)
            }
        case UInt8(ascii: "\""):
            return string(bytes, start)
        case UInt8(ascii: "t"): return literal(bytes, start, "true")
        case UInt8(ascii: "f"): return literal(bytes, start, "false")
        case UInt8(ascii: "n"): return literal(bytes, start, "null")
        default:
            return number(bytes, start)
        }
    }

    private static func literal(_ bytes: [UInt8], _ start: Int, _ word: StaticString) -> Int? {
        let count = word.utf8CodeUnitCount
        guard start + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[start + offset] != word.utf8Start[offset] { return nil }
        return start + count
    }

    /// A string from its opening quote: no raw control characters, only JSON's escapes.
    private static func string(_ bytes: [UInt8], _ start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    // A UTF-16 code unit: a surrogate only as the first of a pair.
                    guard let unit = hex4(bytes, index + 2) else { return nil }
                    index += 6
                    if (0xDC00...0xDFFF).contains(unit) { return nil }
                    if (0xD800...0xDBFF).contains(unit) {
                        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                              let low = hex4(bytes, index + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                        index += 6
                    }
                default:
                    return nil
                }
            case 0..<0x20:
                return nil
            default:
                index += 1
            }
        }
        return nil
    }

    /// The four hex digits at `start` as a number, or nil.
    private static func hex4(_ bytes: [UInt8], _ start: Int) -> UInt16? {
        guard start + 4 <= bytes.count else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[start..<(start + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private static func number(_ bytes: [UInt8], _ start: Int) -> Int? {
        func isDigit(_ index: Int) -> Bool {
            index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
        }
        var index = start
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        return index
    }
}

/// Decodes and dispatches every frame as the server does; returns how many replies it made.
private func serve(_ frames: [ControlFrame]) async {
    for frame in frames {
        guard case .line(let line) = frame else {
            invariant(frame == .tooLong, "unknown frame")
            return  // the server closes the connection
        }
        invariant(line.readableBytes <= maxLineBytes, "a line of \(line.readableBytes) bytes passed the \(maxLineBytes)-byte limit")
        guard line.readableBytes > 0 else { continue }
        switch ControlCodec.parseRequest(Data(line.readableBytesView)) {
        case .failure(let rejected):
            checkReply(ControlCodec.line(ControlReply<Empty>(id: rejected.id, error: rejected.error)), id: rejected.id)
        case .success(let request) where request.cmd == "watch":
            continue
        case .success(let request):
            checkReply(await commands.reply(to: request), id: request.id)
        }
    }
    // Each input starts from an idle daemon.
    try? await runner.stop()
}

@main
enum FuzzControl {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input, as libFuzzer hands it over.
private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let decoded = frames(reads(bytes(data, size)))
    let done = DispatchSemaphore(value: 0)
    Task {
        await serve(decoded)
        done.signal()
    }
    done.wait()
    return 0
}
