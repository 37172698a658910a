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
		int length = payload.length;
		return switch (framing) {
			case LENGTH_PREFIXED -> allocator.buffer(length + 4).writeInt(length).writeBytes(payload);
			case LINE -> allocator.buffer(length + 1).writeBytes(payload).writeByte('\n');
			case CRLF -> allocator.buffer(length + 2).writeBytes(payload).writeByte('\r').writeByte('\n');
			case STX_ETX -> allocator.buffer(length + 2).writeByte(STX).writeBytes(payload).writeByte(ETX);
			case RAW -> allocator.buffer(length).writeBytes(payload);
		};
	}

}
