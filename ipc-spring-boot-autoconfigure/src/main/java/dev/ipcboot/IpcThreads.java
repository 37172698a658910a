package dev.ipcboot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

/**
 * How the facilities start the threads of theirs that block (process output pumps and
 * reapers, D-Bus signal callbacks and reply completions): platform daemon threads, or,
 * with {@code spring.threads.virtual.enabled=true} on Java 21 or later, virtual threads.
 * Names are the same either way ({@code ipc-process-worker-stdout-1}). On Java 17
 * {@link #of(boolean) of(true)} gives platform threads, as Boot's own executors do.
 */
public final class IpcThreads {

	/** Platform daemon threads. */
	public static final IpcThreads PLATFORM = new IpcThreads(false);

	private static final @Nullable MethodHandle OF_VIRTUAL;

	private static final @Nullable MethodHandle NAME;

	private static final @Nullable MethodHandle UNSTARTED;

	static {
		MethodHandle ofVirtual = null;
		MethodHandle name = null;
		MethodHandle unstarted = null;
		try {
			// Thread.ofVirtual().name(name).unstarted(task), without compiling against 21
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			Class<?> virtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(virtualBuilder));
			name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
			unstarted = lookup.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
		}
		catch (ReflectiveOperationException ex) {
			// Java 17: no virtual threads
		}
		OF_VIRTUAL = ofVirtual;
		NAME = name;
		UNSTARTED = unstarted;
	}

	private final boolean virtual;

	private IpcThreads(boolean virtual) {
		this.virtual = virtual;
	}

	/**
	 * The threads to use.
	 * @param virtual whether virtual threads are wanted
	 * ({@code spring.threads.virtual.enabled})
	 * @return virtual threads if wanted and the JDK has them, else {@link #PLATFORM}
	 */
	public static IpcThreads of(boolean virtual) {
		return (virtual && OF_VIRTUAL != null) ? new IpcThreads(true) : PLATFORM;
	}

	/**
	 * Whether this JDK has virtual threads (Java 21 or later).
	 * @return whether it has
	 */
	public static boolean virtualThreadsAvailable() {
		return OF_VIRTUAL != null;
	}

	/**
	 * Whether the threads are virtual.
	 * @return whether they are
	 */
	public boolean isVirtual() {
		return this.virtual;
	}

	/**
	 * A new, unstarted thread: a daemon platform thread, or a virtual thread (always a
	 * daemon).
	 * @param name the thread's name
	 * @param task what it runs
	 * @return the thread
	 */
	public Thread newThread(String name, Runnable task) {
		if (this.virtual) {
			try {
				return (Thread) UNSTARTED.invoke(NAME.invoke(OF_VIRTUAL.invoke(), name), task);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("Cannot create virtual thread " + name, ex);
			}
		}
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public String toString() {
		return this.virtual ? "virtual threads" : "platform threads";
	}

}
