package dev.ipcboot.socket.internal;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;

/**
 * A frame a server lends to its listener instead of copying it: a view of the frame's
 * bytes in the connection's input buffer, which stays allocated (one reference held)
 * until the call returns and the connection releases it. The view was made on the event
 * loop, so a worker may read it.
 *
 * @param owner the buffer the view belongs to, retained once for the frame
 * @param view the frame's bytes, position 0, big-endian
 */
record LentFrame(ByteBuf owner, ByteBuffer view) {

	/**
	 * Frames shorter than this are copied into an array instead: the copy costs less than
	 * the view and the frame (about 100 bytes of objects), and a listener that keeps its
	 * payload, which is most, would copy the view again.
	 */
	static final int MIN_LENGTH = 1024;

	/**
	 * Lend the next {@code length} bytes of {@code in} and skip them.
	 * @param in the connection's input buffer
	 * @param length the frame's length
	 * @return the frame
	 */
	static LentFrame take(ByteBuf in, int length) {
		// one ByteBuffer per frame (Netty's pooled buffers slice their chunk's own NIO
		// buffer), and no slice of the ByteBuf: the buffer itself is retained
		ByteBuffer view = in.nioBuffer(in.readerIndex(), length);
		in.skipBytes(length);
		return new LentFrame(in.retain(), view);
	}

}
