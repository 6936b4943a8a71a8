import CSystemd
import Foundation

/// A message being read on the bus thread (a reply or a signal); valid only there and then.
public struct BusMessage {
    let raw: OpaquePointer

    /// The signal or method name.
    public var member: String? { sd_bus_message_get_member(raw).map { String(cString: $0) } }

    public func string() throws(BusError) -> String { try readString("s") }
    public func objectPath() throws(BusError) -> String { try readString("o") }

    public func bool() throws(BusError) -> Bool {
        var value: Int32 = 0
        try check(sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "b")), &value), "a boolean")
        return value != 0
    }

    public func uint32() throws(BusError) -> UInt32 {
        var value: UInt32 = 0
        try check(sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "u")), &value), "a uint32")
        return value
    }

    /// An `as` array.
    public func strings() throws(BusError) -> [String] {
        try check(sd_bus_message_enter_container(raw, CChar(UInt8(ascii: "a")), "s"), "an array of strings")
        var values: [String] = []
        while true {
            var pointer: UnsafePointer<CChar>?
            let result = sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "s")), &pointer)
            try check(result, "a string")
            guard result > 0, let pointer else { break }
            values.append(String(cString: pointer))
        }
        try check(sd_bus_message_exit_container(raw), "the end of an array")
        return values
    }

    /// A variant holding a basic value (other contents are skipped, as `.other`).
    public func variant() throws(BusError) -> BusValue {
        var type: CChar = 0
        var contents: UnsafePointer<CChar>?
        try check(sd_bus_message_peek_type(raw, &type, &contents), "a variant")
        guard let contents else { throw BusError(code: EBADMSG, message: "expected a variant") }
        let signature = String(cString: contents)
        try check(sd_bus_message_enter_container(raw, CChar(UInt8(ascii: "v")), contents), "a variant")
        let value: BusValue
        switch signature {
        case "b": value = .bool(try bool())
        case "u": value = .uint32(try uint32())
        case "t":
            var number: UInt64 = 0
            try check(sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "t")), &number), "a uint64")
            value = .uint64(number)
        case "s": value = .string(try string())
        case "o": value = .string(try objectPath())
        case "(so)":
            try check(sd_bus_message_enter_container(raw, CChar(UInt8(ascii: "r")), "so"), "a (so) pair")
            value = .idAndPath(try string(), try objectPath())
            try check(sd_bus_message_exit_container(raw), "the end of a pair")
        default:
            try check(sd_bus_message_skip(raw, contents), "a variant's contents")
            value = .other(signature)
        }
        try check(sd_bus_message_exit_container(raw), "the end of a variant")
        return value
    }

    /// An `a{sv}` dictionary: the properties of a PropertiesChanged signal or GetAll reply.
    public func properties() throws(BusError) -> [String: BusValue] {
        try check(sd_bus_message_enter_container(raw, CChar(UInt8(ascii: "a")), "{sv}"), "a property dictionary")
        var values: [String: BusValue] = [:]
        while true {
            let entered = sd_bus_message_enter_container(raw, CChar(UInt8(ascii: "e")), "sv")
            try check(entered, "a dictionary entry")
            guard entered > 0 else { break }
            let name = try string()
            values[name] = try variant()
            try check(sd_bus_message_exit_container(raw), "the end of a dictionary entry")
        }
        try check(sd_bus_message_exit_container(raw), "the end of a dictionary")
        return values
    }

    private func readString(_ type: Character) throws(BusError) -> String {
        var pointer: UnsafePointer<CChar>?
        try check(sd_bus_message_read_basic(raw, CChar(type.asciiValue ?? 0), &pointer), "a string")
        guard let pointer else { throw BusError(code: EBADMSG, message: "expected a string, found the end of the message") }
        return String(cString: pointer)
    }

    private func check(_ result: Int32, _ what: String) throws(BusError) {
        guard result >= 0 else { throw BusError("expected \(what) in \(member ?? "a message")", result: result) }
    }
}

/// A basic value read from a variant.
public enum BusValue: Sendable, Hashable {
    case bool(Bool)
    case uint32(UInt32)
    case uint64(UInt64)
    case string(String)
    /// A `(so)` pair, as logind's `User.Display` is.
    case idAndPath(String, String)
    /// A value of another type, skipped; its signature.
    case other(String)
}

/// An argument of a method call.
public enum BusArgument: Sendable, Hashable {
    case string(String)
    case uint32(UInt32)
    case uint64(UInt64)
    case int32(Int32)
    case strings([String])
    /// An `a{sv}` of string values (notification hints).
    case stringProperties([String: String])

    func append(to message: OpaquePointer) throws(BusError) {
        var result: Int32
        switch self {
        case .string(let value):
            result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "s")), value)
        case .uint32(var value):
            result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "u")), &value)
        case .uint64(var value):
            result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "t")), &value)
        case .int32(var value):
            result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "i")), &value)
        case .strings(let values):
            result = sd_bus_message_open_container(message, CChar(UInt8(ascii: "a")), "s")
            for value in values where result >= 0 {
                result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "s")), value)
            }
            if result >= 0 { result = sd_bus_message_close_container(message) }
        case .stringProperties(let values):
            result = sd_bus_message_open_container(message, CChar(UInt8(ascii: "a")), "{sv}")
            for (key, value) in values.sorted(by: { $0.key < $1.key }) where result >= 0 {
                result = sd_bus_message_open_container(message, CChar(UInt8(ascii: "e")), "sv")
                if result >= 0 { result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "s")), key) }
                if result >= 0 { result = sd_bus_message_open_container(message, CChar(UInt8(ascii: "v")), "s") }
                if result >= 0 { result = sd_bus_message_append_basic(message, CChar(UInt8(ascii: "s")), value) }
                if result >= 0 { result = sd_bus_message_close_container(message) }
                if result >= 0 { result = sd_bus_message_close_container(message) }
            }
            if result >= 0 { result = sd_bus_message_close_container(message) }
        }
        guard result >= 0 else { throw BusError("cannot build a call's arguments", result: result) }
    }
}
