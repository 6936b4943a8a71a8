import ArgumentParser

/// The commands that only talk to limberd over its socket, with their options and help. The
/// thin `limber` answers the common forms of status, pause, resume, next, prev and stop by
/// itself (`ThinCommandLine`) and hands everything else to limber-tools, which runs these.
public enum ClientCommands {
    /// The commands, in the order help lists them.
    public static let all: [any ParsableCommand.Type] = [
        Status.self, Pause.self, Resume.self, Next.self, Prev.self, Stop.self, Watch.self,
        Break.self, Breaks.self, Away.self, Back.self, Reload.self,
    ]
}
