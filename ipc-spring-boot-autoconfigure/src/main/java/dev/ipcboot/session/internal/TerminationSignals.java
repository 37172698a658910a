package dev.ipcboot.session.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import dev.ipcboot.session.SessionShutdownEvent;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into {@link SessionShutdownEvent} with reason
 * {@link SessionShutdownEvent.Reason#SIGNAL}, published before the context starts
 * closing.
 * <p>
 * Why a signal handler and not a shutdown hook: the JVM runs shutdown hooks concurrently,
 * so a hook of ours would race with Spring Boot's {@code SpringApplicationShutdownHook},
 * which closes the context; and Boot's {@code SpringApplicationShutdownHandlers} actions
 * run only after every context has closed. A {@code sun.misc.Signal} handler runs before
 * any hook: it runs the save phase on the JVM's signal thread while the whole application
 * still works, then hands the signal to the handler that was there before (the JVM's own,
 * which exits with 128 + the signal number and so starts the shutdown hooks). A second
 * signal during the save phase goes straight to the previous handler. A signal the JVM
 * ignores (started under {@code nohup}, or with {@code -Xrs}) is left alone.
 * <p>
 * The handlers are installed when the context has started, and only if the application
 * has a listener of {@link SessionShutdownEvent} (or of every session event): without one
 * there is nothing to run before the JVM's own handling, and the JVM's handlers stay. The
 * previous ones are put back when the context stops.
 */
public final class TerminationSignals implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TerminationSignals.class);

	private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");

	private final SessionEventPublisher events;

	private final List<Installed> installed = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Create the handlers; nothing is installed before {@link #start()}.
	 * @param events publishes the shutdown event
	 */
	public TerminationSignals(SessionEventPublisher events) {
		this.events = events;
	}

	/**
	 * Install the handlers, if a listener of {@link SessionShutdownEvent} exists. A
	 * signal the JVM does not let us handle is logged and skipped.
	 */
	@Override
	public synchronized void start() {
		this.running = true;
		if (!this.events.listensForShutdown()) {
			logger.debug("No listener of SessionShutdownEvent: SIGTERM, SIGINT and SIGHUP keep the JVM's handlers");
			return;
		}
		for (String name : SIGNALS) {
			Signal signal = new Signal(name);
			Handler handler = new Handler(name);
			try {
				SignalHandler previous = Signal.handle(signal, handler);
				if (previous == SignalHandler.SIG_IGN || previous == SignalHandler.SIG_DFL) {
					// ignored by the process, or left to the OS by -Xrs: not ours to
					// change
					Signal.handle(signal, previous);
					continue;
				}
				handler.previous = previous;
				this.installed.add(new Installed(signal, handler));
			}
			catch (IllegalArgumentException ex) {
				logger.info("SIG" + name + " does not publish SessionShutdownEvent: the JVM reserves it ("
						+ ex.getMessage() + ")");
			}
		}
	}

	/**
	 * Put the previous handlers back.
	 */
	@Override
	public synchronized void stop() {
		for (Installed entry : this.installed) {
			entry.handler.active = false;
			SignalHandler current = Signal.handle(entry.signal, entry.handler.previous);
			if (current != entry.handler) {
				// someone installed a handler after ours; keep theirs, ours now only
				// delegates
				Signal.handle(entry.signal, current);
			}
		}
		this.installed.clear();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Start before other lifecycle beans and stop after them, so that a signal during
	 * start-up or shutdown of the others is still seen.
	 * @return the lowest phase
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

	/**
	 * The names of the signals that publish the event, without {@code SIG}.
	 * @return for example {@code [TERM, INT, HUP]}
	 */
	public synchronized List<String> handledSignals() {
		return this.installed.stream().map((entry) -> entry.handler.name).toList();
	}

	private final class Handler implements SignalHandler {

		private final String name;

		private volatile SignalHandler previous = SignalHandler.SIG_DFL;

		private volatile boolean active = true;

		Handler(String name) {
			this.name = name;
		}

		@Override
		public void handle(Signal signal) {
			try {
				if (this.active) {
					logger.info(
							"SIG" + this.name + " received: publishing SessionShutdownEvent before the JVM shuts down");
					TerminationSignals.this.events.shutdown(SessionShutdownEvent.Reason.SIGNAL, this.name);
				}
			}
			finally {
				this.previous.handle(signal);
			}
		}

	}

	private record Installed(Signal signal, Handler handler) {
	}

}
