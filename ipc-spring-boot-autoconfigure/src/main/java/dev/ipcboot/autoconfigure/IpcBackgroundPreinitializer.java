package dev.ipcboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Loads the native libraries of the configured facilities on a thread of its own
 * ({@code ipc-preinit}) while Boot parses the configuration classes, as Boot's own
 * {@code BackgroundPreinitializingApplicationListener} does for its libraries: JNA's
 * {@code jnidispatch} for shared memory, semaphores and processes, Netty's epoll
 * transport for sockets, dbus-java's connection classes for D-Bus. The beans that need
 * them then find them ready instead of loading them on the main thread. Nothing is
 * started for a facility that is not configured, and a library that fails to load is left
 * to the bean that needs it to report.
 */
class IpcBackgroundPreinitializer implements ApplicationListener<SpringApplicationEvent> {

	private static final Log logger = LogFactory.getLog(IpcBackgroundPreinitializer.class);

	private @Nullable Thread thread;

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			start(prepared.getEnvironment(), prepared.getSpringApplication().getClassLoader());
		}
		else if (event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent) {
			awaitEnd();
		}
	}

	private synchronized void start(Environment environment, ClassLoader classLoader) {
		if (this.thread != null || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
			return;
		}
		List<String> classes = classesToInitialize(environment);
		if (classes.isEmpty()) {
			return;
		}
		Thread preinit = new Thread(() -> initialize(classes, classLoader), "ipc-preinit");
		preinit.setDaemon(true);
		this.thread = preinit;
		preinit.start();
	}

	static List<String> classesToInitialize(Environment environment) {
		List<String> classes = new ArrayList<>();
		if (OnIpcConfiguredCondition.isConfigured(environment, "ipc.shared-memory")
				|| OnIpcConfiguredCondition.isConfigured(environment, "ipc.semaphores")
				|| OnIpcConfiguredCondition.isConfigured(environment, "ipc.processes")) {
			classes.add("com.sun.jna.Native");
		}
		if ((OnIpcConfiguredCondition.isConfigured(environment, "ipc.servers")
				|| OnIpcConfiguredCondition.isConfigured(environment, "ipc.clients"))
				&& OnSocketTransportCondition.firstSocketEntry(environment) != null) {
			// the socket engine; transport: shm and udp entries alone do not use it
			classes.add("io.netty.channel.epoll.Epoll");
			classes.add("io.netty.buffer.PooledByteBufAllocator");
		}
		if (OnIpcConfiguredCondition.isConfigured(environment, DBusConfiguration.PROPERTY)) {
			classes.add("org.freedesktop.dbus.connections.impl.DBusConnection");
		}
		return classes;
	}

	private static void initialize(List<String> classes, ClassLoader classLoader) {
		for (String name : classes) {
			if (!ClassUtils.isPresent(name, classLoader)) {
				continue;
			}
			try {
				Class.forName(name, true, classLoader);
			}
			catch (Throwable ex) {
				// the bean that needs the library reports the failure in its own words
				logger.debug("Could not initialize " + name + " in the background", ex);
			}
		}
	}

	private void awaitEnd() {
		Thread preinit;
		synchronized (this) {
			preinit = this.thread;
		}
		if (preinit != null) {
			try {
				preinit.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
