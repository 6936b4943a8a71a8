/// The voices of one stream and where each starts, in frames; renders any stretch of it.
///
/// Pure: the playback loop tells it which frames are already written (they cannot change)
/// and asks it for the next ones. A cue placed on a frame still to be written starts there,
/// exactly. A cue whose frame has gone by is *late*: it starts at the first writable frame,
/// but never within ``minimumSeparation`` of another onset, so late cues are heard one after
/// another instead of summed into one.
public struct CueMixer: Sendable {
    /// One rendered cue on the stream.
    public struct Voice: Sendable, Equatable {
        public var token: Int
        public var samples: [Int16]
        public var start: Int64
        /// Part of the session (cancelled by pause, next, stop), or a lone cue.
        public var session: Bool
        /// First frame of a 5 ms fade to silence, when the voice was cut.
        public var fadeFrom: Int64?

        public var end: Int64 { fadeFrom.map { min($0 + CueMixer.fadeFrames, start + Int64(samples.count)) } ?? start + Int64(samples.count) }
    }

    /// Where a voice was put.
    public enum Placement: Sendable, Equatable {
        case onTime(frame: Int64)
        case late(frame: Int64, byFrames: Int64)

        public var frame: Int64 {
            switch self {
            case .onTime(let frame), .late(let frame, _): frame
            }
        }
    }

    /// 100 ms at 48 kHz: onsets closer than this blur into one.
    public static let minimumSeparation: Int64 = 4_800
    /// 5 ms at 48 kHz: a cut voice fades out over this many frames instead of clicking.
    public static let fadeFrames: Int64 = 240

    public private(set) var voices: [Voice] = []

    public init() {}

    /// Whether anything remains to be heard.
    public var isEmpty: Bool { voices.isEmpty }

    /// Places a session cue whose ideal first frame is `ideal`; `writable` is the first frame
    /// not yet written.
    @discardableResult
    public mutating func place(token: Int, samples: [Int16], at ideal: Int64, writable: Int64) -> Placement {
        if ideal >= writable {
            voices.append(Voice(token: token, samples: samples, start: ideal, session: true))
            return .onTime(frame: ideal)
        }
        var start = writable
        while let clash = voices.first(where: { abs($0.start - start) < Self.minimumSeparation }) {
            start = clash.start + Self.minimumSeparation
        }
        voices.append(Voice(token: token, samples: samples, start: start, session: true))
        return .late(frame: start, byFrames: start - ideal)
    }

    /// Places a spoken phrase of the session at `ideal` (or at `writable`, if that has gone
    /// by): it is never moved to clear other voices, but when it would still sound at
    /// `silentFrom` (the next cue's onset, less a clearance) it fades out to end there.
    public mutating func placeSpeech(token: Int, samples: [Int16], at ideal: Int64, silentFrom: Int64?, writable: Int64) {
        let start = max(ideal, writable)
        var voice = Voice(token: token, samples: samples, start: start, session: true)
        if let silentFrom, voice.end > silentFrom {
            guard silentFrom - Self.fadeFrames > start else { return }
            voice.fadeFrom = silentFrom - Self.fadeFrames
        }
        voices.append(voice)
    }

    /// Places a lone cue (outside the session's timeline) as soon as it can be heard:
    /// at `writable`, or after the lone cue still playing.
    @discardableResult
    public mutating func placeLone(token: Int, samples: [Int16], writable: Int64) -> Int64 {
        let start = voices.filter { !$0.session }.map(\.end).max().map { max($0, writable) } ?? writable
        voices.append(Voice(token: token, samples: samples, start: start, session: false))
        return start
    }

    /// Whether a lone cue is waiting or sounding.
    public var hasLoneVoice: Bool { voices.contains { !$0.session } }

    /// Cancels the session's voices: those not started by `writable` are dropped, those
    /// sounding fade out from `writable`.
    public mutating func cancelSession(from writable: Int64) {
        voices.removeAll { $0.session && $0.start >= writable }
        for index in voices.indices where voices[index].session && voices[index].end > writable {
            voices[index].fadeFrom = min(voices[index].fadeFrom ?? .max, writable)
        }
    }

    /// Mixes frames `first ..< first + buffer.count` into `buffer`, then forgets voices that
    /// end before the next frame to write.
    public mutating func render(from first: Int64, into buffer: UnsafeMutableBufferPointer<Int16>) {
        let last = first + Int64(buffer.count)
        var mix = [Int32](repeating: 0, count: buffer.count)
        for voice in voices {
            let from = max(voice.start, first)
            let to = min(voice.end, last)
            guard from < to else { continue }
            voice.samples.withUnsafeBufferPointer { samples in
                for frame in from..<to {
                    var value = Int32(samples[Int(frame - voice.start)])
                    if let fade = voice.fadeFrom, frame >= fade {
                        value = value * Int32(Self.fadeFrames - (frame - fade)) / Int32(Self.fadeFrames)
                    }
                    mix[Int(frame - first)] += value
                }
            }
        }
        for index in 0..<buffer.count {
            buffer[index] = Int16(clamping: mix[index])
        }
        voices.removeAll { $0.end <= last }
    }
}
