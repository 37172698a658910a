package dev.ipcboot.internal.natives;

import java.util.Arrays;

/**
 * Thrown when a system call fails. The message names the call, the key it was made for
 * and the operating system's reason ({@code shm_open(/frames): File exists (errno 17)});
 * {@link #condition()} tells callers which failure it was, so that no code outside this
 * package reads error numbers (ADR 0015).
 */
public class NativeCallException extends RuntimeException {

	private final Condition condition;

	private final String call;

	private final String key;

	NativeCallException(String call, String key, int errno) {
		super(call + "(" + key + "): " + Errno.reason(errno));
		this.call = call;
		this.key = key;
		this.condition = Condition.of(errno);
	}

	/**
	 * Which failure this was.
	 * @return the condition, {@link Condition#OTHER} for one no caller tells apart
	 */
	public Condition condition() {
		return this.condition;
	}

	/**
	 * Whether this failure is one of the given conditions.
	 * @param conditions the conditions a caller reacts to
	 * @return whether {@link #condition()} is among them
	 */
	public boolean is(Condition... conditions) {
		return Arrays.asList(conditions).contains(this.condition);
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

	/**
	 * The failures callers outside the native package tell apart, each the one error
	 * number of Linux it stands for (so converting a caller changes no behaviour).
	 */
	public enum Condition {

		/** No such file, segment, semaphore or key ({@code ENOENT}). */
		NOT_FOUND(Errno.ENOENT),

		/** It exists already and was to be created exclusively ({@code EEXIST}). */
		EXISTS(Errno.EEXIST),

		/** Its permissions refuse this user ({@code EACCES}). */
		PERMISSION_DENIED(Errno.EACCES),

		/** This process may not do that at all ({@code EPERM}). */
		NOT_PERMITTED(Errno.EPERM),

		/**
		 * An argument the call refuses, such as a size or a name ({@code EINVAL}); on a
		 * System V id, also an id that no longer exists.
		 */
		INVALID_ARGUMENT(Errno.EINVAL),

		/** The System V object was removed, also while waiting for it ({@code EIDRM}). */
		REMOVED(Errno.EIDRM),

		/** No space left for it, as on a full {@code /dev/shm} ({@code ENOSPC}). */
		NO_SPACE(Errno.ENOSPC),

		/** Not enough memory ({@code ENOMEM}). */
		OUT_OF_MEMORY(Errno.ENOMEM),

		/** A value would leave its range, as a semaphore above 32767 ({@code ERANGE}). */
		OUT_OF_RANGE(Errno.ERANGE),

		/** The name is longer than the system allows ({@code ENAMETOOLONG}). */
		NAME_TOO_LONG(Errno.ENAMETOOLONG),

		/** A signal interrupted the call ({@code EINTR}). */
		INTERRUPTED(Errno.EINTR),

		/** It would have to wait, and was asked not to ({@code EAGAIN}). */
		WOULD_BLOCK(Errno.EAGAIN),

		/** A timed wait ran out ({@code ETIMEDOUT}). */
		TIMED_OUT(Errno.ETIMEDOUT),

		/** The process does not exist (any more) ({@code ESRCH}). */
		NO_SUCH_PROCESS(Errno.ESRCH),

		/** Any other failure; the message has the operating system's reason. */
		OTHER(0);

		private final int errno;

		Condition(int errno) {
			this.errno = errno;
		}

		/**
		 * How the operating system words this condition, with its number, as it appears
		 * in messages: {@code No such file or directory (errno 2)}.
		 * @return the reason, for messages that stand in for a failed call
		 */
		public String reason() {
			// OTHER stands for many numbers: the exception's message has the real one
			return (this != OTHER) ? Errno.reason(this.errno) : "another system error";
		}

		static Condition of(int errno) {
			for (Condition condition : values()) {
				if (condition.errno == errno && condition != OTHER) {
					return condition;
				}
			}
			return OTHER;
		}

	}

}
