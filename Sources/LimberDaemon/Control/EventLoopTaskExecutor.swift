import NIOCore

/// Runs a task's jobs on a NIO event loop, so a connection's work (reading a request,
/// answering it, writing the reply) stays on its channel's thread instead of hopping to
/// the global pool and back for every request.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
