#if canImport(Glibc)
import Glibc
#endif

/// Asks the scheduler to run the calling thread (the playback thread) ahead of ordinary
/// work, as sound servers do for theirs: a starved writer lets the stream underrun, and a
/// starved sound-server client (the ALSA pulse plugin's thread, created by this thread when
/// it opens the PCM, inherits its policy) reads stale delays.
///
/// Real-time round-robin at a low priority when allowed (root, or an `RLIMIT_RTPRIO` above
/// zero, as Debian grants the `pipewire` and `audio` groups); otherwise a lower nice value
/// when `RLIMIT_NICE` allows; otherwise the thread stays as it was. Never fails.
enum AudioThreadPriority {
    /// Below PipeWire's and PulseAudio's own threads (88 and 5 to 20 by default).
    static let realtimePriority: Int32 = 4
    static let nice: Int32 = -11

    enum Outcome: Equatable, CustomStringConvertible {
        case realtime(priority: Int32)
        case nice(Int32)
        case unchanged(reason: String)

        var description: String {
            switch self {
            case .realtime(let priority): "real-time round-robin, priority \(priority)"
            case .nice(let value): "nice \(value)"
            case .unchanged(let reason): "normal priority (\(reason))"
            }
        }
    }

    static func raise() -> Outcome {
        var parameters = sched_param()
        parameters.sched_priority = realtimePriority
        // Without SCHED_RESET_ON_FORK: the plugin's thread must inherit it. Processes are
        // never spawned from this thread.
        if pthread_setschedparam(pthread_self(), Int32(SCHED_RR), &parameters) == 0 {
            return .realtime(priority: realtimePriority)
        }
        // On Linux a nice value belongs to a thread: `who` 0 is the calling thread.
        if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) == 0 {
            return .nice(nice)
        }
        return .unchanged(reason: "neither real-time scheduling nor a lower nice value is permitted: see docs/cues.md")
    }
}
