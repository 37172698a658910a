package dev.ipcboot.process;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses;
import dev.ipcboot.internal.natives.ChildProcesses.SpawnedChild;
import dev.ipcboot.internal.natives.ChildProcesses.WaitStatus;
import dev.ipcboot.internal.natives.PipeReader;

/**
 * A child spawned with {@code posix_spawn}: it leads its own process group, and its exit
 * status comes exactly from {@code waitpid}.
 */
final class NativeSpawnedProcess implements SpawnedProcess {

	private final SpawnedChild child;

	private int stdin;

	NativeSpawnedProcess(SpawnedChild child) {
		this.child = child;
		this.stdin = child.stdin();
	}

	@Override
	public int pid() {
		return this.child.pid();
	}

	@Override
	public boolean leadsGroup() {
		return true;
	}

	@Override
	public @Nullable OutputSource openOutput(String stream, int bufferSize) {
		int fd = "stderr".equals(stream) ? this.child.stderr() : this.child.stdout();
		if (fd < 0) {
			return null;
		}
		PipeReader reader = new PipeReader(fd, bufferSize);
		return new OutputSource() {

			@Override
			public int read(byte[] into, int timeoutMillis) throws IOException {
				return reader.read(into, timeoutMillis);
			}

			@Override
			public byte @Nullable [] readChunk(int timeoutMillis) throws IOException {
				return reader.readChunk(timeoutMillis);
			}

			@Override
			public void close() {
				reader.close();
			}

		};
	}

	@Override
	public synchronized boolean hasStdin() {
		return this.stdin >= 0;
	}

	@Override
	public synchronized void writeStdin(byte[] bytes) throws IOException {
		ChildProcesses.write(this.stdin, bytes);
	}

	@Override
	public synchronized void closeStdin() {
		ChildProcesses.close(this.stdin);
		this.stdin = -1;
	}

	@Override
	public WaitStatus await() {
		return ChildProcesses.await(pid());
	}

	@Override
	public @Nullable WaitStatus tryAwait() {
		return ChildProcesses.tryAwait(pid());
	}

	@Override
	public boolean signal(int signal) {
		return ChildProcesses.signal(pid(), signal);
	}

	@Override
	public boolean signalGroup(int signal) {
		return ChildProcesses.signal(-pid(), signal);
	}

	/** Close every pipe end the application holds, for a child that is discarded. */
	void closePipes() {
		closeStdin();
		ChildProcesses.close(this.child.stdout());
		ChildProcesses.close(this.child.stderr());
	}

}
