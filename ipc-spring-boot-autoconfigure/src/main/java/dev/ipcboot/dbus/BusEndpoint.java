package dev.ipcboot.dbus;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.dbus.internal.PrivateBusDaemon;

/**
 * Where a {@link BusConnection} connects: the bus address, resolved once, and for
 * {@code private} the daemon the connection started to serve it. Resolving the address
 * (starting the private daemon) and opening the first connection take 150-200 ms on a
 * cold JVM, mostly loading and initialising dbus-java and junixsocket, so
 * {@link #prepare} can do both ahead of time on a thread of its own, and on a context's
 * start-up that time overlaps the creation of the other beans. The first
 * {@link #resolve()} claims what was prepared, waiting for it if still in progress; a
 * failure is thrown there (or, for opening the connection, by
 * {@link #takePreparedConnection()}), as if it had happened there. What nobody claimed is
 * closed by {@link #discardPreparation()}. It does no locking of its own; its owners call
 * it with the connection's lock held (the preparing thread never takes that lock, so
 * waiting for it with the lock held cannot deadlock).
 */
final class BusEndpoint {

	// the connection's category, so that logging configured for it still applies
	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final DBusSettings settings;

	private @Nullable String address;

	private @Nullable PrivateBusDaemon daemon;

	/** The preparation until {@link #resolve()} claims it. */
	private @Nullable FutureTask<Prepared> preparation;

	/** The connection the claimed preparation opened, until taken. */
	private @Nullable DBusConnection preparedConnection;

	/** Why the claimed preparation could not open the connection, until thrown. */
	private @Nullable RuntimeException connectFailure;

	BusEndpoint(DBusSettings settings) {
		this.settings = settings;
	}

	/**
	 * Start resolving the address and opening the first connection in the background,
	 * unless resolved or preparing already.
	 * @param threadName names the thread that prepares, which ends when done; asked only
	 * if the thread is started
	 */
	void prepare(Supplier<String> threadName) {
		if (this.address == null && this.preparation == null) {
			DBusSettings target = this.settings;
			FutureTask<Prepared> task = new FutureTask<>(() -> prepareNow(target));
			Thread thread = new Thread(task, threadName.get());
			thread.setDaemon(true);
			thread.start();
			this.preparation = task;
		}
	}

	private static Prepared prepareNow(DBusSettings settings) {
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
	 * The address, resolving it (and starting the private daemon) on first use, or taking
	 * it, the daemon and the opened connection from the preparation, waiting for it if
	 * needed.
	 * @throws dev.ipcboot.IpcConfigurationException if the bus cannot be resolved
	 */
	String resolve() {
		if (this.address == null) {
			FutureTask<Prepared> pending = this.preparation;
			if (pending != null) {
				Prepared prepared = await(pending);
				this.preparation = null;
				this.address = claim(prepared);
			}
			else {
				this.address = BusAddresses.resolve(this.settings, this::startPrivateDaemon);
			}
		}
		return this.address;
	}

	private String claim(Prepared prepared) {
		String resolved = prepared.address();
		if (resolved == null) {
			// the preparation started no daemon then; the next attempt resolves afresh
			throw prepared.failureOrUnknown();
		}
		this.daemon = prepared.daemon();
		if (this.daemon != null) {
			logStarted();
		}
		this.preparedConnection = prepared.connection();
		this.connectFailure = (prepared.connection() != null) ? null : prepared.failureOrUnknown();
		return resolved;
	}

	/**
	 * The connection the preparation opened, once; call {@link #resolve()} first.
	 * @return the connection, or {@code null} when nothing was prepared, it was taken
	 * before, or it is no longer connected
	 * @throws RuntimeException what opening the prepared connection threw (a
	 * {@link DBusCallException} or {@link dev.ipcboot.IpcConfigurationException}), once
	 */
	@Nullable DBusConnection takePreparedConnection() {
		DBusConnection connection = this.preparedConnection;
		RuntimeException failure = this.connectFailure;
		this.preparedConnection = null;
		this.connectFailure = null;
		if (failure != null) {
			throw failure;
		}
		if (connection != null && !connection.isConnected()) {
			Connections.closeQuietly(connection, new ReceivedDescriptors());
			return null;
		}
		return connection;
	}

	/**
	 * Close what the preparation made and nobody took, waiting for it to end: the
	 * connection, then the daemon (a claimed daemon is the caller's to close).
	 */
	void discardPreparation() {
		FutureTask<Prepared> pending = this.preparation;
		this.preparation = null;
		DBusConnection connection = this.preparedConnection;
		this.preparedConnection = null;
		this.connectFailure = null;
		PrivateBusDaemon unclaimedDaemon = null;
		if (pending != null) {
			Prepared prepared;
			try {
				prepared = awaitUninterruptibly(pending);
			}
			catch (RuntimeException | Error ex) {
				// the preparation died of an Error after closing what it had started;
				// closing the connection must go on
				logger.warn("Preparing the D-Bus connection failed", ex);
				return;
			}
			connection = prepared.connection();
			unclaimedDaemon = prepared.daemon();
		}
		if (connection != null) {
			Connections.closeQuietly(connection, new ReceivedDescriptors());
		}
		if (unclaimedDaemon != null) {
			unclaimedDaemon.close();
		}
	}

	/** The address if resolved yet, for messages. */
	@Nullable String address() {
		return this.address;
	}

	@Nullable PrivateBusDaemon daemon() {
		return this.daemon;
	}

	/**
	 * Restart the private daemon if it died: nobody else will bring it back, and the
	 * address stays the same.
	 */
	void restartDeadDaemon() {
		if (this.daemon != null && !this.daemon.isAlive()) {
			this.daemon = this.daemon.restart();
			logger.warn("Restarted " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
		}
	}

	private String startPrivateDaemon() {
		PrivateBusDaemon started = PrivateBusDaemon.start();
		this.daemon = started;
		logStarted();
		return started.address();
	}

	private void logStarted() {
		logger.info("Started " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
	}

	private static Prepared await(FutureTask<Prepared> pending) {
		try {
			return pending.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the D-Bus connection to be prepared", ex);
		}
		catch (ExecutionException ex) {
			throw failed(ex);
		}
	}

	/**
	 * Closing must not leave a daemon behind and the preparation ends on its own within
	 * the connect timeout, so an interrupt does not cut the wait short; it is kept for
	 * the caller.
	 */
	private static Prepared awaitUninterruptibly(FutureTask<Prepared> pending) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return pending.get();
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

	// prepareNow() returns runtime failures; only an Error gets here
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
	private record Prepared(@Nullable String address, @Nullable PrivateBusDaemon daemon,
			@Nullable DBusConnection connection, @Nullable RuntimeException failure) {

		RuntimeException failureOrUnknown() {
			return (this.failure != null) ? this.failure
					: new IllegalStateException("Preparing the D-Bus connection failed for an unknown reason");
		}

	}

}
