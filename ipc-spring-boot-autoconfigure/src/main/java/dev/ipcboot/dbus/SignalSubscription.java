package dev.ipcboot.dbus;

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

/**
 * One signal subscription of a {@link BusConnection}: its rule, its callback and its
 * serial executor. It survives reconnections: the connection registers it again on every
 * new underlying connection.
 */
final class SignalSubscription implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SignalSubscription.class);

	private static final String BUS = "org.freedesktop.DBus";

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
			.withInterface(rule.interfaceName())
			.withMember(rule.member());
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
		DBusSignalMessage message;
		int bytes = wireSize(signal);
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
			logger.error("Could not read the arguments of a signal for " + this.rule + "; it is dropped", ex);
			return;
		}
		this.executor.execute(() -> this.callback.accept(message, bytes));
	}

	/** Header and body as they came off the socket. */
	private static int wireSize(Message signal) {
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

	static Object jdkShape(Object value) {
		if (value instanceof DBusPath path) {
			return path.getPath();
		}
		if (value instanceof Variant<?> variant) {
			return jdkShape(variant.getValue());
		}
		return value;
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
