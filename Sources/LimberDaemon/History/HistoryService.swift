import LimberHistory
import ServiceLifecycle

/// Runs the history writer in the service group.
///
/// Listed first in the group so that it shuts down last: the runner's final "stopped,
/// shutdown" record is queued before the writer drains its queue and returns.
struct HistoryService: Service {
    let recorder: HistoryRecorder

    func run() async {
        await withGracefulShutdownHandler {
            await recorder.run()
        } onGracefulShutdown: {
            recorder.finish()
        }
    }
}
