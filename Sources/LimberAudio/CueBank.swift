import LimberCore
import Synchronization

/// Every cue rendered once and kept, per volume.
///
/// Normalised renders are made on first use; each volume's S16 samples are derived from them
/// once and cached, so a session never synthesises while it plays.
public final class CueBank: Sendable {
    /// The bank the player uses.
    public static let shared = CueBank()

    private struct Cache {
        var normalised: [Cue: [Float]] = [:]
        var scaled: [VolumeKey: [Int16]] = [:]
    }

    private struct VolumeKey: Hashable {
        var cue: Cue
        var millivolume: Int
    }

    private let cache = Mutex(Cache())

    public init() {}

    /// The samples of `cue` at `volume` (quantised to 1/1000), rendered at most once.
    public func samples(for cue: Cue, volume: Double) -> [Int16] {
        let key = VolumeKey(cue: cue, millivolume: Int((min(max(volume, 0), 1) * 1000).rounded()))
        if let hit = cache.withLock({ $0.scaled[key] }) { return hit }
        let normalised = cache.withLock { $0.normalised[cue] } ?? CueSynth.render(cue.recipe)
        let scaled = CueSynth.quantize(normalised, volume: Double(key.millivolume) / 1000)
        cache.withLock {
            $0.normalised[cue] = normalised
            $0.scaled[key] = scaled
        }
        return scaled
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
