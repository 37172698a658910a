package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A buffered input stream for one connection, which only one request reads at a time.
 * Unlike {@link java.io.BufferedInputStream} it takes no lock per call: the terminator
 * framings' deserializers read a frame one byte at a time when it is not buffered whole,
 * and {@link FrameCodec} copies it out of the buffer in one piece when it is.
 */
final class ConnectionInputStream extends InputStream {

	private final InputStream in;

	private final byte[] buffer;

	private int position;

	private int limit;

	ConnectionInputStream(InputStream in, int bufferSize) {
		this.in = in;
		this.buffer = new byte[bufferSize];
	}

	@Override
	public int read() throws IOException {
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		return this.buffer[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (length == 0) {
			return 0;
		}
		int buffered = this.limit - this.position;
		if (buffered == 0) {
			if (length >= this.buffer.length) {
				// a large read bypasses the buffer rather than copying twice
				return this.in.read(bytes, offset, length);
			}
			if (!fill()) {
				return -1;
			}
			buffered = this.limit - this.position;
		}
		int count = Math.min(buffered, length);
		System.arraycopy(this.buffer, this.position, bytes, offset, count);
		this.position += count;
		return count;
	}

	@Override
	public int available() throws IOException {
		return (this.limit - this.position) + this.in.available();
	}

	@Override
	public long skip(long n) throws IOException {
		long buffered = this.limit - this.position;
		if (buffered > 0) {
			long skipped = Math.min(buffered, n);
			this.position += (int) skipped;
			return skipped;
		}
		return this.in.skip(n);
	}

	/**
	 * Where the next byte equal to {@code value} is, reading more into the buffer while
	 * it has room for it, so that a delimited frame can be copied out in one piece.
	 * Nothing is consumed.
	 * @param value the byte to look for
	 * @param within how many bytes to look at, at most: no more is read once that many
	 * are buffered, so a peer that stops sending after an oversized frame cannot make
	 * this wait for a delimiter that would only make the frame too long
	 * @return its offset from the next byte to read, or -1 if it is not within reach, the
	 * buffer fills up or the stream ends before it
	 * @throws IOException if reading fails
	 */
	int indexOf(int value, int within) throws IOException {
		byte target = (byte) value;
		if (this.position == this.limit) {
			this.position = 0;
			this.limit = 0;
		}
		int from = this.position;
		while (true) {
			for (int i = from; i < this.limit; i++) {
				if (this.buffer[i] == target) {
					return i - this.position;
				}
			}
			if (this.limit - this.position >= within) {
				return -1;
			}
			if (this.limit == this.buffer.length) {
				if (this.position == 0) {
					return -1;
				}
				// make room behind the bytes of this frame read so far
				int buffered = this.limit - this.position;
				System.arraycopy(this.buffer, this.position, this.buffer, 0, buffered);
				this.position = 0;
				this.limit = buffered;
			}
			from = this.limit;
			int count = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
			if (count <= 0) {
				return -1;
			}
			this.limit += count;
		}
	}

	/**
	 * A buffered byte, not consumed.
	 * @param offset offset from the next byte to read, within what {@link #indexOf} found
	 * buffered
	 * @return the byte, 0 to 255
	 */
	int peek(int offset) {
		return this.buffer[this.position + offset] & 0xff;
	}

	/**
	 * Consume buffered bytes, returning a copy of the first ones.
	 * @param length how many to copy, within what {@link #indexOf} found buffered
	 * @param skip how many more to consume without copying (a delimiter)
	 * @return the copy
	 */
	byte[] take(int length, int skip) {
		// a fresh array filled by a copy is not zeroed first
		byte[] bytes = Arrays.copyOfRange(this.buffer, this.position, this.position + length);
		this.position += length + skip;
		return bytes;
	}

	/**
	 * Consume buffered bytes into a buffer, without reading from the socket: what a
	 * reader that takes the rest of a frame from the socket's channel must take first.
	 * @param target where they go, up to its remaining space
	 * @return how many were copied
	 */
	int drainTo(ByteBuffer target) {
		int count = Math.min(this.limit - this.position, target.remaining());
		target.put(this.buffer, this.position, count);
		this.position += count;
		return count;
	}

	private boolean fill() throws IOException {
		int count = this.in.read(this.buffer, 0, this.buffer.length);
		if (count <= 0) {
			return false;
		}
		this.position = 0;
		this.limit = count;
		return true;
	}

	@Override
	public void close() throws IOException {
		this.in.close();
	}

}
