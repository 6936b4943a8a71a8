/// Maps the frames of a playback stream to the instants a listener hears them, from the
/// stream's own reports of what it has queued.
///
/// Pure: fed ``Report``s (a delay and the timestamp it was read at, taken together), it
/// answers which frame is heard at an instant. Every report gives one estimate of the
/// *origin*, the instant at which frame 0 is heard: `time − (written − delay) / rate`.
///
/// - **Locking.** No origin is fixed until the stream is seen consuming: the heard position
///   advances at about the nominal rate over ``Tuning/lockSpan`` and the estimates agree
///   within ``Tuning/lockSpread``. A server that reports a delay before it really plays
///   (PulseAudio's start-up) gives a heard position that stands still, so it never locks
///   early. Where the estimates never agree that closely (a large, coarse quantum), the
///   median of everything seen over ``Tuning/lockPatience`` is taken.
/// - **Drift.** Once locked, the origin moves only when the median of the last
///   ``Tuning/window`` estimates is more than ``Tuning/deadband`` away, and then by at most
///   ``Tuning/maximumSlew`` seconds per second: jitter in the reports never moves a cue, and
///   a real clock drift (tens to hundreds of ppm) is followed without an audible jump.
/// - **Re-measuring.** When ``Tuning/jumpReports`` estimates in a row sit more than
///   ``Tuning/jump`` away on the same side (the server lost or inserted audio), the origin is
///   measured again from them and the drift estimator starts afresh.
public struct PlaybackClock: Sendable {
    /// One reading of the stream, its parts taken at the same moment.
    public struct Report: Sendable, Equatable {
        /// When the delay was measured, in seconds on the caller's monotonic timebase.
        public var time: Double
        /// Frames handed to the stream so far.
        public var written: Int64
        /// Frames written but not yet heard (the device's and the server's queue).
        public var delay: Int64
        /// Whether the stream has started.
        public var running: Bool

        public init(time: Double, written: Int64, delay: Int64, running: Bool) {
            self.time = time
            self.written = written
            self.delay = delay
            self.running = running
        }

        var heard: Int64 { written - delay }
    }

    /// What a report changed.
    public enum Change: Sendable, Equatable {
        /// The origin was fixed for the first time (or after ``reset()``).
        case locked(origin: Double)
        /// The origin was measured again after a jump of `by` seconds.
        case remeasured(by: Double)
    }

    /// The estimator's constants; the defaults suit PulseAudio, PipeWire and hardware.
    public struct Tuning: Sendable {
        public var lockReports = 4
        public var lockSpan = 0.060
        public var lockSpread = 0.002
        public var lockPatience = 0.5
        public var window = 96
        public var deadband = 0.008
        public var maximumSlew = 0.001
        public var jump = 0.020
        public var jumpReports = 6

        public init() {}
    }

    public let rate: Double
    public let tuning: Tuning
    /// The instant at which frame 0 is heard; nil until locked.
    public private(set) var origin: Double?
    /// How far the drift correction has moved the origin since it was locked, in seconds.
    public private(set) var slewed = 0.0
    private var candidates: [(time: Double, heard: Int64, estimate: Double)] = []
    private var consumingSince: Double?
    private var window: [Double] = []
    private var windowNext = 0
    private var lastTime: Double?

    public init(rate: Double, tuning: Tuning = Tuning()) {
        self.rate = rate
        self.tuning = tuning
    }

    /// The frame heard at `time`; nil while not locked.
    public func frame(heardAt time: Double) -> Int64? {
        origin.map { Int64(((time - $0) * rate).rounded()) }
    }

    /// The instant `frame` is heard; nil while not locked.
    public func instant(ofFrame frame: Int64) -> Double? {
        origin.map { $0 + Double(frame) / rate }
    }

    /// Forgets the mapping and every estimate (a new stream, or one that was restarted).
    public mutating func reset() {
        origin = nil
        slewed = 0
        candidates.removeAll()
        consumingSince = nil
        clearWindow()
        lastTime = nil
    }

    /// Takes one report; returns what it changed, if anything.
    public mutating func observe(_ report: Report) -> Change? {
        defer { lastTime = report.time }
        guard report.running else {
            candidates.removeAll()
            consumingSince = nil
            return nil
        }
        let estimate = report.time - Double(report.heard) / rate
        guard let current = origin else { return tryLock(report, estimate: estimate) }
        record(estimate)
        if let jumped = detectJump(from: current) {
            origin = jumped
            clearWindow()
            return .remeasured(by: jumped - current)
        }
        slew(from: current, at: report.time)
        return nil
    }

    private mutating func tryLock(_ report: Report, estimate: Double) -> Change? {
        if let last = candidates.last {
            // Readings closer than 5 ms say nothing about the pace: keep the first.
            guard report.time - last.time >= 0.005 else { return nil }
            if report.heard <= last.heard {
                // The heard position stands still: the stream is not consuming yet.
                candidates.removeAll()
                consumingSince = nil
            }
        }
        candidates.append((report.time, report.heard, estimate))
        if consumingSince == nil { consumingSince = report.time }
        guard let first = candidates.first, candidates.count >= tuning.lockReports else { return nil }
        let span = report.time - first.time
        guard span >= tuning.lockSpan else { return nil }
        let pace = Double(report.heard - first.heard) / (span * rate)
        guard pace > 0.5, pace < 1.5 else {
            candidates.removeFirst()
            return nil
        }
        let recent = candidates.suffix(tuning.lockReports).map(\.estimate)
        let spread = (recent.max() ?? 0) - (recent.min() ?? 0)
        let patient = report.time - (consumingSince ?? report.time) >= tuning.lockPatience
        guard spread <= tuning.lockSpread || patient else { return nil }
        let locked = Self.median(spread <= tuning.lockSpread ? Array(recent) : candidates.map(\.estimate))
        origin = locked
        candidates.removeAll()
        consumingSince = nil
        return .locked(origin: locked)
    }

    private mutating func record(_ estimate: Double) {
        if window.count < tuning.window {
            window.append(estimate)
        } else {
            window[windowNext] = estimate
        }
        windowNext = (windowNext + 1) % tuning.window
    }

    private mutating func clearWindow() {
        window.removeAll(keepingCapacity: true)
        windowNext = 0
    }

    /// The newest `jumpReports` estimates, if all of them lie beyond `jump` on one side.
    private func detectJump(from current: Double) -> Double? {
        guard window.count >= tuning.jumpReports else { return nil }
        let newest = (1...tuning.jumpReports).map { window[(windowNext - $0 + window.count) % window.count] }
        let above = newest.allSatisfy { $0 - current > tuning.jump }
        let below = newest.allSatisfy { current - $0 > tuning.jump }
        return above || below ? Self.median(newest) : nil
    }

    private mutating func slew(from current: Double, at time: Double) {
        guard window.count >= tuning.window / 4, let lastTime else { return }
        let error = Self.median(window) - current
        guard abs(error) > tuning.deadband else { return }
        let step = min(abs(error) - tuning.deadband, tuning.maximumSlew * max(0, time - lastTime))
        let signed = error > 0 ? step : -step
        origin = current + signed
        slewed += signed
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
