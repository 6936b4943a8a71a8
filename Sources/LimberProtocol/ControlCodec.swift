#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON conventions of the control protocol: snake_case keys, one object per line.
public enum ControlCodec {
    /// The one encoder for everything limber and limberd print or send as JSON, so that a
    /// key reads the same on the socket and in `limber … --json`; `pretty` indents it for people.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.withoutEscapingSlashes, .sortedKeys, .prettyPrinted] : [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// Encodes `value` as one line, newline included: the same bytes as ``encoder(pretty:)``
    /// writes, through LimberWire's encoder (several times quicker: every reply and event
    /// limberd sends is written here).
    public static func line<T: Encodable>(_ value: T) -> Data {
        Data(lineBytes(value))
    }

    /// ``line(_:)`` as bytes.
    public static func lineBytes<T: Encodable>(_ value: T) -> [UInt8] {
        guard let encoded = try? JSONValueEncoder().encode(value) else {
            return Array(#"{"ok":false,"error":{"code":"internal","message":"reply could not be encoded"}}"#.utf8) + [0x0A]
        }
        var bytes = JSONText.serialize(encoded)
        bytes.append(0x0A)
        return bytes
    }

    /// Parses one request line, telling malformed JSON from a malformed request.
    public static func parseRequest<Bytes: Collection<UInt8>>(_ line: Bytes) -> Result<ControlRequest, RejectedRequest> {
        let value: JSONValue
        do {
            value = try JSONText.parse(line)
        } catch {
            return .failure(RejectedRequest(nil, ControlError(.badJSON, "the request is not valid JSON; send one JSON object per line, e.g. {\"id\":1,\"cmd\":\"status\"}")))
        }
        guard case .object(let object) = value else {
            return .failure(RejectedRequest(nil, ControlError(.badRequest, "the request must be a JSON object with \"cmd\", not a \(value.typeName)")))
        }
        let id = object["id"]
        guard let cmdValue = object["cmd"] else {
            return .failure(RejectedRequest(id, ControlError(.badRequest, "the request has no \"cmd\"; e.g. {\"id\":1,\"cmd\":\"status\"}")))
        }
        guard case .string(let cmd) = cmdValue else {
            return .failure(RejectedRequest(id, ControlError(.badRequest, "\"cmd\" must be a string, not a \(cmdValue.typeName)")))
        }
        var args: [String: JSONValue]?
        switch object["args"] {
        case nil, .null?:
            args = nil
        case .object(let value)?:
            args = value
        case let other?:
            return .failure(RejectedRequest(id, ControlError(.badArgs, "\"args\" must be an object, not a \(other.typeName)")))
        }
        return .success(ControlRequest(id: id, cmd: cmd, args: args))
    }
}

/// A request line that could not be accepted, with the id to answer it under.
public struct RejectedRequest: Error, Sendable, Hashable {
    public var id: JSONValue?
    public var error: ControlError

    public init(_ id: JSONValue?, _ error: ControlError) {
        self.id = id
        self.error = error
    }
}

extension ControlRequest {
    /// A string argument; nil when absent.
    public func string(_ name: String) throws(ControlError) -> String? {
        switch args?[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw ControlError(.badArgs, "argument \"\(name)\" of \(cmd) must be a string, not a \(other.typeName)")
        }
    }

    /// A boolean argument; `defaultValue` when absent.
    public func bool(_ name: String, default defaultValue: Bool = false) throws(ControlError) -> Bool {
        switch args?[name] {
        case nil, .null?: return defaultValue
        case .bool(let value)?: return value
        case let other?: throw ControlError(.badArgs, "argument \"\(name)\" of \(cmd) must be true or false, not a \(other.typeName)")
        }
    }

    /// A list-of-strings argument; nil when absent.
    public func strings(_ name: String) throws(ControlError) -> [String]? {
        switch args?[name] {
        case nil, .null?: return nil
        case .array(let values)?:
            var result: [String] = []
            for value in values {
                guard case .string(let text) = value else {
                    throw ControlError(.badArgs, "argument \"\(name)\" of \(cmd) must be a list of strings")
                }
                result.append(text)
            }
            return result
        case let other?: throw ControlError(.badArgs, "argument \"\(name)\" of \(cmd) must be a list of strings, not a \(other.typeName)")
        }
    }
}
