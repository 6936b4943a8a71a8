import Foundation
import LimberAudio
import LimberCore
import LimberDaemon
import LimberProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Plays one session on a running limberd whose audio reaches `server`, records what the
/// server's sink actually played, and says where every cue was heard against where the
/// daemon's timeline put it.
///
/// Expected positions come from the daemon's own `cue` events: each cue's `due` relative to
/// the first cue's. Commands (pause, resume, next, prev) are sent at the given seconds after
/// the session started, so the timeline moves as a user would move it.
public struct HeardSession {
    public struct Command: Sendable {
        public var at: Double
        public var command: String
        public init(at: Double, _ command: String) {
            self.at = at
            self.command = command
        }
    }

    public struct Result: Sendable {
        /// The daemon's cue events, in order.
        public var events: [ControlEvent]
        /// Each cue as found in the recording (nil when the recording had no sound at all).
        public var found: [OnsetMatcher.Found]?
        /// First cue heard − due, in ms, from the recorder's clock (an upper bound, within
        /// the recorder's ~10 ms latency).
        public var firstCueLatencyMs: Double?
        /// For each pause, stop, next and prev: ms from the command until it was heard (the
        /// sounding cue quiet, or the new step's cue starting). A pause sent when nothing
        /// sounded has none.
        public var actLatenciesMs: [(command: String, ms: Double)]
        public var cpuPercent: Double
        public var wakeupsPerSecond: Double
        /// The same for parec recording the monitor meanwhile (a peer audio client).
        public var recorderCPUPercent: Double
        public var recorderWakeupsPerSecond: Double
        /// Wake-ups per second by thread name, busiest first.
        public var wakeupsByThread: [(thread: String, perSecond: Double)]
        public var audio: AudioReport
        /// What the monitor recorded, for looking for more than the cues.
        public var recording: [Int16] = []

        /// Cues not found, or found more than `tolerance` ms from their place.
        public func misplaced(toleranceMs: Double = 1) -> [OnsetMatcher.Found] {
            (found ?? []).filter { $0.correlation < OnsetMatcher.minimumCorrelation || abs($0.errorMs) > toleranceMs }
        }

        public var errors: ErrorSummary { ErrorSummary((found ?? []).map(\.errorMs)) }

        public var table: String {
            (found ?? []).map {
                String(format: "%@ expected %.1f ms, error %+.3f ms, correlation %.3f", $0.label,
                       Double($0.expectedFrame) / 48, $0.errorMs, $0.correlation)
            }.joined(separator: "\n")
        }
    }

    public let socket: String
    public let daemonPID: Int32
    public let server: SoundServer
    public let volume: Double

    public init(socket: String, daemonPID: Int32, server: SoundServer, volume: Double) {
        self.socket = socket
        self.daemonPID = daemonPID
        self.server = server
        self.volume = volume
    }

