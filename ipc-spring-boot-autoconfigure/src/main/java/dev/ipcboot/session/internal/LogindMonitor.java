package dev.ipcboot.session.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ClassUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcEvent;
import dev.ipcboot.dbus.DBusCallException;
import dev.ipcboot.dbus.DBusConnectedEvent;
import dev.ipcboot.dbus.DBusDisconnectedEvent;
import dev.ipcboot.dbus.DBusSettings;
import dev.ipcboot.dbus.DBusSignalMessage;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.session.InhibitKind;
import dev.ipcboot.session.LogindSettings;
import dev.ipcboot.session.SessionLockEvent;
import dev.ipcboot.session.SessionResumeEvent;
import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.SessionSleepEvent;
import dev.ipcboot.session.SessionUnlockEvent;
import dev.ipcboot.session.internal.SavePhase;

/**
 * Connects the application to logind: holds delay inhibitor locks, turns
 * {@code PrepareForShutdown}, {@code PrepareForSleep} and its own session's {@code Lock}
 * and {@code Unlock} signals into session events, and releases a lock once the save phase
 * is over so that the machine proceeds.
 * <p>
 * It connects only if the application asks for something logind tells: a listener of
 * {@link SessionShutdownEvent}, {@link SessionSleepEvent}, {@link SessionResumeEvent},
 * {@link SessionLockEvent} or {@link SessionUnlockEvent}, or
 * {@link LogindSettings#inhibitWithoutListeners()}; and it takes the shutdown lock only
 * for a shutdown listener, the sleep lock only for a sleep listener (unless that setting
 * says otherwise). Otherwise it opens no connection and starts no thread.
 * <p>
 * It connects on a thread of its own ({@code ipc-session-logind-1}) while the other
 * lifecycle beans start, so a slow bus does not hold up start-up; {@link #outcome} waits
 * for it. When logind is unreachable it says why in its outcome and stays idle; it never
 * fails start-up. Closing it releases every lock and closes its connection.
 */
public final class LogindMonitor implements SmartLifecycle, BeanClassLoaderAware, AutoCloseable {

	private static final Log logger = LogFactory.getLog(LogindMonitor.class);

	private static final String DBUS_JAVA_CLASS = "org.freedesktop.dbus.connections.impl.DBusConnection";

	private final LogindSettings settings;

	private final SessionEventPublisher events;

	private final ApplicationEventPublisher publisher;

	private final CompletableFuture<String> outcome = new CompletableFuture<>();

	private final List<AutoCloseable> subscriptions = new ArrayList<>();

	private @Nullable DBusTemplate template;

	private @Nullable InhibitorLocks locks;

	private @Nullable Thread starter;

	private List<InhibitKind> inhibit = List.of();

	private @Nullable ClassLoader classLoader;

	private volatile boolean running;

	private volatile boolean closed;

