package dev.ipcboot.socket;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A buffered input stream for one connection, which only one request reads at a time.
 * Unlike {@link java.io.BufferedInputStream} it takes no lock per call: the terminator
 * framings' deserializers read a reply one byte at a time.
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
