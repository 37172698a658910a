package dev.ipcboot.dbus;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.base.ReceivingService;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.shared.ExecutorNames;
import org.jspecify.annotations.Nullable;

/**
 * dbus-java's pool for the method calls of one connection, wrapped so that each call a
 * {@link BusReader} admitted gives its place in the {@link CallBudget} back when it has
 * run. dbus-java runs every call to an exported object (and every property access) as a
 * task on a fixed pool with an unbounded queue, and offers no setting for it: this
 * replaces the pool in the connection's {@code ReceivingService} (a private map, reached
 * by reflection) with this wrapper around the same pool, so threads, names and shutdown
 * stay dbus-java's.
 */
final class MethodCallPool extends AbstractExecutorService {

	private static final Log logger = LogFactory.getLog(MethodCallPool.class);

	private static final @Nullable Method RECEIVING_SERVICE = receivingService();

	private static final @Nullable Field EXECUTORS = executors();

	private final ExecutorService delegate;

	private final BusReader reader;

	private MethodCallPool(ExecutorService delegate, BusReader reader) {
		this.delegate = delegate;
		this.reader = reader;
	}

	/**
	 * Wrap the method-call pool of a connection.
	 * @return whether it is wrapped; if not (dbus-java on the module path, or another
	 * dbus-java version), the connection's incoming calls are not bounded
	 */
	@SuppressWarnings("unchecked")
	static boolean install(DBusConnection connection, BusReader reader) {
		if (RECEIVING_SERVICE == null || EXECUTORS == null) {
			return false;
		}
		try {
			ReceivingService service = (ReceivingService) RECEIVING_SERVICE.invoke(connection);
			Map<ExecutorNames, ExecutorService> executors = (Map<ExecutorNames, ExecutorService>) EXECUTORS
				.get(service);
			ExecutorService pool = executors.get(ExecutorNames.METHODCALL);
			if (pool == null) {
				return unbounded("dbus-java has no method-call pool", null);
			}
			executors.put(ExecutorNames.METHODCALL, new MethodCallPool(pool, reader));
			return true;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return unbounded("could not reach dbus-java's method-call pool", ex);
		}
	}

	@Override
	public void execute(Runnable task) {
		int size = this.reader.claimAdmitted();
		if (size < 0) {
			// not a call the reader admitted: one read before the pool was wrapped
			this.delegate.execute(task);
			return;
		}
		CallBudget budget = this.reader.budget();
		try {
			this.delegate.execute(() -> {
				try {
					task.run();
				}
				finally {
					budget.release(size);
				}
			});
		}
		catch (RuntimeException ex) {
			budget.release(size);
			throw ex;
		}
	}

	@Override
	public void shutdown() {
		this.delegate.shutdown();
	}

	@Override
	public List<Runnable> shutdownNow() {
		return this.delegate.shutdownNow();
	}

	@Override
	public boolean isShutdown() {
		return this.delegate.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.delegate.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.delegate.awaitTermination(timeout, unit);
	}

	private static boolean unbounded(String why, @Nullable Exception ex) {
		logger.warn("Incoming D-Bus method calls are not bounded (" + why + "; dbus-java "
				+ AbstractConnectionBase.class.getPackage().getImplementationVersion()
				+ "): a peer that calls faster than the exported objects answer can fill the heap", ex);
		return false;
	}

	private static @Nullable Method receivingService() {
		try {
			Method method = AbstractConnectionBase.class.getDeclaredMethod("getReceivingService");
			method.setAccessible(true);
			return method;
		}
		catch (NoSuchMethodException | RuntimeException ex) {
			unbounded("dbus-java's getReceivingService is out of reach", ex);
			return null;
		}
	}

	private static @Nullable Field executors() {
		try {
			Field field = ReceivingService.class.getDeclaredField("executors");
			field.setAccessible(true);
			return field;
		}
		catch (NoSuchFieldException | RuntimeException ex) {
			unbounded("dbus-java's ReceivingService.executors is out of reach", ex);
			return null;
		}
	}

}
