package dev.ipcboot.dbus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;

/**
 * The signal subscriptions of a {@link BusConnection} and the threads their callbacks run
 * on, kept so that every subscription can be registered again on each new underlying
 * connection. Additions happen under the connection's lock, the same lock held while a
 * new connection is restored; removals do not need it, because a subscription that is
 * removed unregisters itself from whichever connection it is on.
 */
final class SubscriptionRegistry {

	private final List<SignalSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final SignalThreads signalThreads;

	SubscriptionRegistry(SignalThreads signalThreads) {
		this.signalThreads = signalThreads;
	}

	/**
	 * A new subscription with its own serial executor; it is not kept until {@link #add
	 * added}.
	 */
	SignalSubscription create(DBusSignalRule rule, Consumer<DBusSignalMessage> callback, BusConnection owner) {
		return new SignalSubscription(rule, callback, this.signalThreads.serial(rule.toString()), owner);
	}

	void add(SignalSubscription subscription) {
		this.subscriptions.add(subscription);
	}

	void remove(SignalSubscription subscription) {
		this.subscriptions.remove(subscription);
		subscription.unregister();
	}

	/**
	 * Register every subscription on a new connection.
	 * @throws DBusCallException if the bus rejects a rule
	 */
	void registerAll(DBusConnection target) {
		for (SignalSubscription subscription : this.subscriptions) {
			registerOn(target, subscription);
		}
	}

	/**
	 * Register one subscription.
	 * @throws DBusCallException if the bus rejects its rule
	 */
	void registerOn(DBusConnection target, SignalSubscription subscription) {
		try {
			subscription.register(target);
		}
		catch (DBusException | RuntimeException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.MatchRuleInvalid",
					"The bus rejected the signal subscription " + subscription.rule() + ": " + ex.getMessage(), ex);
		}
	}

	/** Stop the callback threads; see {@link SignalThreads#shutdown()}. */
	void shutdown() {
		this.signalThreads.shutdown();
	}

}
