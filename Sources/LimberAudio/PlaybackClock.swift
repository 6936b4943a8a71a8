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
/// - **Drift.** Once locked, the origin moves only when the median of the estimates of the
///   last ``Tuning/window`` × ``Tuning/sampleEvery`` seconds (10 s, one every 50 ms) is more
///   than ``Tuning/deadband`` away, and then by at most ``Tuning/maximumSlew`` seconds per
///   second. Once locked, the stream's own frame count is the clock: a moving origin shifts
///   every later cue against the first one, so reports must not move it. They are noisy
///   (PipeWire's delay has a ±8 ms sawtooth over about 2 s) and can be wrong for good (under
///   load pipewire-pulse shifted its reported delay by 22 ms for the rest of a session while
///   the audio itself went on unbroken), so only a clock that has drifted by more than the
///   deadband (200 ppm does that in 4 minutes) is followed, gradually.
/// - **Re-measuring.** When at least ``Tuning/jumpReports`` estimates in a row, over at
///   least ``Tuning/jumpPersistence``, sit more than ``Tuning/jump`` away on the same side
///   (the server lost or inserted audio; a brief burst of odd reports is not that), the origin is
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
        public var window = 200
        public var sampleEvery = 0.050
        public var deadband = 0.050
        public var maximumSlew = 0.001
        public var jump = 0.100
        public var jumpReports = 6
        public var jumpPersistence = 1.5

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
    private var lastSample: Double?
    /// The current run of estimates beyond ``Tuning/jump`` on one side, for the jump detector.
    private var recent: [(time: Double, estimate: Double)] = []

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
    }

    /// Fixes the origin outright, for a device with no clock of its own (`null`, a file):
    /// its frames are "heard" on the monotonic clock from the first write.
    public mutating func lock(origin: Double) -> Change {
        reset()
        self.origin = origin
        return .locked(origin: origin)
    }

    /// Takes one report; returns what it changed, if anything.
    public mutating func observe(_ report: Report) -> Change? {
        guard report.running else {
            candidates.removeAll()
            consumingSince = nil
            return nil
        }
        let estimate = report.time - Double(report.heard) / rate
        guard let current = origin else { return tryLock(report, estimate: estimate) }
        if let jumped = detectJump(from: current, time: report.time, estimate: estimate) {
            origin = jumped
            clearWindow()
            return .remeasured(by: jumped - current)
        }
        if report.time - (lastSample ?? -.infinity) >= tuning.sampleEvery {
            let elapsed = lastSample.map { report.time - $0 } ?? 0
            lastSample = report.time
            record(estimate)
            slew(from: current, over: elapsed)
        }
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
        lastSample = nil
        recent.removeAll()
    }

    /// Extends the run of far estimates with this one; the run's median once it is long
    /// and persistent enough to be a real jump.
    private mutating func detectJump(from current: Double, time: Double, estimate: Double) -> Double? {
        let offset = estimate - current
        guard abs(offset) > tuning.jump else {
            recent.removeAll()
            return nil
        }
        if let first = recent.first, (first.estimate - current > 0) != (offset > 0) { recent.removeAll() }
        recent.append((time, estimate))
        guard let first = recent.first, recent.count >= tuning.jumpReports,
              time - first.time >= tuning.jumpPersistence
        else { return nil }
        return Self.median(recent.map(\.estimate))
    }

    /// Moves the origin toward the window's median, once half the window is filled.
    private mutating func slew(from current: Double, over elapsed: Double) {
        guard window.count >= tuning.window / 2 else { return }
        let error = Self.median(window) - current
        guard abs(error) > tuning.deadband else { return }
        let step = min(abs(error) - tuning.deadband, tuning.maximumSlew * max(0, elapsed))
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
