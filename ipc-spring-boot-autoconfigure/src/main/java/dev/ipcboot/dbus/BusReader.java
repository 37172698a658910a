package dev.ipcboot.dbus;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.spi.message.IMessageReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads the messages of one connection for dbus-java (the reader half of
 * {@link StandardErrorSocketProvider}), with two changes:
 * <ul>
 * <li>calls to exported methods that return a future are handed to {@link DelayedReplies}
 * instead of dbus-java;</li>
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

	private final IMessageReader delegate;

	private volatile @Nullable DBusConnection connection;

	private volatile @Nullable DelayedReplies delayedReplies;

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
			READERS.put(connection, reader);
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

	@Override
	public @Nullable Message readMessage() throws IOException, DBusException {
		Message message;
		try {
			message = this.delegate.readMessage();
		}
		catch (IOException ex) {
			disconnect(ex);
			throw ex;
		}
		DelayedReplies replies = this.delayedReplies;
		DBusConnection current = this.connection;
		if (message != null && replies != null && current != null && replies.offer(message, current)) {
			// dbus-java's reading thread takes null as "nothing read" and reads on
			return null;
		}
		return message;
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
