#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds the control socket the way both limberd and limber do.
public enum ControlSocketPath {
    /// `--socket`, else `$LIMBER_SOCKET`, else `$XDG_RUNTIME_DIR/limber/control.sock`.
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        useLimberSocketVariable: Bool = true
    ) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if useLimberSocketVariable, let value = environment["LIMBER_SOCKET"], !value.isEmpty { return value }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/limber/control.sock"
        }
        return nil
    }
}
