import Foundation
import LimberSpeech
import LimberCore
import LimberProtocol
import Logging
import ServiceLifecycle
import UnixSignals

/// Re-reads config and sessions (`limber reload`, SIGHUP): a valid config replaces the old
/// one everywhere at once; an invalid one is refused with its errors and the old stays.
public struct Reloader: Sendable {
    let configPath: String
    let device: String?
    let output: PlayerOutput
    let scheduler: BreakScheduler
    let sessions: any SessionCatalog
    let events: EventHub
    let notifier: SystemdNotifier
    let logger: Logger

    public func reload() async throws(ControlError) -> ReloadResult {
        notifier.reloading()
        defer { notifier.ready(status: "idle") }
        let config: LimberConfig
        switch ConfigFile.load(configPath) {
        case .success(let loaded): config = loaded
        case .failure(let error):
            logger.error(
                "config refused on reload; the old one stays in force",
                metadata: ["file": "\(configPath)", "errors": "\((error.details ?? [error.message]).joined(separator: "; "))"])
            throw ControlError(error)
        }
        output.update(settings: ConfigFile.audioSettings(config, device: device))
        output.update(voice: config.voice, audioVolume: config.audio.volume, cacheDirectory: SpeechCache.standardDirectory())
        await scheduler.update(config: config)
        let result = await sessions.reload()
        logger.info("reloaded", metadata: ["config": "\(configPath)", "sessions": "\(result.sessions)"])
        events.publish(ControlEvent(event: .reloaded, mono: 0, wall: WallTime.iso8601()))
        return result
    }
}

/// SIGHUP reloads, as daemons do.
struct ReloadOnHangUp: Service {
    let reloader: Reloader
    let logger: Logger

    func run() async {
        await UnixSignalsSequence(trapping: .sighup).forEachUntilShutdown { _ in
            logger.info("SIGHUP: reloading")
            _ = try? await reloader.reload()
        }
    }
}

extension Timeline {
    /// A break with no session linked: one timed step to stand up and move.
    public static func plainBreak(durationMs: Int64) -> Timeline {
        let duration = max(1000, durationMs)
        return Timeline(
            id: "break", name: "Movement break", kind: .posture,
            description: "Stand up, walk about, move your back gently.", tags: [],
            segments: [Segment(index: 0, role: .step, text: "Stand up and move: walk, stretch, look far away", offsetMs: 0, durationMs: duration)],
            cues: [
                CueEvent(offsetMs: 0, cue: .start, segmentIndex: 0),
                CueEvent(offsetMs: duration / 2, cue: .halfway, segmentIndex: 0),
                CueEvent(offsetMs: duration, cue: .end, segmentIndex: 0),
            ],
            totalMs: duration)
    }
}
