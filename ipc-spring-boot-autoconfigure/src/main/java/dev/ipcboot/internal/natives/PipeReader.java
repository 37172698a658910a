package dev.ipcboot.internal.natives;

import java.io.IOException;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import org.jspecify.annotations.Nullable;

/**
 * Reads the parent's end of a child's output pipe into a native buffer allocated once,
 * and copies only the bytes read to the heap. Waits for data with {@code poll(2)} and a
 * timeout, because closing a pipe does not wake a thread blocked reading it.
 */
public final class PipeReader implements AutoCloseable {

	private final int fd;

	private final Memory buffer;

	private final Memory pollFd = new Memory(8);

	/**
	 * Take over a pipe's read end.
	 * @param fd the descriptor, closed by {@link #close()}
	 * @param bufferSize the most bytes one read returns
	 */
	public PipeReader(int fd, int bufferSize) {
		this.fd = fd;
		this.buffer = new Memory(bufferSize);
		this.pollFd.setInt(0, fd);
		this.pollFd.setShort(4, ProcessLibC.POLLIN);
	}

	/**
	 * Read what is available, waiting at most the given time for data.
	 * @param into where to put the bytes, from index 0; at least the buffer size long
	 * @param timeoutMillis how long to wait for data
	 * @return the number of bytes read, {@code 0} at end of stream, {@code -1} when the
	 * time passed without data
	 * @throws IOException if the read fails
	 */
	public int read(byte[] into, int timeoutMillis) throws IOException {
		return read((Object) into, timeoutMillis);
	}

	private int read(@Nullable Object target, int timeoutMillis) throws IOException {
		byte @Nullable [] into = (byte[]) target;
		ProcessLibC c = ProcessLibC.INSTANCE;
		while (true) {
			try {
				this.pollFd.setShort(6, (short) 0);
				if (c.poll(this.pollFd, 1, timeoutMillis) == 0) {
					return -1;
				}
				int read = c.read(this.fd, this.buffer,
						(into != null) ? Math.min(this.buffer.size(), into.length) : this.buffer.size());
				if (read > 0 && into != null) {
					this.buffer.read(0, into, 0, read);
				}
				return read;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != ProcessLibC.EINTR) {
					throw new IOException(c.strerror(ex.getErrorCode()) + " (errno " + ex.getErrorCode() + ")", ex);
				}
			}
		}
	}

	/**
	 * Read what is available into a new array of exactly that size, waiting at most the
	 * given time: one copy from the native buffer, for callers that hand the bytes on.
	 * @param timeoutMillis how long to wait for data
	 * @return the bytes, an empty array at end of stream, {@code null} when the time
	 * passed without data
	 * @throws IOException if the read fails
	 */
	public byte @Nullable [] readChunk(int timeoutMillis) throws IOException {
		int read = read(null, timeoutMillis);
		if (read < 0) {
			return null;
		}
		byte[] chunk = new byte[read];
		this.buffer.read(0, chunk, 0, read);
		return chunk;
	}

	/**
	 * Close the pipe and free the buffer.
	 */
	@Override
	public void close() {
		ChildProcesses.close(this.fd);
		this.buffer.close();
		this.pollFd.close();
	}

}
