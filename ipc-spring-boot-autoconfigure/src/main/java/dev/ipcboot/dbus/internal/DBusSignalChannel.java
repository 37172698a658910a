package dev.ipcboot.dbus.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.internal.IpcDBusMetrics;
import dev.ipcboot.IpcEvent;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusHeaders;
import dev.ipcboot.dbus.DBusSignalEvent;
import dev.ipcboot.dbus.DBusSignalMessage;
import dev.ipcboot.dbus.DBusSignalRule;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * A subscription of {@code ipc.dbus.signals} as a channel: each matching signal goes to
 * the channel's {@code @IpcListener} methods (arguments bound in order, payload = the
 * argument array, headers with sender, path, interface and member) and is then published
 * as a {@link DBusSignalEvent}. Signals of one channel are handled one at a time, in
 * order.
 */
public final class DBusSignalChannel implements IpcChannel, IpcResource {

	private static final Log logger = LogFactory.getLog(DBusSignalChannel.class);

	private final String name;

	private final DBusSignalRule rule;

	private final Consumer<IpcEvent> events;

	private final List<IpcMessageListener> listeners = new CopyOnWriteArrayList<>();

	private final List<HandlerMethodArgumentResolver> resolvers = List.of(new SignalArgumentResolver());

	private final IpcChannelMetrics channelMetrics;

	private final IpcDBusMetrics signalMetrics;

	private @Nullable AutoCloseable subscription;

	private volatile @Nullable BusConnection subscribedOn;

	/** The connection to subscribe on again when its listeners start again. */
	private @Nullable BusConnection lastConnection;

	/** Whether every listener is stopped: do not subscribe until one starts. */
	private boolean held;

	/**
	 * Create a channel that records no metrics.
	 * @param name the channel name (the key under {@code ipc.dbus.signals})
	 * @param rule which signals it receives
	 * @param events publishes the {@link DBusSignalEvent}s
	 */
	public DBusSignalChannel(String name, DBusSignalRule rule, Consumer<IpcEvent> events) {
		this(name, rule, events, IpcMetrics.NONE);
	}

	/**
	 * Create a channel.
	 * @param name the channel name (the key under {@code ipc.dbus.signals})
	 * @param rule which signals it receives
	 * @param events publishes the {@link DBusSignalEvent}s
	 * @param metrics counts the signals and bytes received (the channel's handles are
	 * taken once, here)
	 */
	public DBusSignalChannel(String name, DBusSignalRule rule, Consumer<IpcEvent> events, IpcMetrics metrics) {
		this.name = name;
		this.rule = rule;
		this.events = events;
		this.channelMetrics = metrics.channel(name, "dbus");
		this.signalMetrics = metrics.dbus(rule.interfaceName(), memberOf(rule), "in");
	}

