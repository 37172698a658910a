package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcChannelSource;

/**
 * Every configured server of one transport (UDP, shared memory): channels for
 * {@code @IpcListener}, started together after the listeners are attached and stopped
 * together when the context closes.
 *
 * @param <S> the transport's server type
 */
public abstract class ChannelServers<S extends ChannelServers.Server> implements SmartLifecycle, IpcChannelSource {

	/**
	 * What the lifecycle needs of a server.
	 */
	public interface Server extends IpcChannel {

		/**
		 * Start receiving.
		 */
		void start();

		/**
		 * Stop receiving and release everything.
		 * @param timeoutMillis how long stopping may take
		 */
		void stop(long timeoutMillis);

	}

	private final List<S> servers;

	private final String keepAliveName;

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
	 * @param keepAliveName the name of the thread that keeps the JVM alive while they run
	 */
	protected ChannelServers(List<S> servers, Duration shutdownTimeout, String keepAliveName) {
		this.servers = List.copyOf(servers);
		this.shutdownTimeout = shutdownTimeout;
		this.keepAliveName = keepAliveName;
	}

	@Override
	public Collection<S> channels() {
		return this.servers;
	}

	/**
	 * Find a server by name.
	 * @param name the name under {@code ipc.servers}
	 * @return the server, or {@code null}
	 */
	public @Nullable S get(String name) {
		return this.servers.stream().filter((server) -> server.name().equals(name)).findFirst().orElse(null);
	}

	/**
	 * Start every server; if one fails, the ones already started are stopped again.
	 */
	@Override
	public void start() {
		List<S> started = new ArrayList<>();
		try {
			for (S server : this.servers) {
				server.start();
				started.add(server);
			}
		}
		catch (RuntimeException ex) {
			started.forEach((server) -> server.stop(1000));
			throw ex;
		}
		if (this.keepAlive == null) {
			this.keepAlive = keepAlive(this.keepAliveName);
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
