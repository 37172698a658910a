package dev.ipcboot.dbus;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.constants.Flags;
import org.freedesktop.dbus.spi.message.IMessageReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads the messages of one connection for dbus-java (the reader half of
 * {@link StandardErrorSocketProvider}), with four changes:
 * <ul>
 * <li>the method calls read and not answered yet are bounded ({@link CallBudget}): a call
 * beyond the bound is not run but answered at once with
 * {@code org.freedesktop.DBus.Error.LimitsExceeded}, or dropped if it expects no reply
 * ({@link IncomingCallLimit}); an admitted call gives its place back when dbus-java's
 * {@link MethodCallPool} has run it, when dbus-java answered it while reading (an unknown
 * object or method: before the next read), or when its delayed reply is sent;</li>
 * <li>calls to exported methods that return a future are handed to {@link DelayedReplies}
 * instead of dbus-java;</li>
 * <li>errors that answer no call of ours (the bus returns our replies to callers that
 * hung up) are taken out of dbus-java's queue for them, which nothing else empties;</li>
 * <li>when the bus goes away (the read fails), the connection is taken down here, with
 * dbus-java's own disconnect routine, before the failure reaches dbus-java's reading
 * thread. dbus-java would do exactly the same, but only after logging the failure at
 * ERROR with a stack trace ({@code FatalException in connection thread}) although the
 * starter expects it, reports it once at WARN and reconnects; a connection already down
 * is not logged by that thread. Other errors of that thread are still logged.</li>
 * </ul>
 * dbus-java calls {@code internalDisconnect} itself from that thread on that failure; it
 * is protected, so this reaches it by reflection, and falls back to dbus-java's behaviour
 * (the ERROR) where that is not allowed (dbus-java on the module path).
 */
final class BusReader implements IMessageReader {

	private static final Log logger = LogFactory.getLog(BusReader.class);

	/** The readers created on this thread while it opens a connection. */
	private static final ThreadLocal<@Nullable List<BusReader>> OPENING = new ThreadLocal<>();

	private static final Map<DBusConnection, BusReader> READERS = Collections.synchronizedMap(new WeakHashMap<>());

	private static final @Nullable Method INTERNAL_DISCONNECT = internalDisconnect();

	private static final Runnable NOTHING = () -> {
	};

	private final IMessageReader delegate;

	private volatile @Nullable DBusConnection connection;

	private volatile @Nullable DelayedReplies delayedReplies;

	private final CallBudget budget = new CallBudget();

	private volatile IncomingCallLimit limit = new IncomingCallLimit("(connecting)");

	// whether dbus-java's method-call pool gives admitted calls back (MethodCallPool)
	private volatile boolean bounded;

	// the call read last, admitted and handed to dbus-java, until dbus-java queues it
	// (claimAdmitted) or the next read finds it answered: only the reading thread
	// touches these
	private @Nullable Thread admittingThread;

	private int admittedSize = -1;

	// whether the message read last was an error (reading thread only)
	private boolean errorRead;

	private final AtomicLong unmatchedErrors = new AtomicLong();

	private BusReader(IMessageReader delegate) {
		this.delegate = delegate;
	}

	static IMessageReader wrap(IMessageReader delegate) {
		BusReader reader = new BusReader(delegate);
		List<BusReader> opening = OPENING.get();
		if (opening != null) {
			opening.add(reader);
		}
		return reader;
	}

	/**
	 * Open a connection and tie the reader dbus-java created for it to it.
	 * @param open opens the connection on this thread
	 * @return the connection
	 */
	static DBusConnection open(Opener open) throws DBusException {
		List<BusReader> created = new ArrayList<>(1);
		OPENING.set(created);
		DBusConnection connection;
		try {
			connection = open.open();
		}
		finally {
			OPENING.remove();
		}
		for (BusReader reader : created) {
			reader.connection = connection;
			reader.limit = new IncomingCallLimit(String.valueOf(connection.getAddress()));
			READERS.put(connection, reader);
			reader.bounded = MethodCallPool.install(connection, reader);
		}
		return connection;
	}

	/**
	 * Hand the calls of future-returning methods read on a connection to the given
	 * replies; does nothing for a connection not opened through {@link #open}.
	 */
	static void answerDelayed(DBusConnection connection, DelayedReplies replies) {
		BusReader reader = READERS.get(connection);
		if (reader != null) {
			reader.delayedReplies = replies;
		}
	}

	/**
	 * Count and refuse the calls read on a connection in the given limit, the
	 * connection's for its whole life; does nothing for a connection not opened through
	 * {@link #open}.
	 */
	static void limitCalls(DBusConnection connection, IncomingCallLimit limit) {
		BusReader reader = READERS.get(connection);
		if (reader != null) {
			reader.limit = limit;
			limit.watch(reader.budget);
		}
	}