	/** The member a configured channel matches ({@code *} for a rule without one). */
	private static String memberOf(DBusSignalRule rule) {
		String member = rule.member();
		return (member != null) ? member : "*";
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String kind() {
		return "D-Bus signal";
	}

	@Override
	public String property() {
		return "ipc.dbus.signals." + this.name;
	}

	/**
	 * Which signals this channel receives.
	 * @return the rule
	 */
	public DBusSignalRule rule() {
		return this.rule;
	}

	@Override
	public void addListener(IpcMessageListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public List<HandlerMethodArgumentResolver> argumentResolvers() {
		return this.resolvers;
	}

	/**
	 * Subscribe on a connection; signals flow from then on.
	 * @param connection the connection
	 */
	public synchronized void subscribe(BusConnection connection) {
		this.lastConnection = connection;
		if (this.subscription == null && !this.held) {
			this.subscription = connection.subscribe(this.rule, (SizedSignalCallback) this::deliver);
			this.subscribedOn = connection;
		}
	}

	/**
	 * Sender, path, interface and member of the signal, and the channel.
	 * @return the header names
	 */
	@Override
	public java.util.Set<String> headers() {
		return java.util.Set.of(IpcHeaders.CHANNEL, DBusHeaders.SENDER, DBusHeaders.PATH, DBusHeaders.INTERFACE,
				DBusHeaders.MEMBER);
	}

	/**
	 * Signals are delivered on the connection's signal threads, which must not wait for a
	 * paused listener: the registry buffers for it within a bound instead.
	 * @return {@code false}
	 */
	@Override
	public boolean blocksWhenHeld() {
		return false;
	}

	/**
	 * @return {@code true}: this channel implements {@code pauseReading} or
	 * {@code stopReceiving}
	 */
	@Override
	public boolean holdsAtSource() {
		return true;
	}

	/**
	 * Every listener is stopped: end the subscription (the bus no longer sends the
	 * signals) until one starts again.
	 * @return {@code true}
	 */
	@Override
	public synchronized boolean stopReceiving() {
		this.held = true;
		unsubscribe();
		return true;
	}

	/**
	 * Subscribe again on the last connection, if the bus is connected.
	 */
	@Override
	public synchronized void startReceiving() {
		this.held = false;
		BusConnection connection = this.lastConnection;
		if (connection != null) {
			subscribe(connection);
		}
	}

	/**
	 * End the subscription.
	 */
	public synchronized void unsubscribe() {
		if (this.subscription != null) {
			try {
				this.subscription.close();
			}
			catch (Exception ex) {
				logger.debug("Could not end the subscription of channel '" + this.name + "'", ex);
			}
			this.subscription = null;
			this.subscribedOn = null;
		}
	}

	/**
	 * The state of the subscription, for the {@code ipc} endpoint (the connection itself
	 * is the resource in health): UP while subscribed on a connected bus, DOWN while the
	 * bus is lost, UNKNOWN before the subscription.
	 * @return the state, with the interface and member it matches
	 */
	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("interface", this.rule.interfaceName());
		details.put("member", memberOf(this.rule));
		BusConnection connection = this.subscribedOn;
		if (connection == null) {
			return new IpcResourceState(IpcResourceStatus.UNKNOWN, "not subscribed", details);
		}
		BusConnection.State state = connection.state();
		return switch (state) {
			case CONNECTED -> IpcResourceState.up(details);
			case RECONNECTING -> IpcResourceState.outOfService("bus connection lost; reconnecting", details);
			case NOT_CONNECTED, LOST, CLOSED -> IpcResourceState
				.down("bus connection " + state.name().toLowerCase(Locale.ROOT).replace('_', ' '), details);
		};
	}

	void deliver(DBusSignalMessage signal, int bytes) {
		this.channelMetrics.messageReceived(bytes);
		this.signalMetrics.signal();
		if (!this.listeners.isEmpty()) {
			Map<String, Object> headers = new HashMap<>(8);
			headers.put(IpcHeaders.CHANNEL, this.name);
			headers.put(DBusHeaders.SENDER, signal.sender());
			headers.put(DBusHeaders.PATH, signal.path());
			headers.put(DBusHeaders.INTERFACE, signal.interfaceName());
			headers.put(DBusHeaders.MEMBER, signal.member());
			Message<Object[]> message = new GenericMessage<>(signal.args(), new SignalHeaders(headers));
			IpcReplyTarget target = new SignalReplyTarget(signal);
			for (IpcMessageListener listener : this.listeners) {
				listener.onMessage(message, target);
			}
		}
		this.events.accept(new DBusSignalEvent(this, this.name, signal));
	}

	@Override
	public String toString() {
		return "D-Bus signal channel '" + this.name + "' (" + this.rule + ")";
	}

	/**
	 * Headers without the random id and timestamp Spring adds by default: nothing reads
	 * them, and generating an id for every signal costs on the hot path.
	 */
	private static final class SignalHeaders extends MessageHeaders {

		SignalHeaders(Map<String, Object> headers) {
			super(headers, ID_VALUE_NONE, -1L);
		}

	}

	/** Signals take no reply; a listener's return value is dropped with a note. */
	private record SignalReplyTarget(DBusSignalMessage signal) implements IpcReplyTarget {

		@Override
		public void reply(byte[] payload) {
			logger.debug("Listener returned a value for signal " + this.signal.member()
					+ "; signals take no reply, so it is dropped");
		}

		@Override
		public void fail(Throwable error) {
			// already logged and published by the listener adapter; the subscription
			// carries on
		}

		@Override
		public String describePeer() {
			return this.signal.sender();
		}

	}

}
