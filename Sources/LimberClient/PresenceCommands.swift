import ArgumentParser
import LimberProtocol

extension ClientCommands {
    public struct Away: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Tell limberd you are away from the desk: the sitting clock stops.",
            discussion: "For idle and lock tools the daemon cannot see (swayidle, hypridle, xss-lock); see the README. Away for at least a break's length counts as a natural break. `limber back` ends it.")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let result: BreakActionResult = try connection.call("presence", args: ["state": .string("away")])
            print(result.message)
        }
    }

    public struct Back: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Tell limberd you are back at the desk: the sitting clock runs again.")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let result: BreakActionResult = try connection.call("presence", args: ["state": .string("present")])
            print(result.message + (result.status.nextBreak.map { "; next \($0.kind) break in \(StatusText.clock($0.inMs))" } ?? ""))
        }
    }
}
