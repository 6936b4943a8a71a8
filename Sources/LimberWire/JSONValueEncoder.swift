import Synchronization

/// Encodes `Encodable` values to a ``JSONValue`` without Foundation, with the protocol's key
/// convention: Swift's camelCase names are written in snake_case, exactly as `JSONEncoder`'s
/// `.convertToSnakeCase` writes them. Numbers are JSON's doubles: an integer beyond 2^53 would
/// lose its last digits (the protocol has none: milliseconds, counts, process ids). With ``JSONText/serialize(_:)`` it is how limberd
/// writes every reply and event line, several times quicker than `JSONEncoder`.
public struct JSONValueEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let value = value as? JSONValue { return value }
        let root = EncodedNode()
        try value.encode(to: ValueEncoder(node: root, codingPath: []))
        guard let encoded = root.value else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) encoded no value"))
        }
        return encoded
    }

    /// `stepRemainingMs` → `step_remaining_ms`, with swift-foundation's rule, quirks included
    /// (it writes `URLValue` as `u_rl_value`): a word ends before each capital that follows
    /// the word's first letter; a run of capitals before a lower-case letter is a word of its own.
    public static func snakeCase(_ key: String) -> String {
        if let known = cache.withLock({ $0[key] }) { return known }
        let converted = convert(key)
        cache.withLock { cache in
            if cache.count < 4096 { cache[key] = converted }
        }
        return converted
    }

    private static let cache = Mutex<[String: String]>([:])

    private static func convert(_ key: String) -> String {
        let characters = Array(key)
        guard characters.count > 1 else { return key.lowercased() }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = characters[searchStart...].firstIndex(where: \.isUppercase) {
            words.append(wordStart..<upper)
            guard let lower = characters[upper...].firstIndex(where: \.isLowercase) else {
                wordStart = upper
                searchStart = characters.count
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
            if searchStart >= characters.count { break }
        }
        words.append(wordStart..<characters.count)
        return words.map { String(characters[$0]).lowercased() }.joined(separator: "_")
    }
}

/// A value being built: a scalar, or an object or array whose members are filled in as the
/// containers write them.
private final class EncodedNode {
    enum Content {
        case empty
        case scalar(JSONValue)
        case object([(String, EncodedNode)])
        case array([EncodedNode])
    }

    var content: Content = .empty

    var value: JSONValue? {
        switch content {
        case .empty: return nil
        case .scalar(let value): return value
        case .object(let members):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            for (key, node) in members { object[key] = node.value ?? .object([:]) }
            return .object(object)
        case .array(let items): return .array(items.map { $0.value ?? .object([:]) })
        }
    }

    func member(_ key: String) -> EncodedNode {
        let node = EncodedNode()
        if case .object(var members) = content {
            content = .empty
            members.append((key, node))
            content = .object(members)
        } else {
            content = .object([(key, node)])
        }
        return node
    }

    func item() -> EncodedNode {
        let node = EncodedNode()
        if case .array(var items) = content {
            content = .empty
            items.append(node)
            content = .array(items)
        } else {
            content = .array([node])
        }
        return node
    }

    func becomeObject() { if case .object = content {} else { content = .object([]) } }
    func becomeArray() { if case .array = content {} else { content = .array([]) } }
}

private struct EncodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

private func number(_ value: Double, _ path: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) is not a JSON number"))
    }
    return .number(value)
}

private func encoded<T: Encodable>(_ value: T, into node: EncodedNode, _ path: [any CodingKey]) throws {
    switch value {
    case let value as JSONValue: node.content = .scalar(value)
    case let value as String: node.content = .scalar(.string(value))
    case let value as Bool: node.content = .scalar(.bool(value))
    case let value as Int: node.content = .scalar(.number(Double(value)))
    case let value as Int64: node.content = .scalar(.number(Double(value)))
    case let value as Double: node.content = .scalar(try number(value, path))
    default: try value.encode(to: ValueEncoder(node: node, codingPath: path))
    }
}

private struct ValueEncoder: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleEncoder(node: node, codingPath: codingPath) }
}

private struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    func child(_ key: Key) -> EncodedNode { node.member(JSONValueEncoder.snakeCase(key.stringValue)) }

    mutating func encodeNil(forKey key: Key) throws { child(key).content = .scalar(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).content = .scalar(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).content = .scalar(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { child(key).content = .scalar(try number(value, codingPath + [key])) }
    mutating func encode(_ value: Float, forKey key: Key) throws { child(key).content = .scalar(try number(Double(value), codingPath + [key])) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { child(key).content = .scalar(.number(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoded(value, into: child(key), codingPath + [key]) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoder(node: node.member("super"), codingPath: codingPath + [EncodingKey(stringValue: "super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(node: child(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = node.content { return items.count }
        return 0
    }

    var nextPath: [any CodingKey] { codingPath + [EncodingKey(intValue: count)] }

    mutating func encodeNil() throws { node.item().content = .scalar(.null) }
    mutating func encode(_ value: Bool) throws { node.item().content = .scalar(.bool(value)) }
    mutating func encode(_ value: String) throws { node.item().content = .scalar(.string(value)) }
    mutating func encode(_ value: Double) throws {
        let path = nextPath
        node.item().content = .scalar(try number(value, path))
    }
    mutating func encode(_ value: Int) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Float) throws {
        let path = nextPath
        node.item().content = .scalar(try number(Double(value), path))
    }
    mutating func encode(_ value: Int8) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { node.item().content = .scalar(.number(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try encoded(value, into: node.item(), path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        return ValueEncoder(node: node.item(), codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        return ValueEncoder(node: node.item(), codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return ValueEncoder(node: node.item(), codingPath: path)
    }
}

private struct SingleEncoder: SingleValueEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .scalar(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .scalar(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .scalar(.string(value)) }
    mutating func encode(_ value: Double) throws { node.content = .scalar(try number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { node.content = .scalar(try number(Double(value), codingPath)) }
    mutating func encode(_ value: Int) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { node.content = .scalar(.number(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoded(value, into: node, codingPath) }
}
