package dev.ipcboot.session.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.session.SessionEvent;
import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.SessionSleepEvent;

/**
 * The save phase, like Qt's {@code commitDataRequest}: delivers a shutdown or sleep event
 * to each of its listeners on a thread of its own ({@code ipc-session-shutdown-N},
 * {@code ipc-session-sleep-N}) and waits until all of them are done or the commit timeout
 * has passed, whichever comes first.
 * <p>
 * A listener that throws is logged and does not stop the others. A listener still running
 * at the timeout is named in a warning with where it is stuck; it is neither interrupted
 * nor killed (it may be halfway through writing a file), the caller just stops waiting
 * for it. The threads are daemon threads, so a straggler never keeps the JVM alive.
 * <p>
 * The listeners are those of the application context: {@code ApplicationListener} beans
 * and {@code @EventListener} methods. The event is delivered here instead of through
 * {@code ApplicationContext.publishEvent}, so it reaches each listener exactly once and
 * does not propagate to a parent context.
 */
public final class SavePhase {

	private static final Log logger = LogFactory.getLog(SavePhase.class);

	private final ConfigurableApplicationContext context;

	private final Duration commitTimeout;

	private final AtomicInteger threadCount = new AtomicInteger();

	/**
	 * Create a save phase.
	 * @param context the context whose listeners take part
	 * @param commitTimeout how long {@link #run} waits for the listeners
	 */
	public SavePhase(ConfigurableApplicationContext context, Duration commitTimeout) {
		this.context = context;
		this.commitTimeout = commitTimeout;
	}

	/**
	 * The time the listeners get.
	 * @return the commit timeout
	 */
	public Duration commitTimeout() {
		return this.commitTimeout;
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	/**
	 * Deliver the event to its listeners and wait for them up to the commit timeout.
	 * Never throws because of a listener.
	 * @param event a {@link SessionShutdownEvent} or a {@link SessionSleepEvent}
	 * @return {@code true} if every listener finished in time, {@code false} if some were
	 * still running at the timeout (or the waiting thread was interrupted)
	 */
	public boolean run(SessionEvent event) {
		String kind = (event instanceof SessionSleepEvent) ? "sleep" : "shutdown";
		List<Participant> participants = new ArrayList<>();
		SimpleApplicationEventMulticaster multicaster = listenersOf(this.context);
		multicaster.setErrorHandler((ex) -> logger.error("A listener of " + event + " failed; the others go on", ex));
		multicaster.setTaskExecutor((task) -> participants.add(start(kind, task)));
		multicaster.multicastEvent(event);
		if (logger.isDebugEnabled()) {
			// Boot's own catch-all listeners count too, so this is no news at INFO
			logger.debug("Giving " + participants.size() + " listener(s) of " + event + " up to "
					+ describe(this.commitTimeout) + " to save their work");
		}
		return awaitAll(event, participants);
	}

	private Participant start(String kind, Runnable task) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				// the multicaster's error handler logs a listener's failure, so run()
				// does not throw
				task.run();
			}
			finally {
				done.complete(null);
			}
		}, "ipc-session-" + kind + "-" + this.threadCount.incrementAndGet());
		thread.setDaemon(true);
		thread.start();
		return new Participant(thread, done);
	}

	private boolean awaitAll(SessionEvent event, List<Participant> participants) {
		CompletableFuture<?>[] all = participants.stream().map(Participant::done).toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(all).get(this.commitTimeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Listener tasks complete normally", ex);
		}
		catch (TimeoutException ex) {
			warnAboutStragglers(event, participants);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Stopped waiting for the listeners of " + event + ": the waiting thread was interrupted");
			return false;
		}
	}

	private void warnAboutStragglers(SessionEvent event, List<Participant> participants) {
		String stragglers = participants.stream()
			.filter((participant) -> !participant.done().isDone())
			.map(Participant::describe)
			.collect(Collectors.joining("; "));
		logger.warn("Carrying on after ipc.session.commit-timeout (" + describe(this.commitTimeout)
				+ ") although listeners of " + event + " are still running: " + stragglers
				+ ". They go on in the background; make them faster or raise ipc.session.commit-timeout");
	}

	static String describe(Duration duration) {
		boolean wholeSeconds = duration.toMillis() % 1000 == 0 && !duration.isZero();
		return DurationStyle.SIMPLE.print(duration, wholeSeconds ? ChronoUnit.SECONDS : ChronoUnit.MILLIS);
	}

	/**
	 * Whether the application listens for this kind of event: some listener of the
	 * context takes it, other than those that take any event or any {@code IpcEvent}
	 * (Boot's own catch-all listeners, a logger of every event). Asked when the lifecycle
	 * beans start, once the listener methods are known.
	 * @param sample an event of the kind
	 * @return whether a listener asked for it
	 */
	boolean hasListener(SessionEvent sample) {
		Listeners listeners = listenersOf(this.context);
		Collection<ApplicationListener<?>> catchAll = new HashSet<>(listeners.of(new AnyEvent(this)));
		catchAll.addAll(listeners.of(new AnyIpcEvent(this)));
		return listeners.of(sample).stream().anyMatch((listener) -> !catchAll.contains(listener));
	}

	private static Listeners listenersOf(ConfigurableApplicationContext context) {
		Listeners multicaster = new Listeners(context.getBeanFactory());
		if (context instanceof AbstractApplicationContext abstractContext) {
			for (ApplicationListener<?> listener : abstractContext.getApplicationListeners()) {
				multicaster.addApplicationListener(listener);
			}
		}
		for (String name : context.getBeanFactory().getBeanNamesForType(ApplicationListener.class, true, false)) {
			multicaster.addApplicationListenerBean(name);
		}
		return multicaster;
	}

	/** The context's listeners, and which of them an event reaches. */
	private static final class Listeners extends SimpleApplicationEventMulticaster {

		Listeners(BeanFactory beanFactory) {
			super(beanFactory);
		}

		Collection<ApplicationListener<?>> of(ApplicationEvent event) {
			return getApplicationListeners(event, ResolvableType.forInstance(event));
		}

	}

	/** An event no listener asks for by its type. */
	private static final class AnyEvent extends ApplicationEvent {

		AnyEvent(Object source) {
			super(source);
		}

	}

	/** An {@code IpcEvent} no listener asks for by its type. */
	private static final class AnyIpcEvent extends IpcEvent {

		AnyIpcEvent(Object source) {
			super(source, SessionEvent.SESSION);
		}

	}

	private record Participant(Thread thread, CompletableFuture<Void> done) {

		String describe() {
			StackTraceElement[] stack = this.thread.getStackTrace();
			String where = Arrays.stream(stack)
				.filter((frame) -> !frame.getClassName().startsWith("java.") && !frame.getClassName().startsWith("jdk.")
						&& !frame.getClassName().startsWith("org.springframework."))
				.findFirst()
				.map(StackTraceElement::toString)
				.orElse((stack.length > 0) ? stack[0].toString() : "unknown");
			return this.thread.getName() + " at " + where;
		}

	}

}
