import LimberCore
import Synchronization

/// Every cue rendered once and kept, per volume.
///
/// Only the S16 samples at each volume in use are kept: a new volume (a config reload, a
/// per-cue volume) renders the cue again, so a session never synthesises while it plays,
/// and an idle daemon does not hold a float copy of every cue it has played (4 bytes a
/// sample: 0.8 MB for the 4-second bell alone).
public final class CueBank: Sendable {
    /// The bank the player uses.
    public static let shared = CueBank()

    private struct VolumeKey: Hashable {
        var cue: Cue
        var millivolume: Int
    }

    private let scaled = Mutex([VolumeKey: [Int16]]())

    public init() {}

    /// The samples of `cue` at `volume` (quantised to 1/1000), rendered at most once.
    public func samples(for cue: Cue, volume: Double) -> [Int16] {
        let key = VolumeKey(cue: cue, millivolume: Int((min(max(volume, 0), 1) * 1000).rounded()))
        if let hit = scaled.withLock({ $0[key] }) { return hit }
        let samples = CueSynth.render(cue, volume: Double(key.millivolume) / 1000)
        scaled.withLock { $0[key] = samples }
        return samples
    }

    /// Drops every rendered cue (the idle daemon's trim): the next use renders it again, the
    /// whole vocabulary in about 12 ms (`limber-bench render`). A session renders its cues
    /// before it starts, so none is synthesised while it plays.
    public func release() {
        scaled.withLock { $0.removeAll() }
    }

    /// How many samples the bank holds, all volumes together (tests).
    public var heldSamples: Int {
        scaled.withLock { $0.values.reduce(0) { $0 + $1.count } }
    }

    /// Renders the whole vocabulary from scratch at `volume`, bypassing the cache (the benchmark).
    public static func renderAll(volume: Double) -> [Cue: [Int16]] {
        var all: [Cue: [Int16]] = [:]
        for cue in Cue.allCases {
            all[cue] = CueSynth.render(cue, volume: volume)
        }
        return all
    }
}