    /// Starts session `id`, sends `commands` on time, waits for its end, and matches the
    /// recording against the cue events.
    public func play(_ id: String, commands: [Command] = [], timeout: Duration = .seconds(300)) throws -> Result {
        // A daemon that hangs up must fail the run with an error, not kill it with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let recorder = try MonitorRecorder(server)
        // The monitor is flowing once frames arrive (PipeWire's start only when something plays).
        if server.kind == .pulseaudio {
            try server.waitFor("parec to record") { recorder.frames > 0 }
        }
        let watcher = try ControlClient(path: socket)
        _ = try watcher.rawCall("watch")
        let control = try ControlClient(path: socket)
        let offset = try Self.clockOffset(control)
        let before = ProcessCounters.read(pid: daemonPID)
        let recorderBefore = ProcessCounters.read(pid: recorder.pid)
        let began = ContinuousClock.now
        let _: StatusResult = try control.call("start", args: ["id": .string(id)])
        let startedAt = ContinuousClock.now
        var pending = commands.sorted { $0.at < $1.at }
        var sent: [(command: String, at: ContinuousClock.Instant)] = []
        var events: [ControlEvent] = []
        let decoder = ControlCodec.decoder()
        let deadline = began + timeout
        reading: while ContinuousClock.now < deadline {
            let wait = pending.first.map { max(0, (startedAt + .seconds($0.at) - ContinuousClock.now) / .milliseconds(1)) } ?? 1_000
            if case .line(let line) = try watcher.readLine(timeoutMilliseconds: Int32(min(wait, 1_000))),
               let event = try? decoder.decode(ControlEvent.self, from: line) {
                events.append(event)
                if event.event == .sessionFinished || event.event == .sessionStopped { break reading }
            }
            if let next = pending.first, ContinuousClock.now >= startedAt + .seconds(next.at) {
                pending.removeFirst()
                sent.append((next.command, ContinuousClock.now))
                _ = try control.rawCall(next.command)
            }
        }
        let elapsed = (ContinuousClock.now - began) / .seconds(1)
        let after = ProcessCounters.read(pid: daemonPID)
        let recorderAfter = ProcessCounters.read(pid: recorder.pid)
        // A fresh connection: the daemon closes control connections idle for a while.
        let audio = try (ControlClient(path: socket).call("status") as StatusResult).audio
        // Let the last cue ring out (the end cue lasts 1.1 s), so that the next session's
        // recording starts in silence.
        usleep(1_600_000)
        let (samples, recordingStart) = try recorder.stop()

        let cues = events.filter { $0.event == .cue }
        guard let first = cues.first, let firstDue = first.due else {
            throw SoundCheckError("the session emitted no cue events: \(events.map(\.event.rawValue))")
        }
        let expected = Self.expected(cues, volume: volume)
        let matcher = OnsetMatcher(recording: samples)
        let found = matcher.match(expected)
        var latency: Double?
        var actions: [(String, Double)] = []
        if let found, let anchor = found.first, let recordingStart {
            let heard = recordingStart + .seconds(Double(anchor.frame) / 48_000)
            let due = offset + .seconds(firstDue)
            latency = (heard - due) / .milliseconds(1)
            // Commands on the recording's frames, through the same two mappings: a pause or
            // stop acts when the sounding cue falls quiet, a next or prev when the cue of the
            // step it moves to starts.
            let peak = expected[0].samples.reduce(0) { max($0, abs(Int($1))) }
            for (command, at) in sent where command != "resume" {
                let frame = Int(((at - recordingStart) / .seconds(1)) * 48_000)
                let acted = command == "pause" || command == "stop"
                    ? Self.quietFrom(frame, in: samples, peak: peak)
                    : found.first { $0.frame >= frame }?.frame
                if let acted { actions.append((command, Double(acted - frame) / 48)) }
            }
        }
        let cpu = (after.cpuMilliseconds - before.cpuMilliseconds) / 1000 / elapsed * 100
        let wakeups = Double(ProcessCounters.wakeups(from: before, to: after)) / elapsed
        let byThread = ProcessCounters.wakeupsByThread(from: before, to: after)
            .map { (thread: $0.key, perSecond: Double($0.value) / elapsed) }.sorted { $0.perSecond > $1.perSecond }
        return Result(
            events: cues, found: found, firstCueLatencyMs: latency, actLatenciesMs: actions, cpuPercent: cpu,
            wakeupsPerSecond: wakeups,
            recorderCPUPercent: (recorderAfter.cpuMilliseconds - recorderBefore.cpuMilliseconds) / 10 / elapsed,
            recorderWakeupsPerSecond: Double(ProcessCounters.wakeups(from: recorderBefore, to: recorderAfter)) / elapsed,
            wakeupsByThread: byThread, audio: audio, recording: samples)
    }

    /// `cues` (cue events) as the matcher looks for them: each rendered at `volume`, expected
    /// its `due` after the first one's.
    public static func expected(_ cues: [ControlEvent], volume: Double) -> [OnsetMatcher.Expected] {
        let firstDue = cues.first?.due ?? 0
        return cues.map { event in
            OnsetMatcher.Expected(
                label: "\(event.cue?.rawValue ?? "?")@\(event.offsetMs ?? -1)ms",
                samples: event.cue.map { CueBank.shared.samples(for: $0, volume: volume) } ?? [],
                offset: (event.due ?? firstDue) - firstDue)
        }
    }

    /// Where the daemon's `mono` zero is on this process's clock, from a status round trip.
    public static func clockOffset(_ control: ControlClient) throws -> ContinuousClock.Instant {
        var best: (rtt: Duration, offset: ContinuousClock.Instant)?
        for _ in 0..<5 {
            let sent = ContinuousClock.now
            let status: StatusResult = try control.call("status")
            let received = ContinuousClock.now
            guard let mono = status.mono else { throw SoundCheckError("status carries no mono clock") }
            let rtt = received - sent
            let offset = sent + rtt / 2 - .seconds(mono)
            if best == nil || rtt < best!.rtt { best = (rtt, offset) }
        }
        return best!.offset
    }

    /// The first frame at or after `frame` from which 10 ms windows stay under 2 % of `peak`
    /// for 50 ms; nil when the recording was already quiet there.
    static func quietFrom(_ frame: Int, in samples: [Int16], peak: Int) -> Int? {
        let limit = Double(peak) * 0.02
        func loud(_ start: Int) -> Bool {
            guard start >= 0, start + 480 <= samples.count else { return false }
            let power = samples[start..<(start + 480)].reduce(0.0) { $0 + Double($1) * Double($1) }
            return (power / 480).squareRoot() > limit
        }
        guard loud(frame) else { return nil }
        var position = frame
        while position + 2_400 < samples.count {
            if !(0..<5).contains(where: { loud(position + $0 * 480) }) { return position }
            position += 48
        }
        return nil
    }
}
