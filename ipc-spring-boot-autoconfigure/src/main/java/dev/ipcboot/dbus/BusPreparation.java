package dev.ipcboot.dbus;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.jspecify.annotations.Nullable;

/**
 * The first connection of a {@link BusConnection}, built ahead of time on a thread of its
 * own: resolving the address (starting the private daemon for {@code private}) and
 * opening the dbus-java connection take 150-200 ms on a cold JVM, mostly loading and
 * initialising dbus-java and junixsocket, and on a context's start-up that time can
 * overlap the creation of the other beans instead of adding to it. The connection's first
 * connect claims the address and the opened connection, waiting for them if still in
 * progress; a failure is thrown there, as if it had happened there. Whatever nobody
 * claimed is closed by {@link #discard()}. It does no locking of its own (the thread
 * never takes the connection's lock, so waiting for it with the lock held cannot
 * deadlock); its owner calls it with the connection's lock held.
 */
final class BusPreparation {

	// the connection's category, so that logging configured for it still applies
	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final FutureTask<Prepared> task;

	private boolean addressClaimed;

	private boolean connectionClaimed;

	/**
	 * Start preparing.
	 * @param settings what to connect to
	 * @param threadName name of the thread that prepares, which ends when done
	 */
	BusPreparation(DBusSettings settings, String threadName) {
		this.task = new FutureTask<>(() -> prepare(settings));
		Thread thread = new Thread(this.task, threadName);
		thread.setDaemon(true);
		thread.start();
	}

	private static Prepared prepare(DBusSettings settings) {
		PrivateBusDaemon[] started = new PrivateBusDaemon[1];
		String address = null;
		try {
			address = BusAddresses.resolve(settings, () -> {
				started[0] = PrivateBusDaemon.start();
				return started[0].address();
			});
			return new Prepared(address, started[0], Connections.open(address, settings, false), null);
		}
		catch (RuntimeException ex) {
			return new Prepared(address, started[0], null, ex);
		}
		catch (Error ex) {
			// nobody can claim what was started (a class of dbus-java or junixsocket that
			// fails to initialise on a cold JVM): close it before the error ends the
			// thread
			if (started[0] != null) {
				started[0].close();
			}
			throw ex;
		}
	}

	/**
	 * The resolved address and the daemon started for it, waiting for them if needed;
	 * once only, after which the caller owns the daemon.
	 * @return what was prepared, or {@code null} if claimed before (the caller then
	 * resolves the address itself)
	 * @throws RuntimeException what resolving the address threw, the first time
	 */
	@Nullable Prepared claimAddress() {
		if (this.addressClaimed) {
			return null;
		}
		Prepared prepared = await();
		this.addressClaimed = true;
		if (prepared.address() == null) {
			throw prepared.failureOrUnknown();
		}
		return prepared;
	}

	/**
	 * The opened connection, waiting for it if needed; once only, after which the caller
	 * owns it.
	 * @return the connection, or {@code null} if it was claimed before or is no longer
	 * connected (the caller then opens one itself)
	 * @throws RuntimeException what opening the connection threw, the first time
	 */
	@Nullable DBusConnection claimConnection() {
		if (this.connectionClaimed) {
			return null;
		}
		Prepared prepared = await();
		this.connectionClaimed = true;
		DBusConnection connection = prepared.connection();
		if (connection == null) {
			throw prepared.failureOrUnknown();
		}
		if (!connection.isConnected()) {
			Connections.closeQuietly(connection, new ReceivedDescriptors());
			return null;
		}
		return connection;
	}

	/**
	 * Wait for the preparation to end and close what nobody claimed: the connection, then
	 * the daemon.
	 */
	void discard() {
		Prepared prepared;
		try {
			prepared = awaitUninterruptibly();
		}
		catch (RuntimeException | Error ex) {
			// the preparation died of an Error after closing what it had started; closing
			// the connection must go on
			logger.warn("Preparing the D-Bus connection failed", ex);
			return;
		}
		DBusConnection connection = prepared.connection();
		if (!this.connectionClaimed && connection != null) {
			this.connectionClaimed = true;
			Connections.closeQuietly(connection, new ReceivedDescriptors());
		}
		PrivateBusDaemon daemon = prepared.daemon();
		if (!this.addressClaimed && daemon != null) {
			this.addressClaimed = true;
			daemon.close();
		}
	}

	/**
	 * Closing must not leave a daemon behind and the preparation ends on its own within
	 * the connect timeout, so an interrupt does not cut the wait short; it is kept for
	 * the caller.
	 */
	private Prepared awaitUninterruptibly() {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return this.task.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw failed(ex);
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private Prepared await() {
		try {
			return this.task.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the D-Bus connection to be prepared", ex);
		}
		catch (ExecutionException ex) {
			throw failed(ex);
		}
	}

	// prepare() returns runtime failures; only an Error gets here
	private static RuntimeException failed(ExecutionException ex) {
		if (ex.getCause() instanceof Error error) {
			throw error;
		}
		return new IllegalStateException("Preparing the D-Bus connection failed", ex.getCause());
	}

	/**
	 * What the preparation produced.
	 *
	 * @param address the resolved address, or {@code null} if resolving failed
	 * @param daemon the daemon started for {@code private}, or {@code null}
	 * @param connection the opened connection, or {@code null} if resolving or opening
	 * failed
	 * @param failure why resolving or opening failed, or {@code null}
	 */
	record Prepared(@Nullable String address, @Nullable PrivateBusDaemon daemon, @Nullable DBusConnection connection,
			@Nullable RuntimeException failure) {

		RuntimeException failureOrUnknown() {
			return (this.failure != null) ? this.failure
					: new IllegalStateException("Preparing the D-Bus connection failed for an unknown reason");
		}

	}

}
