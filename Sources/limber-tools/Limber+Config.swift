import ArgumentParser
import Foundation
import LimberClient
import LimberCore
import LimberProtocol

extension Limber {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the config file, or print the configuration in force.",
            subcommands: [Check.self, Show.self])

        static func defaultPath() -> String {
            let environment = ProcessInfo.processInfo.environment
            let home = environment["HOME"] ?? NSHomeDirectory()
            let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
            return configHome + "/limber/config.yaml"
        }

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a config file without the daemon; every problem is printed as file:line:column.",
                discussion: "FILE defaults to $XDG_CONFIG_HOME/limber/config.yaml. Exit status: 0 valid (or absent: defaults apply), 1 invalid, 2 usage error. docs/config.md lists every key.")

            @Argument(help: ArgumentHelp("The config file.", valueName: "file"))
            var file: String?

            func run() throws {
                let path = file ?? Config.defaultPath()
                if file == nil, !FileManager.default.fileExists(atPath: path) {
                    print("\(path) does not exist: the defaults apply (`limber config show` prints them)")
                    return
                }
                switch ConfigFile.load(path) {
                case .success:
                    print("\(path): valid")
                case .failure(let error):
                    for detail in error.details ?? [] { Output.error(detail) }
                    Output.fail(error.details == nil ? error.message : "\(path) is invalid: fix the problems above")
                    throw ExitCode.problem
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the configuration in force, defaults filled in, as YAML.",
                discussion: "Asks limberd when it runs (the configuration in force: after a refused reload, the old one); otherwise reads the file itself.")
            @OptionGroup var connection: DaemonConnection

            func run() throws {
                if let client = connection.connectIfRunning() {
                    let result: ConfigResult = try DaemonConnection.call(client, "config")
                    print("# \(result.path)")
                    print(result.yaml, terminator: result.yaml.hasSuffix("\n") ? "" : "\n")
                    return
                }
                let path = Config.defaultPath()
                switch ConfigFile.load(path) {
                case .success(let config):
                    print("# \(path)\(FileManager.default.fileExists(atPath: path) ? "" : " (absent: defaults)")")
                    print(config.render(), terminator: "")
                case .failure(let error):
                    for detail in error.details ?? [] { Output.error(detail) }
                    Output.fail(error.message)
                    throw ExitCode.problem
                }
            }
        }
    }
}
