/// How far ahead of the listener the playback loop writes, and when it sleeps.
///
/// The queue (frames written but not yet heard) is topped up to ``highWater`` whenever it
/// falls to ``lowWater``; the loop sleeps in between. The high-water mark bounds how late a
/// pause, a skip or a new cue can be heard; the low-water mark is the margin against a busy
/// machine that wakes the loop late. The player keeps its 40 ms buffer full, writing a 10 ms
/// period whenever one is free. Pure: the loop feeds it the queue it measured.
public struct StreamPacing: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Write this many frames now.
        case write(frames: Int)
        /// Nothing to write for this many seconds (or until a request arrives).
        case wait(seconds: Double)
    }

    public var rate: Double
    public var highWater: Int64
    public var lowWater: Int64

    /// 50 ms and 30 ms at `rate`.
    public init(rate: Double, highWater: Double = 0.050, lowWater: Double = 0.030) {
        self.rate = rate
        self.highWater = Int64(highWater * rate)
        self.lowWater = Int64(lowWater * rate)
    }

    /// What to do with `queued` frames waiting to be heard.
    public func next(queued: Int64) -> Action {
        if queued <= lowWater {
            return .write(frames: Int(highWater - max(queued, 0)))
        }
        return .wait(seconds: max(0.001, Double(queued - lowWater) / rate))
    }
}
