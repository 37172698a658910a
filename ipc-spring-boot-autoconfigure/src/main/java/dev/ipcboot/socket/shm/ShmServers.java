package dev.ipcboot.socket.shm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.ipcboot.listener.IpcChannelSource;

/**
 * Every configured {@link ShmServer}: channels for {@code @IpcListener}, started together
 * after the listeners are attached and stopped together when the context closes.
 */
public class ShmServers implements SmartLifecycle, IpcChannelSource {

	private final List<ShmServer> servers;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	/**
	 * Not a daemon, unlike the threads that receive: while the servers run it keeps the
	 * JVM alive, as the socket engine's event loops do for local and TCP servers. Without
	 * it an application whose only servers are these exits once {@code main} returns.
	 */
	private @Nullable Thread keepAlive;

	/**
	 * Create the lifecycle for some servers.
	 * @param servers the servers, started in this order
	 * @param shutdownTimeout how long stopping may take in all
	 */
	public ShmServers(List<ShmServer> servers, Duration shutdownTimeout) {
		this.servers = List.copyOf(servers);
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public Collection<ShmServer> channels() {
		return this.servers;
	}

	/**
	 * Find a server by name.
	 * @param name the name under {@code ipc.servers}
	 * @return the server, or {@code null}
	 */
	public @Nullable ShmServer get(String name) {
		return this.servers.stream().filter((server) -> server.name().equals(name)).findFirst().orElse(null);
	}

	/**
	 * Start every server; if one fails, the ones already started are stopped again.
	 */
	@Override
	public void start() {
		List<ShmServer> started = new ArrayList<>();
		try {
			for (ShmServer server : this.servers) {
				server.start();
				started.add(server);
			}
		}
		catch (RuntimeException ex) {
			started.forEach((server) -> server.stop(1000));
			throw ex;
		}
		if (this.keepAlive == null) {
			this.keepAlive = keepAlive("ipc-shm-keepalive");
		}
		this.running = true;
	}

	@Override
	public void stop() {
		long deadline = System.currentTimeMillis() + this.shutdownTimeout.toMillis();
		for (int i = this.servers.size() - 1; i >= 0; i--) {
			this.servers.get(i).stop(Math.max(1, deadline - System.currentTimeMillis()));
		}
		Thread thread = this.keepAlive;
		this.keepAlive = null;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.running = false;
	}

	private static Thread keepAlive(String name) {
		Thread thread = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				LockSupport.park();
			}
		}, name);
		thread.setDaemon(false);
		thread.start();
		return thread;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
