import LimberHistory
import ServiceLifecycle

/// Runs the history writer in the service group.
///
/// Listed first in the group so that it shuts down last: the runner's final "stopped,
/// shutdown" record is queued before the writer drains its queue and returns.
struct HistoryService: Service {
    let recorder: HistoryRecorder
    /// Where the queue is written: SQLite's fsyncs then never hold up the daemon's loop.
    var writer: DaemonLoop = .global

    func run() async {
        await withTaskExecutorPreference(writer.executor) {
            await withGracefulShutdownHandler {
                await recorder.run()
            } onGracefulShutdown: {
                recorder.finish()
            }
        }
    }
}
