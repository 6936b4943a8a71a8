import Foundation
import LimberSpawn
import SoundCheck

#if canImport(Glibc)
import Glibc
#endif

/// A private dbus-daemon on `DIR/NAME`, standing in for the system bus (logind) or the
/// session bus (notifications): limberd reaches it through `DBUS_SYSTEM_BUS_ADDRESS` or
/// `DBUS_SESSION_BUS_ADDRESS`. Stopped when dropped.
final class MessageBus {
    let address: String
    private let daemon: ChildProcess

    init(in directory: TestDirectory, name: String) throws {
        let socket = directory.path + "/" + name
        address = "unix:path=" + socket
        daemon = try ChildProcess(
            "/usr/bin/dbus-daemon", ["--session", "--nofork", "--nopidfile", "--address=" + address],
            environment: ["PATH": "/usr/bin:/bin"], stdout: .file(directory.path + "/\(name).log"), stderr: .standardOutput)
        try eventually(within: .seconds(10), "dbus-daemon to listen on \(socket)") { socketAccepts(socket) }
    }

    deinit {
        _ = daemon.signal(SIGTERM)
        _ = daemon.wait(within: .seconds(5))
    }

    /// `gdbus call` on this bus; returns its output (`(uint32 1,)`), or throws with its error.
    @discardableResult
    func call(_ destination: String, _ path: String, _ method: String, _ arguments: [String] = []) throws -> String {
        let result = try run(
            URL(fileURLWithPath: "/usr/bin/gdbus"),
            ["call", "--address", address, "--dest", destination, "--object-path", path, "--method", method] + arguments)
        guard result.status == 0 else {
            throw TestFailure("gdbus call \(method) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
    }
}

/// python-dbusmock serving one of its templates on a `MessageBus`, logging every call it gets.
final class DBusMock {
    let bus: MessageBus
    let name: String
    /// dbusmock's call log: one line per method call or signal, `TIME Method ARGS`.
    let callLog: String
    private let process: ChildProcess

    /// Starts `template` (its well-known `name`) and waits until it owns the name.
    convenience init(template: String, name: String, on bus: MessageBus, system: Bool, parameters: String? = nil, in directory: TestDirectory) throws {
        try self.init(
            label: template, name: name, on: bus, system: system,
            arguments: ["--template", template] + (parameters.map { ["-p", $0] } ?? []), in: directory)
    }

    /// Starts a bare mock owning `name`, with one object at `path` implementing `interface`
    /// and the given methods (`name`, in and out signatures, Python code setting `ret`).
    convenience init(name: String, path: String, interface: String, methods: [(String, String, String, String)],
                     on bus: MessageBus, in directory: TestDirectory) throws {
        try self.init(label: name, name: name, on: bus, system: false, arguments: [name, path, interface], in: directory)
        for (method, input, output, code) in methods {
            try bus.call(name, path, "org.freedesktop.DBus.Mock.AddMethod", [interface, method, input, output, code])
        }
    }

    private init(label: String, name: String, on bus: MessageBus, system: Bool, arguments: [String], in directory: TestDirectory) throws {
        self.bus = bus
        self.name = name
        callLog = directory.path + "/\(label).calls"
        let output = directory.path + "/\(label).out"
        var arguments = ["-m", "dbusmock"] + arguments + ["-l", callLog]
        if system { arguments.append("--system") }
        // Debian's python3, which has the dbus module, not whichever is first on PATH.
        process = try ChildProcess(
            "/usr/bin/python3", arguments,
            environment: ["PATH": "/usr/bin:/bin", system ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS": bus.address],
            stdout: .file(output), stderr: .standardOutput)
        try eventually(within: .seconds(15), "dbusmock (\(label)) to own \(name)",
                       log: { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }) {
            (try? bus.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", [name]))?
                .contains("true") == true
        }
    }

    deinit {
        _ = process.signal(SIGTERM)
        _ = process.wait(within: .seconds(5))
    }

    /// The calls logged so far.
    var calls: [String] {
        ((try? String(contentsOfFile: callLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// The logged calls of `method` (`Notify`, `CloseNotification`), their arguments only,
    /// once there are at least `count` of them.
    func calls(of method: String, count: Int, within timeout: Duration = .seconds(5)) throws -> [String] {
        var found: [String] = []
        try eventually(within: timeout, "\(count) \(method) call(s) in dbusmock's log", log: { self.calls.joined(separator: "\n") }) {
            found = calls.compactMap { line in
                let parts = line.split(separator: " ", maxSplits: 2)
                guard parts.count >= 2, parts[1] == method else { return nil }
                return parts.count == 3 ? String(parts[2]) : ""
            }
            return found.count >= count
        }
        return found
    }

    /// Emits `interface.member` from `path` through the mock (`org.freedesktop.DBus.Mock.EmitSignal`).
    func emit(_ path: String, _ interface: String, _ member: String, signature: String, _ arguments: String) throws {
        try bus.call(name, path, "org.freedesktop.DBus.Mock.EmitSignal", [interface, member, signature, arguments])
    }
}
