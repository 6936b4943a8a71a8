import NIOCore

/// One framed unit read from a control connection.
public enum ControlFrame: Sendable, Equatable {
    /// A complete line, without its newline.
    case line(ByteBuffer)
    /// More than the limit arrived without a newline; the connection should be closed.
    case tooLong
}

/// Splits the byte stream into newline-terminated lines of at most `maxLength` bytes.
///
/// An over-long line yields `.tooLong` once and the rest of the input is discarded, so a
/// hostile client cannot make the daemon buffer without bound.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ControlFrame

    public let maxLength: Int
    private var overflowed = false

    public init(maxLength: Int = 64 * 1024) {
        self.maxLength = maxLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if overflowed {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maxLength {
                overflowed = true
                buffer.moveReaderIndex(to: buffer.writerIndex)
                context.fireChannelRead(wrapInboundOut(.tooLong))
            }
            return .needMoreData
        }
        let length = newline - view.startIndex
        if length > maxLength {
            overflowed = true
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(wrapInboundOut(.tooLong))
            return .needMoreData
        }
        var line = buffer.readSlice(length: length) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        context.fireChannelRead(wrapInboundOut(.line(line)))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A final line without a newline still counts as a request.
        if !overflowed, buffer.readableBytes > 0, buffer.readableBytes <= maxLength {
            let line = buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
            context.fireChannelRead(wrapInboundOut(.line(line)))
            return .continue
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
