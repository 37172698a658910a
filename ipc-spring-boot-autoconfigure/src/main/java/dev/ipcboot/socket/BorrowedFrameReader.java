package dev.ipcboot.socket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Reads the length-prefixed frames of one connection into one buffer that it reuses, for
 * a listener that borrows its payload
 * ({@link dev.ipcboot.listener.IpcMessageListener#borrowsPayload()}): each frame is
 * handed over as a read-only view of that buffer, which the next frame overwrites. Where
 * the socket has a channel (junixsocket's local sockets) the buffer is direct and the
 * channel reads into it, so the bytes are copied once, out of the kernel, as a plain
 * {@code SocketChannel} reader's are; a socket without one (TCP accepted by a plain
 * server socket, TLS) fills a heap array through the connection's stream. Bytes that the
 * connection's stream has already buffered are taken first either way.
 * <p>
 * The buffer grows with the bytes that arrive, not with the length a header claims, so a
 * corrupt header costs no more than what follows it; it keeps the size of the largest
 * frame the connection received (at most {@code max-message-size}, and the next frame's
 * header, which a channel reads with the frame before it when there is room).
 * <p>
 * Only the connection's own thread calls it.
 */
final class BorrowedFrameReader {

	private static final int HEADER = 4;

	// room for a 64 KiB frame and the next frame's header
	private static final int INITIAL_CAPACITY = 64 * 1024 + HEADER;

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private final FrameCodec codec;

	private final @Nullable ReadableByteChannel channel;

	private final long timeoutNanos;

	private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER);

	private ByteBuffer buffer = EMPTY;

	private ByteBuffer view = EMPTY.asReadOnlyBuffer();

	/**
	 * Create a reader; it allocates no frame buffer before the first frame.
	 * @param codec the server's length-prefixed codec, which reads the header
	 * @param channel the socket's channel, in blocking mode, or {@code null} to read
	 * through the connection's stream
	 * @param timeoutMillis the socket's read timeout ({@code SO_TIMEOUT}), 0 for none
	 */
	BorrowedFrameReader(FrameCodec codec, @Nullable ReadableByteChannel channel, int timeoutMillis) {
		this.codec = codec;
		this.channel = channel;
		this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
	}

	/**
	 * Read one frame, blocking until it is complete.
	 * @param in the connection's stream: what it has buffered comes first, and a socket
	 * without a channel is read through it
	 * @return a read-only, big-endian view of the payload (position 0, limit its length),
	 * valid until the next call
	 * @throws IOException as {@link FrameCodec#deserialize} would for the same bytes
	 */
	ByteBuffer read(ConnectionInputStream in) throws IOException {
		int length = readLengthHeader(in);
		this.buffer.clear();
		int filled = 0;
		while (filled < length) {
			if (filled == this.buffer.capacity()) {
				grow();
			}
			ByteBuffer target = this.buffer;
			// from a channel, the next frame's header too when there is room for it: one
			// system call per frame instead of two while frames stream in
			boolean readAhead = this.channel != null && target.capacity() - HEADER >= length;
			target.limit(readAhead ? length + HEADER : Math.min(length, target.capacity()));
			// the stream serves what it has buffered first by itself
			int count = (this.channel != null) ? in.drainTo(target) : 0;
			if (count == 0) {
				count = readFromSocket(in, target);
				if (count < 0) {
					throw FrameCodec.incompleteFrame(filled, length);
				}
			}
			filled += count;
		}
		for (int i = length; i < filled; i++) {
			this.header.put(this.buffer.get(i));
		}
		ByteBuffer payload = this.view;
		payload.clear().limit(length);
		// a listener may have changed the order of the previous frame's view
		payload.order(ByteOrder.BIG_ENDIAN);
		return payload;
	}

	/**
	 * The header through the channel too, after what was read ahead with the previous
	 * frame and what the stream has buffered: through the stream it would read ahead into
	 * the stream's heap buffer, and the payload that came with it would be copied twice
	 * more.
	 */
	private int readLengthHeader(ConnectionInputStream in) throws IOException {
		ReadableByteChannel source = this.channel;
		if (source == null) {
			return this.codec.readLengthHeader(in);
		}
		ByteBuffer header = this.header;
		while (header.hasRemaining()) {
			if (in.drainTo(header) == 0 && readFromChannel(source, header) < 0) {
				if (header.position() == 0) {
					throw FrameCodec.endBetweenFrames();
				}
				throw FrameCodec.endInsideLengthHeader();
			}
		}
		header.clear();
		return this.codec.checkLength(header.getInt(0) & 0xffffffffL);
	}

	private int readFromSocket(ConnectionInputStream in, ByteBuffer target) throws IOException {
		if (this.channel != null) {
			return readFromChannel(this.channel, target);
		}
		int count = in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
		if (count > 0) {
			target.position(target.position() + count);
		}
		return count;
	}

	private int readFromChannel(ReadableByteChannel source, ByteBuffer target) throws IOException {
		long started = (this.timeoutNanos > 0) ? System.nanoTime() : 0;
		int count = source.read(target);
		if (count < 0 && this.timeoutNanos > 0 && System.nanoTime() - started >= this.timeoutNanos) {
			// junixsocket's channel reports the kernel's receive timeout as the end of
			// the stream, where its stream throws: an idle connection must still be
			// told from one that the peer closed
			throw new SocketTimeoutException(
					"Read timed out after " + TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos) + " ms");
		}
		return count;
	}

	private void grow() {
		ByteBuffer old = this.buffer;
		long most = Math.min(this.codec.getMaxMessageSize() + (long) HEADER, Integer.MAX_VALUE - 8);
		int capacity = (int) Math.min(most, Math.max(INITIAL_CAPACITY, 2L * old.capacity()));
		ByteBuffer grown = (this.channel != null) ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
		grown.put(old.flip());
		this.buffer = grown;
		this.view = grown.asReadOnlyBuffer();
	}

}
