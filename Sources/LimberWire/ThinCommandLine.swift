/// The command lines the thin `limber` answers itself: the requests a status bar or a key
/// binding sends many times a day. Anything else, including `--help` and every usage
/// error, goes to limber-tools, whose argument parser reads the same options and explains
/// mistakes; so this reader accepts only what is certainly right and declines the rest.
public struct ThinCommandLine: Sendable, Hashable {
    public init(command: String, socket: String? = nil, json: Bool = false, format: String? = nil) {
        self.command = command
        self.socket = socket
        self.json = json
        self.format = format
    }

    /// The commands, each a protocol request without arguments.
    public static let commands: Set<String> = ["status", "pause", "resume", "next", "prev", "stop"]

    public var command: String
    public var socket: String?
    /// `status --json`.
    public var json = false
    /// `status --format TEMPLATE`.
    public var format: String?

    /// The command line without the program name; nil when limber-tools should read it.
    public init?(_ arguments: [String]) {
        guard let command = arguments.first, Self.commands.contains(command) else { return nil }
        self.command = command
        var rest = arguments.dropFirst()[...]
        var seen: Set<String> = []
        while let argument = rest.popFirst() {
            let (name, attached) = Self.split(argument)
            // Each option once: a repeated or unknown one is limber-tools' to judge.
            guard !seen.contains(name) else { return nil }
            seen.insert(name)
            switch name {
            case "--socket", "--format":
                guard command == "status" || name == "--socket" else { return nil }
                let value: String
                if let attached {
                    value = attached
                } else {
                    guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                    value = next
                }
                if name == "--socket" { socket = value } else { format = value }
            case "--json":
                guard command == "status", attached == nil else { return nil }
                json = true
            default:
                return nil
            }
        }
        if json && format != nil { return nil }
    }

    /// `--name=value` as its name and value; anything else as itself with no value.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