	@Override
	public @Nullable Message readMessage() throws IOException, DBusException {
		releaseUnclaimed();
		dropUnmatchedErrors();
		Message message;
		try {
			message = this.delegate.readMessage();
		}
		catch (IOException ex) {
			disconnect(ex);
			throw ex;
		}
		DBusConnection current = this.connection;
		this.errorRead = message instanceof org.freedesktop.dbus.messages.Error;
		if (!(message instanceof MethodCall call) || current == null) {
			return message;
		}
		boolean bounded = this.bounded;
		int size = bounded ? SignalSubscription.wireSize(call) : 0;
		if (bounded && !this.budget.tryAcquire(size)) {
			refuse(call, current);
			// dbus-java's reading thread takes null as "nothing read" and reads on
			return null;
		}
		DelayedReplies replies = this.delayedReplies;
		Runnable answered = bounded ? () -> this.budget.release(size) : NOTHING;
		if (replies != null && replies.offer(call, current, answered)) {
			return null;
		}
		if (bounded) {
			this.admittingThread = Thread.currentThread();
			this.admittedSize = size;
		}
		return call;
	}

	/**
	 * The size of the call this thread read last, if dbus-java queues it now (on the
	 * reading thread, while it handles the call); the caller releases it from
	 * {@link #budget()} when the call has run.
	 * @return the size, or {@code -1} if there is no such call
	 */
	int claimAdmitted() {
		if (Thread.currentThread() != this.admittingThread || this.admittedSize < 0) {
			return -1;
		}
		int size = this.admittedSize;
		this.admittedSize = -1;
		return size;
	}

	CallBudget budget() {
		return this.budget;
	}

	/**
	 * Empty dbus-java's queue of errors that answer no call of ours, after dbus-java has
	 * handled the error read last. dbus-java keeps every such error until
	 * {@code getError()} is called, which nothing of the starter (or of dbus-java) does:
	 * the bus sends one for every reply of ours it cannot deliver (the caller hung up
	 * before its answer), so a peer that calls and hangs up in a loop would fill the
	 * heap. Errors that answer a pending call never reach that queue.
	 */
	private void dropUnmatchedErrors() {
		DBusConnection current = this.connection;
		if (!this.errorRead || current == null) {
			return;
		}
		this.errorRead = false;
		DBusExecutionException error;
		while ((error = current.getError()) != null) {
			this.unmatchedErrors.incrementAndGet();
			if (logger.isDebugEnabled()) {
				logger.debug("Dropped an error that answers no call of ours on " + current.getAddress() + ": "
						+ error.getType() + ": " + error.getMessage());
			}
		}
	}

	/** Errors that answered no call of ours, dropped so far. */
	long unmatchedErrors() {
		return this.unmatchedErrors.get();
	}

	/** The reader of a connection opened through {@link #open}, or {@code null}. */
	static @Nullable BusReader of(DBusConnection connection) {
		return READERS.get(connection);
	}

	/**
	 * Give back the place of the call read last if dbus-java did not queue it: it
	 * answered it while reading (no such object or method), and is now reading again.
	 */
	private void releaseUnclaimed() {
		if (this.admittedSize >= 0 && Thread.currentThread() == this.admittingThread) {
			this.budget.release(this.admittedSize);
			this.admittedSize = -1;
		}
	}

	private void refuse(MethodCall call, DBusConnection current) {
		boolean answered = (call.getFlags() & Flags.NO_REPLY_EXPECTED) == 0;
		this.limit.refused(call, answered);
		if (!answered) {
			return;
		}
		try {
			current.sendMessage(current.getMessageFactory()
				.createError(current.getUniqueName(), call.getSource(), IncomingCallLimit.LIMITS_EXCEEDED,
						call.getSerial(), "s", IncomingCallLimit.errorMessage()));
		}
		catch (DBusException | RuntimeException ex) {
			// the caller times out instead, as for a call the connection drops
			logger.debug("Could not answer a call beyond the limit with " + IncomingCallLimit.LIMITS_EXCEEDED, ex);
		}
	}

	private void disconnect(IOException ex) {
		DBusConnection current = this.connection;
		if (current == null || INTERNAL_DISCONNECT == null || !current.isConnected()) {
			return;
		}
		try {
			INTERNAL_DISCONNECT.invoke(current, ex);
		}
		catch (ReflectiveOperationException | RuntimeException failure) {
			// dbus-java disconnects after it logs the failure
			logger.debug("Could not take down the D-Bus connection to " + current.getAddress(), failure);
		}
	}

	private static @Nullable Method internalDisconnect() {
		try {
			Method method = AbstractConnectionBase.class.getDeclaredMethod("internalDisconnect", IOException.class);
			method.setAccessible(true);
			return method;
		}
		catch (NoSuchMethodException | RuntimeException ex) {
			logger.debug("dbus-java's internalDisconnect is out of reach; a lost bus is logged by dbus-java too", ex);
			return null;
		}
	}

	/** Opens a connection. */
	@FunctionalInterface
	interface Opener {

		DBusConnection open() throws DBusException;

	}

	@Override
	public boolean isClosed() {
		return this.delegate.isClosed();
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

}
