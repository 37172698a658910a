package dev.ipcboot.process;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses.WaitStatus;

/**
 * A started child as the launcher made it: with {@code posix_spawn} through JNA
 * ({@link NativeSpawnedProcess}), or with {@link ProcessBuilder} where that cannot work
 * ({@link JdkSpawnedProcess}).
 */
interface SpawnedProcess {

	int pid();

	/**
	 * Whether the child leads a process group of its own, so that {@link #signalGroup}
	 * reaches what it started.
	 */
	boolean leadsGroup();

	/** Open a piped output stream for reading; {@code null} if that stream is no pipe. */
	@Nullable OutputSource openOutput(String stream, int bufferSize);

	/** Whether standard input is a pipe that is still open. */
	boolean hasStdin();

	void writeStdin(byte[] bytes) throws IOException;

	void closeStdin();

	/** Wait until the child has exited and reap it. */
	WaitStatus await();

	/** Reap the child if it has exited, without waiting; {@code null} while it runs. */
	@Nullable WaitStatus tryAwait();

	/**
	 * Signal the child itself; only SIGTERM, SIGKILL and 0 where signals are emulated.
	 * @return {@code false} if it is gone
	 */
	boolean signal(int signal);

	/**
	 * Signal the child's process group.
	 * @return {@code false} if the group has no member left, or the child leads none
	 */
	boolean signalGroup(int signal);

	/**
	 * One piped output stream of a child.
	 */
	interface OutputSource extends AutoCloseable {

		/**
		 * Read what is available, waiting at most the given time.
		 * @return bytes read, {@code 0} at end of stream, {@code -1} if none came in time
		 */
		int read(byte[] into, int timeoutMillis) throws IOException;

		/**
		 * Read what is available into a new array of exactly that size.
		 * @return the bytes, empty at end of stream, {@code null} if none came in time
		 */
		default byte @Nullable [] readChunk(int timeoutMillis) throws IOException {
			byte[] buffer = new byte[OutputPump.BUFFER_SIZE];
			int read = read(buffer, timeoutMillis);
			return (read < 0) ? null : java.util.Arrays.copyOf(buffer, read);
		}

		@Override
		void close();

	}

}
