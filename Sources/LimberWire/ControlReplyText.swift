/// What `limber pause`, `resume`, `next`, `prev` and `stop` print for the daemon's reply:
/// one place for the thin client and limber-tools. Nil: nothing to print.
public enum ControlReplyText {
    public static func text(for cmd: String, _ status: StatusResult) -> String? {
        let session = status.session
        switch cmd {
        case "pause":
            return session.map { "paused \($0.id) at step \($0.step + 1)/\($0.steps), \(StatusText.clock($0.stepRemainingMs)) left in it" }
        case "resume":
            return session.map { "resumed \($0.id): \($0.stepText)" }
        case "next":
            return session.map { "step \($0.step + 1)/\($0.steps): \($0.stepText)" } ?? "session finished"
        case "prev":
            return session.map { "step \($0.step + 1)/\($0.steps): \($0.stepText)" }
        case "stop":
            return "stopped"
        default:
            return nil
        }
    }
}
