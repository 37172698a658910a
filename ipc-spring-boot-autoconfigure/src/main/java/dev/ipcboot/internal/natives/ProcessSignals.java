package dev.ipcboot.internal.natives;

import java.util.function.BooleanSupplier;

import com.sun.jna.LastErrorException;

/**
 * Signals that never reach a stranger: a process is signalled through a pidfd opened
 * before its identity is checked, so a pid recycled meanwhile is never hit.
 */
public final class ProcessSignals {

	private static final int PIDFD_GONE = -1;

	private static final int PIDFD_UNSUPPORTED = -2;

	private static volatile boolean pidfdMissing;

	private ProcessSignals() {
	}

	/**
	 * Send a signal to a process only if it is still the one a caller found: a pidfd
	 * ({@code pidfd_open(2)}, Linux 5.3) is opened on whatever has the pid now, then the
	 * caller's check runs; if it passes, the process the pidfd refers to is the one
	 * checked (a pid recycled before the open fails the check; one recycled after it
	 * cannot be reached through the pidfd), and {@code pidfd_send_signal(2)} signals
	 * exactly that process. Where the kernel has no pidfd, the check and {@code kill}
	 * follow each other, which leaves the small window that pidfd closes.
	 * @param pid the process
	 * @param signal the signal number
	 * @param stillOurs the identity check (start time), run after the pidfd is open
	 * @return {@code true} if the signal was sent, {@code false} if the process is gone
	 * or the check failed
	 * @throws IllegalStateException if the signal is not permitted
	 */
	public static boolean signalIfSame(int pid, int signal, BooleanSupplier stillOurs) {
		int fd = pidfdOpen(pid);
		if (fd == PIDFD_GONE) {
			return false;
		}
		try {
			if (!stillOurs.getAsBoolean()) {
				return false;
			}
			if (fd == PIDFD_UNSUPPORTED) {
				return ChildProcesses.signal(pid, signal);
			}
			try {
				ProcessLibC.INSTANCE.syscall(ProcessLibC.SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0);
				return true;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() == ProcessLibC.ESRCH) {
					return false;
				}
				throw new IllegalStateException(
						"pidfd_send_signal(" + pid + ", " + signal + ") failed: " + Errno.reason(ex.getErrorCode()),
						ex);
			}
		}
		finally {
			if (fd >= 0) {
				ChildProcesses.close(fd);
			}
		}
	}

	private static int pidfdOpen(int pid) {
		if (pidfdMissing) {
			return PIDFD_UNSUPPORTED;
		}
		try {
			return (int) ProcessLibC.INSTANCE.syscall(ProcessLibC.SYS_PIDFD_OPEN, pid, 0, 0, 0);
		}
		catch (LastErrorException ex) {
			if (ex.getErrorCode() == ProcessLibC.ESRCH) {
				return PIDFD_GONE;
			}
			if (ex.getErrorCode() == ProcessLibC.ENOSYS) {
				pidfdMissing = true;
			}
			return PIDFD_UNSUPPORTED;
		}
	}

	/**
	 * Whether the kernel has pidfds ({@code pidfd_open(2)}, Linux 5.3).
	 * @return {@code false} on older kernels, known after the first attempt
	 */
	public static boolean hasPidfd() {
		int fd = pidfdOpen((int) ProcessHandle.current().pid());
		if (fd >= 0) {
			ChildProcesses.close(fd);
		}
		return !pidfdMissing;
	}

}
