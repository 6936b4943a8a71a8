import CALSA
import Logging
import Synchronization

/// Routes libasound's own error printing (normally stderr) into our logger.
enum ALSALog {
    private static let logger = Mutex<Logger?>(nil)

    /// Installs the handler (once per process) and makes `logger` its destination.
    static func route(to logger: Logger) {
        self.logger.withLock { $0 = logger }
        _ = installed
    }

    // A lazy static: installed exactly once, thread-safely.
    private static let installed: Bool = {
        limber_alsa_set_error_sink { file, line, function, err, message in
            let text = message.map { String(cString: $0) } ?? ""
            let origin = function.map { String(cString: $0) } ?? "alsa"
            guard let logger = ALSALog.logger.withLock({ $0 }) else { return }
            var metadata: Logger.Metadata = ["alsa.function": "\(origin)"]
            if err != 0 { metadata["alsa.error"] = "\(String(cString: snd_strerror(err)))" }
            if let file { metadata["alsa.source"] = "\(String(cString: file)):\(line)" }
            logger.debug("alsa: \(text)", metadata: metadata)
        }
        return true
    }()
}