	/**
	 * Create the monitor; nothing connects before {@link #start()}.
	 * @param settings the bus and the kinds of lock
	 * @param events publishes the session events
	 * @param publisher receives the connection's events ({@code DBusConnectedEvent})
	 */
	public LogindMonitor(LogindSettings settings, SessionEventPublisher events, ApplicationEventPublisher publisher) {
		this.settings = settings;
		this.events = events;
		this.publisher = publisher;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public synchronized void start() {
		if (this.running || this.closed) {
			return;
		}
		this.running = true;
		boolean shutdown = this.events.listensForShutdown();
		boolean sleep = this.events.listensForSleep();
		this.inhibit = wantedLocks(shutdown, sleep);
		if (this.inhibit.isEmpty() && !shutdown && !sleep && !this.events.listensForResumeOrLock()) {
			this.outcome.complete("logind skipped: no listener of a session event asks for it (a listener of"
					+ " SessionShutdownEvent or SessionSleepEvent takes its delay inhibitor lock;"
					+ " ipc.session.logind.inhibit-without-listeners=true takes them anyway)");
			return;
		}
		if (!ClassUtils.isPresent(DBUS_JAVA_CLASS, this.classLoader)) {
			this.outcome.complete("logind skipped: dbus-java is not on the class path; add"
					+ " com.github.hypfvieh:dbus-java-core and dbus-java-transport-junixsocket");
			return;
		}
		this.starter = new Thread(this::connect, "ipc-session-logind-1");
		this.starter.setDaemon(true);
		this.starter.start();
	}

	/**
	 * The locks to take: those of the settings whose event has a listener, or all of them
	 * when the settings say so.
	 */
	private List<InhibitKind> wantedLocks(boolean shutdown, boolean sleep) {
		if (this.settings.inhibitWithoutListeners()) {
			return this.settings.inhibit();
		}
		List<InhibitKind> wanted = new ArrayList<>();
		for (InhibitKind kind : this.settings.inhibit()) {
			if ((kind == InhibitKind.SHUTDOWN) ? shutdown : sleep) {
				wanted.add(kind);
			}
		}
		return List.copyOf(wanted);
	}

	/**
	 * What the monitor does, once it has connected or given up: one phrase for the
	 * start-up line.
	 * @param timeout how long to wait for the connection
	 * @return for example {@code holding logind delay inhibitor locks for shutdown, sleep
	 * ...} or {@code logind skipped: ...}
	 */
	public String outcome(Duration timeout) {
		try {
			return this.outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return "logind still connecting to " + bus() + " after " + SavePhase.describe(timeout);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("The outcome is always completed normally", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "logind not known yet (interrupted)";
		}
	}

	private void connect() {
		try {
			DBusTemplate connected = DBusTemplate
				.connect(DBusSettings.of("logind", "ipc.session.logind", this.settings.bus()), this::onConnectionEvent);
			LogindClient logind = new LogindClient(connected, this.settings.who());
			InhibitorLocks locks = new InhibitorLocks(logind, this.inhibit);
			LogindAnnouncements announcements = new LogindAnnouncements(this.events, locks);
			synchronized (this) {
				if (this.closed) {
					// close() came first and saw no template
					connected.close();
					return;
				}
				this.template = connected;
				this.locks = locks;
				// subscribe before taking the locks, so that no announcement is missed
				// while a lock is held; of the two shutdown signals logind sends, the
				// newer one says whether it is a reboot
				this.subscriptions.add(logind.onOwnerChanged(this::onLogindOwnerChanged));
				this.subscriptions.add(logind.announcesShutdownKind()
						? logind.onManagerSignal("PrepareForShutdownWithMetadata", announcements::prepareForShutdown)
						: logind.onManagerSignal("PrepareForShutdown", announcements::prepareForShutdown));
				this.subscriptions.add(logind.onManagerSignal("PrepareForSleep", announcements::prepareForSleep));
			}
			locks.takeAll();
			String session = subscribeToOwnSession(logind);
			String held = locks.describe();
			this.outcome.complete("logind on " + bus() + ": "
					+ (held.isEmpty() ? "no delay inhibitor lock" : "holding delay inhibitor locks for " + held) + ", "
					+ session);
		}
		catch (IpcConfigurationException ex) {
			// the message starts with the property, which the skip line names anyway
			String problem = String.valueOf(ex.getMessage());
			skip((ex.getCause() != null) ? "cannot connect to " + bus() + ": " + ex.getCause().getMessage()
					: problem.substring(problem.indexOf(": ") + 2));
		}
		catch (DBusCallException ex) {
			skip(LogindClient.isAbsent(ex) ? LogindClient.SERVICE + " is not on " + bus()
					: "logind on " + bus() + " failed: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not connect to logind on " + bus(), ex);
			skip("logind on " + bus() + " failed: " + ex);
		}
	}

	private String subscribeToOwnSession(LogindClient logind) {
		long pid = ProcessHandle.current().pid();
		String path;
		String id;
		try {
			path = logind.sessionOf(pid);
			if (path == null) {
				return "no lock events: pid " + pid + " is in no logind session";
			}
			id = logind.sessionId(path);
		}
		catch (DBusCallException ex) {
			// the locks matter more than lock events: keep them
			return "no lock events: logind did not tell the session of pid " + pid + " (" + ex.getMessage() + ")";
		}
		synchronized (this) {
			if (!this.closed) {
				this.subscriptions.add(logind.onSessionSignals(path, (signal) -> {
					if ("Lock".equals(signal.member())) {
						this.events.lock(id);
					}
					else if ("Unlock".equals(signal.member())) {
						this.events.unlock(id);
					}
				}));
			}
		}
		return "lock events of session " + id;
	}

	private void skip(String reason) {
		this.outcome.complete("logind skipped: " + reason + " (ipc.session.logind.bus chooses the bus)");
		close();
	}

	private String bus() {
		return this.settings.bus().equals("system") ? "the system bus" : "the bus at " + this.settings.bus();
	}

	private void onConnectionEvent(IpcEvent event) {
		InhibitorLocks current = this.locks;
		if (event instanceof DBusDisconnectedEvent && current != null) {
			// the descriptors went with the connection: logind no longer waits for us
			current.lost();
		}
		else if (event instanceof DBusConnectedEvent connected && connected.isReconnect() && current != null) {
			retake(current, "Reconnected to " + bus());
		}
		this.publisher.publishEvent(event);
	}

	/**
	 * logind restarted (its inhibitors are gone with it) or came back after the bus
	 * restarted, possibly after our reconnection: take the locks again.
	 */
	private void onLogindOwnerChanged(DBusSignalMessage signal) {
		InhibitorLocks current = this.locks;
		if (current == null) {
			return;
		}
		if ("".equals(signal.arg(2))) {
			current.releaseAll();
		}
		else {
			retake(current, LogindClient.SERVICE + " appeared on " + bus());
		}
	}

	private void retake(InhibitorLocks current, String what) {
		try {
			current.takeAll();
		}
		catch (DBusCallException ex) {
			if (LogindClient.isAbsent(ex)) {
				// taken when logind owns its name again
				logger.debug(what + "; waiting for " + LogindClient.SERVICE + " to take the inhibitor locks again");
			}
			else {
				logger.warn(what + ", but could not take the logind inhibitor locks again: " + ex.getMessage());
			}
		}
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Late among the lifecycle beans: the locks are taken before the others start and
	 * held until they have stopped.
	 * @return a phase below the default
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	/**
	 * Release every lock, end the subscriptions and close the connection; waits for the
	 * connecting thread to end.
	 */
	@Override
	public void close() {
		DBusTemplate closing;
		InhibitorLocks held;
		Thread connecting;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.running = false;
			closing = this.template;
			held = this.locks;
			connecting = this.starter;
			for (AutoCloseable subscription : this.subscriptions) {
				closeQuietly(subscription);
			}
			this.subscriptions.clear();
		}
		if (held != null) {
			held.close();
		}
		if (closing != null) {
			closing.close();
		}
		this.outcome.complete("logind skipped: the application closed while connecting");
		if (connecting != null && connecting != Thread.currentThread()) {
			try {
				connecting.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void closeQuietly(AutoCloseable subscription) {
		try {
			subscription.close();
		}
		catch (Exception ex) {
			logger.debug("Could not end a logind signal subscription; closing the connection ends it", ex);
		}
	}

}
