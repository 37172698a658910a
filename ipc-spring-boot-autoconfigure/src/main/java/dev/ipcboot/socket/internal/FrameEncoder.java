package dev.ipcboot.socket.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import dev.ipcboot.socket.Framing;

/**
 * Frames an outgoing message into one buffer: header, payload and delimiter in one write.
 */
final class FrameEncoder {

	private static final int STX = 0x02;

	private static final int ETX = 0x03;

	private FrameEncoder() {
	}

	/**
	 * Frame a message.
	 * @param allocator where the buffer comes from
	 * @param framing the framing
	 * @param payload the message, already checked against {@code max-message-size}
	 * @return the frame, ready to write
	 */
	static ByteBuf encode(ByteBufAllocator allocator, Framing framing, byte[] payload) {
		return encode(allocator.buffer(length(framing, payload.length)), framing, payload);
	}

	/**
	 * The size of a message's frame.
	 * @param framing the framing
	 * @param length the message's length
	 * @return header, payload and delimiter
	 */
	static int length(Framing framing, int length) {
		return switch (framing) {
			case LENGTH_PREFIXED -> length + 4;
			case LINE -> length + 1;
			case CRLF, STX_ETX -> length + 2;
			case RAW -> length;
		};
	}

	/**
	 * Frame a message into a buffer with room for it.
	 * @param buffer the buffer, at least {@link #length(Framing, int)} writable bytes
	 * @param framing the framing
	 * @param payload the message, already checked against {@code max-message-size}
	 * @return the buffer
	 */
	static ByteBuf encode(ByteBuf buffer, Framing framing, byte[] payload) {
		return switch (framing) {
			case LENGTH_PREFIXED -> buffer.writeInt(payload.length).writeBytes(payload);
			case LINE -> buffer.writeBytes(payload).writeByte('\n');
			case CRLF -> buffer.writeBytes(payload).writeByte('\r').writeByte('\n');
			case STX_ETX -> buffer.writeByte(STX).writeBytes(payload).writeByte(ETX);
			case RAW -> buffer.writeBytes(payload);
		};
	}

}
