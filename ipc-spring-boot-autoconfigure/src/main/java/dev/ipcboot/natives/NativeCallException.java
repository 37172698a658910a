package dev.ipcboot.natives;

/**
 * Thrown when a system call on a shared memory segment or a semaphore fails. The message
 * names the call, the key it was made for and the error ({@code shm_open(/frames): File
 * exists (errno 17)}); {@link #errno()} lets callers react to particular errors.
 */
public class NativeCallException extends RuntimeException {

	/** No such file or directory. */
	public static final int ENOENT = 2;

	/** Interrupted system call. */
	public static final int EINTR = 4;

	/** Resource temporarily unavailable. */
	public static final int EAGAIN = 11;

	/** Permission denied. */
	public static final int EACCES = 13;

	/** File exists. */
	public static final int EEXIST = 17;

	/** Invalid argument. */
	public static final int EINVAL = 22;

	/** No space left on device. */
	public static final int ENOSPC = 28;

	/** Identifier removed. */
	public static final int EIDRM = 43;

	/** File name too long. */
	public static final int ENAMETOOLONG = 36;

	/** Connection timed out (the timeout of a timed wait expired). */
	public static final int ETIMEDOUT = 110;

	private final int errno;

	private final String call;

	private final String key;

	NativeCallException(String call, String key, int errno) {
		super(call + "(" + key + "): " + describe(errno) + " (errno " + errno + ")");
		this.call = call;
		this.key = key;
		this.errno = errno;
	}

	/**
	 * The error number the call returned.
	 * @return errno
	 */
	public int errno() {
		return this.errno;
	}

	/**
	 * The system call that failed, for example {@code shm_open}.
	 * @return the call name
	 */
	public String call() {
		return this.call;
	}

	/**
	 * The key (or native name) the call was made for.
	 * @return the key
	 */
	public String key() {
		return this.key;
	}

	static String describe(int errno) {
		return switch (errno) {
			case 1 -> "Operation not permitted";
			case ENOENT -> "No such file or directory";
			case EINTR -> "Interrupted system call";
			case 9 -> "Bad file descriptor";
			case EAGAIN -> "Resource temporarily unavailable";
			case 12 -> "Cannot allocate memory";
			case EACCES -> "Permission denied";
			case EEXIST -> "File exists";
			case EINVAL -> "Invalid argument";
			case 24 -> "Too many open files";
			case 27 -> "File too large";
			case ENOSPC -> "No space left on device";
			case 34 -> "Numerical result out of range";
			case ENAMETOOLONG -> "File name too long";
			case EIDRM -> "Identifier removed";
			case ETIMEDOUT -> "Timed out";
			default -> "system error";
		};
	}

}
