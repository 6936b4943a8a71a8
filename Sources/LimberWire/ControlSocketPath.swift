#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the control socket the way both limberd and limber do.
public enum ControlSocketPath {
    /// `--socket`, else `$LIMBER_SOCKET`, else `$XDG_RUNTIME_DIR/limber/control.sock`.
    /// `environment` defaults to this process's.
    public static func resolve(
        explicit: String?, environment: [String: String]? = nil, useLimberSocketVariable: Bool = true
    ) -> String? {
        func variable(_ name: String) -> String? {
            if let environment { return environment[name] }
            return getenv(name).map { String(cString: $0) }
        }
        if let explicit, !explicit.isEmpty { return explicit }
        if useLimberSocketVariable, let value = variable("LIMBER_SOCKET"), !value.isEmpty { return value }
        if let runtime = variable("XDG_RUNTIME_DIR"), !runtime.isEmpty {
            return runtime + "/limber/control.sock"
        }
        return nil
    }
}
