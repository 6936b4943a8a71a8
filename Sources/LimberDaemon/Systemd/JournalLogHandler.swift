#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// A swift-log handler that writes one line per message to standard error, in the form
/// journald understands when the daemon runs under systemd.
///
/// Under systemd (see ``Format/detect(journalStream:)``) each line starts with a `<N>` syslog
/// priority so `journalctl -p` and colouring keep the level, and carries no timestamp because
/// journald records its own. Elsewhere lines are plain and readable:
/// `2026-11-29T12:00:00Z info limberd: message key=value`.
public struct JournalLogHandler: LogHandler {
    /// How lines are written.
    public enum Format: Sendable, Hashable {
        /// `<N>label: message key=value`, one priority prefix per line of the message.
        case journal
        /// `timestamp level label: message key=value`.
        case plain

        /// Chooses ``journal`` when standard error is the stream named by `JOURNAL_STREAM`.
        ///
        /// systemd sets `JOURNAL_STREAM=device:inode` for the stream it connects to
        /// journald; comparing it with standard error avoids priority prefixes when the
        /// variable was merely inherited and standard error redirected elsewhere.
        public static func detect(journalStream: String? = Self.environmentJournalStream()) -> Format {
            guard let journalStream else { return .plain }
            var status = stat()
            guard fstat(STDERR_FILENO, &status) == 0 else { return .plain }
            return select(journalStream: journalStream, standardError: (UInt64(status.st_dev), UInt64(status.st_ino)))
        }

        /// The decision of ``detect(journalStream:)`` as a function of its inputs.
        public static func select(journalStream: String?, standardError: (device: UInt64, inode: UInt64)?) -> Format {
            guard let journalStream, let standardError else { return .plain }
            let parts = journalStream.split(separator: ":")
            guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else {
                return .plain
            }
            return device == standardError.device && inode == standardError.inode ? .journal : .plain
        }

        /// The value of `JOURNAL_STREAM`, if set.
        public static func environmentJournalStream() -> String? {
            getenv("JOURNAL_STREAM").map { String(cString: $0) }
        }
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format

    /// Creates a handler for `label` writing in `format`.
    ///
    /// Bootstrap once in `main`:
    /// `let format = JournalLogHandler.Format.detect()`
    /// `LoggingSystem.bootstrap { JournalLogHandler(label: $0, format: format) }`.
    public init(
        label: String,
        format: Format,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = "\(error)"
        }
        let text: String
        switch format {
        case .journal:
            text = Self.journalLine(level: event.level, label: label, message: event.message.description, metadata: merged)
        case .plain:
            text = Self.plainLine(
                timestamp: Self.timestamp(secondsSinceEpoch: Int(time(nil))),
                level: event.level,
                label: label,
                message: event.message.description,
                metadata: merged
            )
        }
        Self.writeToStandardError(text + "\n")
    }

    /// The syslog priority journald assigns to a level.
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A message for journald: every line carries the priority, because journald reads each
    /// line of the stream as its own entry.
    public static func journalLine(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        let prefix = "<\(syslogPriority(level))>"
        let body = labelled(label: label, message: message, metadata: metadata)
        return body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { prefix + $0 }
            .joined(separator: "\n")
    }

    /// A message for a terminal or file.
    public static func plainLine(
        timestamp: String,
        level: Logger.Level,
        label: String,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        "\(timestamp) \(level) " + labelled(label: label, message: message, metadata: metadata)
    }

    /// UTC time in RFC 3339 form to the second, e.g. `2026-11-29T12:00:00Z`.
    public static func timestamp(secondsSinceEpoch: Int) -> String {
        var seconds = time_t(secondsSinceEpoch)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "\(secondsSinceEpoch)" }
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(twoDigits(parts.tm_mon + 1))-\(twoDigits(parts.tm_mday))"
            + "T\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec))Z"
    }

    /// `key=value` pairs sorted by key; values with spaces, quotes or `=` are quoted.
    public static func formatMetadata(_ metadata: Logger.Metadata) -> String {
        metadata.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(quotedIfNeeded("\($0.value)"))" }
            .joined(separator: " ")
    }

    private static func labelled(label: String, message: String, metadata: Logger.Metadata) -> String {
        let pairs = formatMetadata(metadata)
        let head = label.isEmpty ? message : "\(label): \(message)"
        return pairs.isEmpty ? head : "\(head) \(pairs)"
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" || $0 == "\t" }
        guard needsQuotes else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }

    /// One `write` per line keeps lines from concurrent loggers whole.
    private static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
