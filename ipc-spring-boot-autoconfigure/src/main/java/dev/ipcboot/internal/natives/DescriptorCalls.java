package dev.ipcboot.internal.natives;

import java.io.IOException;

import com.sun.jna.Library;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The C library's descriptor calls ({@code open}, {@code dup2}, {@code close}); the only
 * place that turns their errno into exceptions.
 */
final class DescriptorCalls {

	private static final int O_RDWR = 2;

	private static final int O_CLOEXEC = 0x80000;

	private DescriptorCalls() {
	}

	static void replaceWithDevNull(int fd) throws IOException {
		int devNull;
		try {
			devNull = C.INSTANCE.open("/dev/null", O_RDWR | O_CLOEXEC);
		}
		catch (LastErrorException ex) {
			throw new IOException("open(/dev/null) failed: " + Errno.reason(ex.getErrorCode()), ex);
		}
		try {
			C.INSTANCE.dup2(devNull, fd);
		}
		catch (LastErrorException ex) {
			throw new IOException("dup2(/dev/null, " + fd + ") failed: " + Errno.reason(ex.getErrorCode()), ex);
		}
		finally {
			C.INSTANCE.close(devNull);
		}
	}

	private interface C extends Library {

		C INSTANCE = Native.load("c", C.class);

		int open(String path, int flags) throws LastErrorException;

		int dup2(int oldFd, int newFd) throws LastErrorException;

		int close(int fd) throws LastErrorException;

	}

}
