package dev.ipcboot.shm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.shm.internal.SharedMemoryAccess;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.INVALID_ARGUMENT;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.NOT_FOUND;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.NO_SPACE;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.PERMISSION_DENIED;

/**
 * Opens shared memory segments: the configured ones and any opened at run time. Publishes
 * {@link SharedMemoryCreatedEvent}, {@link SharedMemoryAttachedEvent} and
 * {@link SharedMemoryDetachedEvent}; closing the factory closes every segment it opened
 * that is still open.
 */
public class SharedMemoryFactory implements AutoCloseable {

	static {
		SharedMemoryAccess.register(new SharedMemoryAccess() {

			@Override
			protected SharedMemoryFactory createFactory(ApplicationEventPublisher publisher, IpcMetrics metrics) {
				return new SharedMemoryFactory(publisher, metrics);
			}

			@Override
			protected List<IpcResource> resourcesOf(SharedMemoryFactory factory) {
				return factory.resources();
			}

		});
	}

	/** Calls whose EINVAL means the size does not fit (the system's limits). */
	private static final Set<String> SIZED_CALLS = Set.of("shmget", "ftruncate", "posix_fallocate", "mmap");

	private final ApplicationEventPublisher publisher;

	private final Set<MappedSharedMemory> open = ConcurrentHashMap.newKeySet();

	private final IpcMetrics metrics;

	/**
	 * Create a factory whose segments record no metrics.
	 * @param publisher where segment events go
	 */
	public SharedMemoryFactory(ApplicationEventPublisher publisher) {
		this(publisher, IpcMetrics.NONE);
	}

	/**
	 * Create a factory.
	 * @param publisher where segment events go
	 * @param metrics where its segments record how long callers wait for the lock
	 */
	SharedMemoryFactory(ApplicationEventPublisher publisher, IpcMetrics metrics) {
		this.publisher = publisher;
		this.metrics = metrics;
	}

	/**
	 * The segments this factory opened that are still attached, for health and the
	 * {@code ipc} endpoint.
	 * @return a snapshot
	 */
	List<IpcResource> resources() {
		return List.copyOf(this.open);
	}

	/**
	 * Open a segment named after its key.
	 * @param settings how to open it
	 * @return the mapped segment; close it when done
	 * @throws SharedMemoryException naming the key and the fix if it cannot be opened
	 */
	public SharedMemory open(SharedMemorySettings settings) {
		return open(settings.key(), settings);
	}

	/**
	 * Open a segment.
	 * @param name the name its events carry (the configuration name for configured ones)
	 * @param settings how to open it
	 * @return the mapped segment; close it when done
	 * @throws SharedMemoryException naming the key and the fix if it cannot be opened
	 */
	public SharedMemory open(String name, SharedMemorySettings settings) {
		Segment segment = openSegment(settings);
		MappedSharedMemory memory = new MappedSharedMemory(name, settings, segment, this::closed, this.metrics);
		this.open.add(memory);
		this.publisher.publishEvent(memory.created() ? new SharedMemoryCreatedEvent(memory, name)
				: new SharedMemoryAttachedEvent(memory, name));
		return memory;
	}

	private Segment openSegment(SharedMemorySettings settings) {
		String key = settings.key();
		if (!IpcNatives.isSupported()) {
			throw new SharedMemoryException(key, "Shared memory '" + key + "' needs 64-bit Linux; this is "
					+ System.getProperty("os.name") + " " + System.getProperty("os.arch"));
		}
		// what crashed instances left goes before anything of the same name is opened
		Leftovers.reclaim();
		try {
			return switch (settings.backend()) {
				case POSIX -> PosixSegment.open(settings);
				case QT_POSIX -> QtPosixSegment.open(settings);
				case SYSTEM_V, QT -> SystemVSegment.open(settings);
			};
		}
		catch (NativeCallException ex) {
			if (ex.is(NOT_FOUND) && settings.mode() == Mode.ATTACH) {
				throw new SharedMemoryException(key, "Shared memory '" + key + "' does not exist (" + ex.getMessage()
						+ "); start the process that creates it first, or use mode create-or-attach", ex);
			}
			if (ex.is(PERMISSION_DENIED)) {
				throw new SharedMemoryException(key, "Shared memory '" + key + "' exists but its permissions do not "
						+ "let this user open it (" + ex.getMessage() + "); run as its owner or widen its permissions",
						ex);
			}
			if (ex.is(INVALID_ARGUMENT) && ex.call().equals("shm_open")) {
				throw new SharedMemoryException(key, "Shared memory '" + key + "' has a name the system refuses ("
						+ ex.getMessage() + "); use a plain name such as 'frames'", ex);
			}
			if (ex.is(NO_SPACE) || (ex.is(INVALID_ARGUMENT) && SIZED_CALLS.contains(ex.call()))) {
				throw new SharedMemoryException(key, "Shared memory '" + key + "' of " + settings.size()
						+ " bytes could not be created (" + ex.getMessage() + "); choose a smaller size", ex);
			}
			throw new SharedMemoryException(key, "Could not open shared memory '" + key + "': " + ex.getMessage(), ex);
		}
	}

	private void closed(MappedSharedMemory memory) {
		this.open.remove(memory);
		this.publisher.publishEvent(new SharedMemoryDetachedEvent(memory, memory.name()));
	}

	/**
	 * Close every segment this factory opened that is still open.
	 */
	@Override
	public void close() {
		List<RuntimeException> failures = new ArrayList<>();
		for (MappedSharedMemory memory : List.copyOf(this.open)) {
			try {
				memory.close();
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}
		if (!failures.isEmpty()) {
			RuntimeException first = failures.get(0);
			failures.subList(1, failures.size()).forEach(first::addSuppressed);
			throw first;
		}
	}

}
