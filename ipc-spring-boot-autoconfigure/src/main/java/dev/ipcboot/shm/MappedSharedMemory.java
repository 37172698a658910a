package dev.ipcboot.shm;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.shm.SharedMemorySettings.Access;

/**
 * A segment of any backend mapped into this process. Threads of this process are excluded
 * from each other by an in-process semaphore before the cross-process lock is taken, so
 * the backend lock only ever sees one holder per process.
 */
final class MappedSharedMemory implements SharedMemory, IpcResource {

	private final String name;

	private final SharedMemorySettings settings;

	private final Segment segment;

	private final @Nullable ByteBuffer view;

	private final Semaphore threads = new Semaphore(1);

	private final Consumer<MappedSharedMemory> onClose;

	private volatile boolean locked;

	private volatile boolean attached = true;

	private final IpcMetrics metrics;

	MappedSharedMemory(String name, SharedMemorySettings settings, Segment segment,
			Consumer<MappedSharedMemory> onClose, IpcMetrics metrics) {
		this.name = name;
		this.metrics = metrics;
		this.settings = settings;
		this.segment = segment;
		this.onClose = onClose;
		this.view = (segment.size() <= Integer.MAX_VALUE)
				? IpcNatives.buffer(segment.address(), (int) segment.size(), settings.access() == Access.READ_ONLY)
				: null;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String kind() {
		return "shared memory";
	}

	/**
	 * UP while attached, with the key, native key, size and backend.
	 * @return the state
	 */
	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("key", key());
		details.put("nativeKey", nativeKey());
		details.put("size", size());
		details.put("backend", this.settings.backend().name().toLowerCase(Locale.ROOT).replace('_', '-'));
		details.put("access", this.settings.access().name().toLowerCase(Locale.ROOT).replace('_', '-'));
		return this.attached ? IpcResourceState.up(details) : IpcResourceState.down("detached", details);
	}

	boolean created() {
		return this.segment.created();
	}

	@Override
	public String key() {
		return this.settings.key();
	}

	@Override
	public String nativeKey() {
		return this.segment.nativeKey();
	}

	@Override
	public long size() {
		return this.segment.size();
	}

	@Override
	public boolean isAttached() {
		return this.attached;
	}

	@Override
	public void lock() {
		checkAttached();
		long start = System.nanoTime();
		this.threads.acquireUninterruptibly();
		try {
			this.segment.lock();
		}
		catch (RuntimeException ex) {
			this.threads.release();
			throw new SharedMemoryException(key(), "Could not lock shared memory '" + key() + "': " + ex.getMessage(),
					ex);
		}
		finally {
			this.metrics.lockWait(this.name, "shared memory", System.nanoTime() - start);
		}
		this.locked = true;
	}

	@Override
	public void unlock() {
		if (!this.locked) {
			throw new IllegalStateException("Shared memory '" + key() + "' is not locked; call lock() first");
		}
		this.locked = false;
		try {
			this.segment.unlock();
		}
		finally {
			this.threads.release();
		}
	}

	@Override
	public byte[] read(long offset, int length) {
		checkBounds(offset, length);
		byte[] bytes = new byte[length];
		ByteBuffer buffer = this.view;
		if (buffer != null) {
			buffer.get((int) offset, bytes);
		}
		else {
			IpcNatives.copyOut(this.segment.address(), offset, bytes);
		}
		return bytes;
	}

	@Override
	public void write(long offset, byte[] bytes) {
		Objects.requireNonNull(bytes, "bytes");
		if (this.settings.access() == Access.READ_ONLY) {
			throw new SharedMemoryException(key(),
					"Shared memory '" + key() + "' is attached read-only; configure access: read-write to write to it");
		}
		checkBounds(offset, bytes.length);
		ByteBuffer buffer = this.view;
		if (buffer != null) {
			buffer.put((int) offset, bytes);
		}
		else {
			IpcNatives.copyIn(this.segment.address(), offset, bytes);
		}
	}

	@Override
	public ByteBuffer buffer() {
		checkAttached();
		ByteBuffer buffer = this.view;
		if (buffer == null) {
			throw new SharedMemoryException(key(), "Shared memory '" + key() + "' is " + size()
					+ " bytes, more than a ByteBuffer can address; use read and write");
		}
		return buffer.duplicate();
	}

	private void checkBounds(long offset, int length) {
		checkAttached();
		if (offset < 0 || length < 0 || offset > size() - length) {
			throw new IndexOutOfBoundsException("Range [" + offset + ", " + offset + " + " + length
					+ ") is outside shared memory '" + key() + "' of " + size() + " bytes");
		}
	}

	private void checkAttached() {
		if (!this.attached) {
			throw new SharedMemoryException(key(), "Shared memory '" + key() + "' is closed");
		}
	}

	@Override
	public void close() {
		synchronized (this) {
			if (!this.attached) {
				return;
			}
			this.attached = false;
		}
		try {
			// a System V lock held at close would otherwise stay taken until this process
			// exits
			if (this.locked) {
				this.locked = false;
				this.segment.unlock();
				this.threads.release();
			}
		}
		finally {
			try {
				this.segment.close(this.settings.persist());
			}
			finally {
				this.onClose.accept(this);
			}
		}
	}

	@Override
	public String toString() {
		return "SharedMemory[" + this.name + ", key=" + key() + ", " + size() + " bytes, " + nativeKey() + "]";
	}

}
