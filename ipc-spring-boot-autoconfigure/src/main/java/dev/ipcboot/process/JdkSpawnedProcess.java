package dev.ipcboot.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses.WaitStatus;

/**
 * A child started with {@link ProcessBuilder}, where the native launcher cannot work. It
 * shares the application's process group, so group signals go to the descendants found at
 * that moment; the JDK reports a death by signal N as exit code 128+N, which is taken for
 * that signal only when the starter sent it.
 */
final class JdkSpawnedProcess implements SpawnedProcess {

	private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final Process process;

	private final boolean stdoutPiped;

	private final boolean stderrPiped;

	private @Nullable OutputStream stdin;

	private volatile int signalSent;

	JdkSpawnedProcess(Process process, boolean stdinPiped, boolean stdoutPiped, boolean stderrPiped) {
		this.process = process;
		this.stdin = stdinPiped ? process.getOutputStream() : null;
		this.stdoutPiped = stdoutPiped;
		this.stderrPiped = stderrPiped;
	}

	@Override
	public int pid() {
		return (int) this.process.pid();
	}

	@Override
	public boolean leadsGroup() {
		return false;
	}

	@Override
	public @Nullable OutputSource openOutput(String stream, int bufferSize) {
		boolean stderr = "stderr".equals(stream);
		if (stderr ? !this.stderrPiped : !this.stdoutPiped) {
			return null;
		}
		InputStream input = stderr ? this.process.getErrorStream() : this.process.getInputStream();
		return new OutputSource() {

			@Override
			public int read(byte[] into, int timeoutMillis) throws IOException {
				try {
					return readAvailable(input, into, timeoutMillis);
				}
				catch (IOException ex) {
					// the JDK closes the streams itself when the process has exited or
					// is destroyed
					if (JdkSpawnedProcess.this.signalSent != 0 || !JdkSpawnedProcess.this.process.isAlive()) {
						return 0;
					}
					throw ex;
				}
			}

			@Override
			public void close() {
				try {
					input.close();
				}
				catch (IOException ex) {
					// a pipe end that fails to close is released by the JDK's cleaner
				}
			}

		};
	}

	// A blocked InputStream.read cannot be given a timeout: wait for available bytes
	// while the process lives, read to the end once it has exited.
	private int readAvailable(InputStream input, byte[] into, int timeoutMillis) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (true) {
			int available = input.available();
			if (available > 0 || !this.process.isAlive()) {
				int read = input.read(into, 0, (available > 0) ? Math.min(available, into.length) : into.length);
				return Math.max(read, 0);
			}
			if (System.nanoTime() - deadline >= 0) {
				return -1;
			}
			LockSupport.parkNanos(IDLE_NANOS);
		}
	}

	@Override
	public synchronized boolean hasStdin() {
		return this.stdin != null;
	}

	@Override
	public synchronized void writeStdin(byte[] bytes) throws IOException {
		OutputStream out = this.stdin;
		if (out == null) {
			throw new IOException("Bad file descriptor (standard input is closed)");
		}
		try {
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			// the JDK closes the pipe itself once the process has exited: say what native
			// says
			throw this.process.isAlive() ? ex : new IOException("Broken pipe (the process has exited)", ex);
		}
	}

	@Override
	public synchronized void closeStdin() {
		OutputStream out = this.stdin;
		this.stdin = null;
		if (out != null) {
			try {
				out.close();
			}
			catch (IOException ex) {
				// EPIPE on the final flush: the child stopped reading, which closing
				// accepts
			}
		}
	}

	@Override
	public WaitStatus await() {
		while (true) {
			try {
				return status(this.process.waitFor());
			}
			catch (InterruptedException ex) {
				// the reaper must reap; the interrupt is not ours to honour here
			}
		}
	}

	@Override
	public @Nullable WaitStatus tryAwait() {
		return this.process.isAlive() ? null : status(this.process.exitValue());
	}

	private WaitStatus status(int code) {
		int signal = this.signalSent;
		return (signal != 0 && code == 128 + signal) ? new WaitStatus(-1, signal, false)
				: new WaitStatus(code, 0, false);
	}

	@Override
	public boolean signal(int signal) {
		if (!this.process.isAlive()) {
			return false;
		}
		if (signal == ChildProcess.SIGKILL) {
			this.signalSent = signal;
			this.process.destroyForcibly();
		}
		else if (signal == ChildProcess.SIGTERM) {
			this.signalSent = signal;
			this.process.destroy();
		}
		else if (signal != 0) {
			throw new UnsupportedOperationException("Signal " + signal + " needs the native launcher (Linux and JNA)");
		}
		return true;
	}

	@Override
	public boolean signalGroup(int signal) {
		return false;
	}

}
