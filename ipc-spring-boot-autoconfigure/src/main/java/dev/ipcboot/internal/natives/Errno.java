package dev.ipcboot.internal.natives;

/**
 * The error numbers of 64-bit Linux that the native classes react to, and how each reads
 * to a person. Package-private: outside this package a failure is a
 * {@link NativeCallException.Condition}.
 */
final class Errno {

	static final int EPERM = 1;

	static final int ENOENT = 2;

	static final int ESRCH = 3;

	static final int EINTR = 4;

	static final int EBADF = 9;

	static final int ECHILD = 10;

	static final int EAGAIN = 11;

	static final int ENOMEM = 12;

	static final int EACCES = 13;

	static final int EEXIST = 17;

	static final int EINVAL = 22;

	static final int EMFILE = 24;

	static final int EFBIG = 27;

	static final int ENOSPC = 28;

	static final int ERANGE = 34;

	static final int ENAMETOOLONG = 36;

	static final int ENOSYS = 38;

	static final int EIDRM = 43;

	static final int ETIMEDOUT = 110;

	private Errno() {
	}

	/**
	 * The reason as messages give it: {@code No such file or directory (errno 2)}.
	 */
	static String reason(int errno) {
		return describe(errno) + " (errno " + errno + ")";
	}

	static String describe(int errno) {
		return switch (errno) {
			case EPERM -> "Operation not permitted";
			case ENOENT -> "No such file or directory";
			case ESRCH -> "No such process";
			case EINTR -> "Interrupted system call";
			case EBADF -> "Bad file descriptor";
			case ECHILD -> "No child processes";
			case EAGAIN -> "Resource temporarily unavailable";
			case ENOMEM -> "Cannot allocate memory";
			case EACCES -> "Permission denied";
			case EEXIST -> "File exists";
			case EINVAL -> "Invalid argument";
			case EMFILE -> "Too many open files";
			case EFBIG -> "File too large";
			case ENOSPC -> "No space left on device";
			case ERANGE -> "Numerical result out of range";
			case ENAMETOOLONG -> "File name too long";
			case ENOSYS -> "Function not implemented";
			case EIDRM -> "Identifier removed";
			case ETIMEDOUT -> "Timed out";
			default -> "system error";
		};
	}

}
