package dev.ipcboot.dbus;

import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.matchrules.DBusMatchRule;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;

/**
 * One signal subscription of a {@link BusConnection}: its rule, its callback and its
 * serial executor. It survives reconnections: the connection registers it again on every
 * new underlying connection.
 */
final class SignalSubscription implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SignalSubscription.class);

	private final DBusSignalRule rule;

	private final DBusMatchRule matchRule;

	private final Consumer<DBusSignalMessage> callback;

	private final SerialExecutor executor;

	private final BusConnection owner;

	private @Nullable AutoCloseable registration;

	SignalSubscription(DBusSignalRule rule, Consumer<DBusSignalMessage> callback, SerialExecutor executor,
			BusConnection owner) {
		this.rule = rule;
		this.matchRule = toMatchRule(rule);
		this.callback = callback;
		this.executor = executor;
		this.owner = owner;
	}

	private static DBusMatchRule toMatchRule(DBusSignalRule rule) {
		DBusMatchRuleBuilder builder = DBusMatchRuleBuilder.create()
			.withType("signal")
			.withInterface(rule.interfaceName())
			.withMember(rule.member());
		if (rule.path() != null) {
			builder.withPath(rule.path());
		}
		if (rule.sender() != null) {
			builder.withSender(rule.sender());
		}
		rule.args().forEach(builder::withArg0123);
		return builder.build();
	}

	DBusSignalRule rule() {
		return this.rule;
	}

	synchronized void register(DBusConnection connection) throws DBusException {
		this.registration = connection.addGenericSigHandler(this.matchRule, this::receive);
	}

	private void receive(DBusSignal signal) {
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
			logger.error("Could not read the arguments of a signal for " + this.rule + "; it is dropped", ex);
			return;
		}
		this.executor.execute(() -> this.callback.accept(message));
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
		AutoCloseable current = this.registration;
		this.registration = null;
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
