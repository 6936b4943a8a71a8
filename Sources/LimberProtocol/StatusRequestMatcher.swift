import LimberWire

/// Recognises the `status` requests that clients send (`{"cmd":"status"}`, with or without
/// an integer `id` before or after `cmd`) by their bytes, without building a JSON value: the
/// largest share of what the pipeline's `status` answer cost after the reply itself. Any other
/// form, however valid, is not matched and goes through ``ControlCodec/parseRequest(_:)``;
/// what is matched is what that parser reads from the same bytes (StatusRequestMatcherTests).
public enum StatusRequestMatcher {
    /// The request's id (`.null` when it has none) when `line` is one of the recognised
    /// forms; nil otherwise.
    public static func match(_ line: some Collection<UInt8>) -> JSONValue? {
        let bytes = Array(line)
        if bytes == plain { return .null }
        if bytes.starts(with: idFirst), bytes.count > idFirst.count + cmdTail.count, bytes.suffix(cmdTail.count).elementsEqual(cmdTail) {
            return integer(bytes[idFirst.count..<(bytes.count - cmdTail.count)])
        }
        if bytes.starts(with: cmdFirst), bytes.count > cmdFirst.count + 1, bytes.last == UInt8(ascii: "}") {
            return integer(bytes[cmdFirst.count..<(bytes.count - 1)])
        }
        return nil
    }

    // The forms' fixed parts, made once rather than on every request.
    private static let plain = Array(#"{"cmd":"status"}"#.utf8)
    private static let idFirst = Array(#"{"id":"#.utf8)
    private static let cmdTail = Array(#","cmd":"status"}"#.utf8)
    private static let cmdFirst = Array(#"{"cmd":"status","id":"#.utf8)

    /// A JSON integer of at most 15 digits (exact as a Double), no sign, no leading zero.
    private static func integer(_ digits: ArraySlice<UInt8>) -> JSONValue? {
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            digits.count == 1 || digits.first != 0x30
        else { return nil }
        var value: Int64 = 0
        for digit in digits { value = value * 10 + Int64(digit - 0x30) }
        return .number(Double(value))
    }
}
