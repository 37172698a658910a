package dev.ipcboot.dbus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.matchrules.DBusMatchRule;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.dbus.internal.SizedSignalCallback;

/**
 * One signal subscription of a {@link BusConnection}: its rule, its callback and its
 * serial executor. It survives reconnections: the connection registers it again on every
 * new underlying connection.
 */
final class SignalSubscription implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SignalSubscription.class);

	private static final String BUS = "org.freedesktop.DBus";

	/**
	 * Signals that may wait for a busy listener; beyond them (or beyond
	 * {@link #MAX_WAITING_BYTES}) a signal is dropped with a WARN, so that a peer that
	 * floods signals at a slow listener cannot fill the heap.
	 */
	static final int MAX_WAITING = 10_000;

	/** Bytes (as they came off the socket) of the signals that may wait. */
	static final long MAX_WAITING_BYTES = 16L * 1024 * 1024;

	private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicLong waitingBytes = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private final DBusSignalRule rule;

	private final DBusMatchRule matchRule;

	private final SizedSignalCallback callback;

	private final SerialExecutor executor;

	private final BusConnection owner;

	private final @Nullable String wellKnownSender;

	private volatile @Nullable String senderOwner;

	private @Nullable AutoCloseable registration;

	private @Nullable AutoCloseable ownerWatch;

	SignalSubscription(DBusSignalRule rule, Consumer<DBusSignalMessage> callback, SerialExecutor executor,
			BusConnection owner) {
		this.rule = rule;
		this.wellKnownSender = (rule.sender() != null && !rule.sender().startsWith(":") && !rule.sender().equals(BUS))
				? rule.sender() : null;
		this.matchRule = toMatchRule(rule, this.wellKnownSender == null);
		this.callback = SizedSignalCallback.of(callback);
		this.executor = executor;
		this.owner = owner;
	}

	/**
	 * dbus-java compares a rule's sender with the unique name a signal carries, so a rule
	 * naming a well-known sender would never match locally: such rules go to dbus-java
	 * without the sender, and the subscription follows the name's owner itself.
	 */
	private static DBusMatchRule toMatchRule(DBusSignalRule rule, boolean withSender) {
		DBusMatchRuleBuilder builder = DBusMatchRuleBuilder.create()
			.withType("signal")
			.withInterface(rule.interfaceName());
		if (rule.member() != null) {
			builder.withMember(rule.member());
		}
		if (rule.path() != null) {
			builder.withPath(rule.path());
		}
		if (withSender && rule.sender() != null) {
			builder.withSender(rule.sender());
		}
		rule.args().forEach(builder::withArg0123);
		return builder.build();
	}

	DBusSignalRule rule() {
		return this.rule;
	}

	synchronized void register(DBusConnection connection) throws DBusException {
		if (this.wellKnownSender != null) {
			String name = this.wellKnownSender;
			DBusMatchRule ownerChanges = DBusMatchRuleBuilder.create()
				.withType("signal")
				.withSender(BUS)
				.withInterface(BUS)
				.withMember("NameOwnerChanged")
				.withArg0123(0, name)
				.build();
			this.ownerWatch = connection.addGenericSigHandler(ownerChanges, (signal) -> {
				try {
					Object[] args = signal.getParameters();
					this.senderOwner = (args.length > 2 && !"".equals(args[2])) ? (String) args[2] : null;
				}
				catch (DBusException ex) {
					logger.warn("Could not read an owner change of " + name + "; signals of " + this.rule
							+ " may be missed", ex);
				}
			});
			this.senderOwner = currentOwner(connection, name);
		}
		this.registration = connection.addGenericSigHandler(this.matchRule, this::receive);
	}

	private static @Nullable String currentOwner(DBusConnection connection, String name) throws DBusException {
		try {
			return connection.getRemoteObject(BUS, "/org/freedesktop/DBus", DBus.class).GetNameOwner(name);
		}
		catch (DBusExecutionException ex) {
			// org.freedesktop.DBus.Error.NameHasNoOwner: nobody to hear from until it
			// appears
			return null;
		}
	}

	private void receive(DBusSignal signal) {
		if (this.wellKnownSender != null && !signal.getSource().equals(this.senderOwner)) {
			return;
		}
		int bytes = wireSize(signal);
		if (!admit(signal, bytes)) {
			return;
		}
		DBusSignalMessage message;
		try {
			Object[] parameters = signal.getParameters();
			Object[] args = new Object[(parameters != null) ? parameters.length : 0];
			for (int i = 0; i < args.length; i++) {
				args[i] = jdkShape(parameters[i]);
			}
			message = new DBusSignalMessage(String.valueOf(signal.getSource()), signal.getPath(), signal.getInterface(),
					signal.getName(), (signal.getSig() != null) ? signal.getSig() : "", args);
		}
		catch (DBusException ex) {
			release(bytes);
			logger.error("Could not read the arguments of a signal for " + this.rule + "; it is dropped", ex);
			return;
		}
		this.executor.execute(() -> {
			try {
				this.callback.accept(message, bytes);
			}
			finally {
				release(bytes);
			}
		});
	}

	/**
	 * Count a signal among those waiting for the listener, or drop it when too many wait:
	 * the newest are dropped, so what the listener gets stays in order. The first drop is
	 * logged at once, later ones once per 10 s with their count, and those not logged yet
	 * when the listener has caught up.
	 */
	private boolean admit(DBusSignal signal, int bytes) {
		int count = this.waiting.incrementAndGet();
		long total = this.waitingBytes.addAndGet(bytes);
		if (count <= MAX_WAITING && (total <= MAX_WAITING_BYTES || count == 1)) {
			return true;
		}
		this.waiting.decrementAndGet();
		this.waitingBytes.addAndGet(-bytes);
		this.dropped.incrementAndGet();
		long now = System.nanoTime();
		long last = this.lastWarn.get();
		if (now - last >= WARN_INTERVAL_NANOS && this.lastWarn.compareAndSet(last, now)) {
			warnDropped("the latest from " + signal.getSource());
		}
		return false;
	}

	private void release(int bytes) {
		this.waitingBytes.addAndGet(-bytes);
		if (this.waiting.decrementAndGet() == 0 && this.dropped.get() > 0) {
			warnDropped("the listener has caught up");
		}
	}

	private void warnDropped(String detail) {
		long count = this.dropped.getAndSet(0);
		if (count > 0) {
			logger.warn("Dropped " + count + " signal(s) for " + this.rule + " (" + detail + "): " + MAX_WAITING
					+ " signals or " + (MAX_WAITING_BYTES >> 20) + " MiB wait for its listener at most");
		}
	}

	/** Header and body as they came off the socket. */
	static int wireSize(Message signal) {
		byte[][] wire = signal.getWireData();
		int size = 0;
		if (wire != null) {
			for (byte[] part : wire) {
				if (part != null) {
					size += part.length;
				}
			}
		}
		return size;
	}

	/**
	 * A signal argument as plain Java values: object paths become strings and variants
	 * their values, also inside dictionaries ({@code a{sv}}, as in PropertiesChanged),
	 * arrays and lists, which are copied only when something in them changes.
	 */
	static Object jdkShape(Object value) {
		if (value instanceof DBusPath path) {
			return path.getPath();
		}
		if (value instanceof Variant<?> variant) {
			return jdkShape(variant.getValue());
		}
		if (value instanceof Map<?, ?> map) {
			return shapeMap(map);
		}
		if (value instanceof List<?> list) {
			return shapeList(list);
		}
		if (value instanceof Object[] array) {
			return shapeArray(array);
		}
		return value;
	}

	private static Map<?, ?> shapeMap(Map<?, ?> map) {
		Map<Object, Object> shaped = null;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			Object key = jdkShape(entry.getKey());
			Object value = jdkShape(entry.getValue());
			if (shaped == null && (key != entry.getKey() || value != entry.getValue())) {
				shaped = new LinkedHashMap<>(map.size() * 2);
				for (Map.Entry<?, ?> before : map.entrySet()) {
					if (before == entry) {
						break;
					}
					shaped.put(before.getKey(), before.getValue());
				}
			}
			if (shaped != null) {
				shaped.put(key, value);
			}
		}
		return (shaped != null) ? shaped : map;
	}

	private static List<?> shapeList(List<?> list) {
		List<Object> shaped = null;
		for (int i = 0; i < list.size(); i++) {
			Object element = list.get(i);
			Object value = jdkShape(element);
			if (shaped == null && value != element) {
				shaped = new ArrayList<>(list.subList(0, i));
			}
			if (shaped != null) {
				shaped.add(value);
			}
		}
		return (shaped != null) ? shaped : list;
	}

	private static Object[] shapeArray(Object[] array) {
		Object[] shaped = null;
		for (int i = 0; i < array.length; i++) {
			Object value = jdkShape(array[i]);
			if (shaped == null && value != array[i]) {
				shaped = array.clone();
				if (!shaped.getClass().getComponentType().isInstance(value)) {
					shaped = Arrays.copyOf(array, array.length, Object[].class);
				}
			}
			if (shaped != null) {
				shaped[i] = value;
			}
		}
		return (shaped != null) ? shaped : array;
	}

	synchronized void unregister() {
		closeQuietly(this.ownerWatch);
		this.ownerWatch = null;
		closeQuietly(this.registration);
		this.registration = null;
	}

	private void closeQuietly(@Nullable AutoCloseable current) {
		if (current != null) {
			try {
				current.close();
			}
			catch (Exception ex) {
				logger.debug("Could not remove the match rule " + this.rule + " from a closing connection", ex);
			}
		}
	}

	@Override
	public void close() {
		this.owner.unsubscribe(this);
	}

}
