import LimberCore
import LimberProtocol

/// Where the daemon finds and compiles sessions.
public protocol SessionCatalog: Sendable {
    /// Every session on the search path, and the files that did not validate.
    func list() async -> SessionsResult
    /// Compiles the session with this id.
    func timeline(id: String) async throws(ControlError) -> Timeline
    /// Compiles a script sent as text; `path` names it in diagnostics and anchors includes.
    func timeline(script: String, path: String) async throws(ControlError) -> Timeline
    /// Re-reads the search path.
    func reload() async -> ReloadResult
}
