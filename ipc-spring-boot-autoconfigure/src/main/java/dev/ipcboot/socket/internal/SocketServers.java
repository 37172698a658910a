package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import dev.ipcboot.listener.IpcChannelSource;

/**
 * Every configured {@link SocketServer}: the socket facility's channels for
 * {@code @IpcListener}, started together after the listeners are attached and stopped
 * together when the context closes.
 */
public class SocketServers implements SmartLifecycle, IpcChannelSource {

	private final List<SocketServer> servers;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	/**
	 * Create the lifecycle for some servers.
	 * @param servers the servers, started in this order
	 */
	public SocketServers(List<SocketServer> servers) {
		this(servers, Duration.ofSeconds(30));
	}

	/**
	 * Create the lifecycle for some servers.
	 * @param servers the servers, started in this order
	 * @param shutdownTimeout how long stopping may take in all (Boot's
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}): the listener calls already
	 * read get that long to be answered
	 */
	public SocketServers(List<SocketServer> servers, Duration shutdownTimeout) {
		this.servers = List.copyOf(servers);
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public Collection<SocketServer> channels() {
		return this.servers;
	}

	/**
	 * Find a server by name.
	 * @param name the name under {@code ipc.servers}
	 * @return the server, or {@code null}
	 */
	public @Nullable SocketServer get(String name) {
		return this.servers.stream().filter((server) -> server.name().equals(name)).findFirst().orElse(null);
	}

	/**
	 * Start every server; if one fails, the ones already started are stopped again.
	 * @throws RuntimeException the failure of the server that could not start
	 */
	@Override
	public void start() {
		List<SocketServer> started = new ArrayList<>();
		try {
			for (SocketServer server : this.servers) {
				server.start();
				started.add(server);
			}
		}
		catch (RuntimeException ex) {
			started.forEach(SocketServer::stop);
			throw ex;
		}
		this.running = true;
	}

	@Override
	public void stop() {
		// a little under Boot's limit, so that the drain's outcome is logged before Boot
		// gives up on the phase
		long margin = Math.min(TimeUnit.SECONDS.toNanos(1), this.shutdownTimeout.toNanos() / 10);
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos() - margin;
		for (int i = this.servers.size() - 1; i >= 0; i--) {
			this.servers.get(i).beginStop();
		}
		for (int i = this.servers.size() - 1; i >= 0; i--) {
			this.servers.get(i).awaitStop(deadline);
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
