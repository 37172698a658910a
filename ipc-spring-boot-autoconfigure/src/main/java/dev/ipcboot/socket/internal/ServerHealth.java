package dev.ipcboot.socket.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * The {@link IpcResourceState} of a {@link SocketServer}. While the server accepts, the
 * state is read from its {@link ConnectionAcceptor}; otherwise it is what the last
 * lifecycle step left behind: why a start failed, that the server was stopped, or that it
 * was never started.
 */
final class ServerHealth {

	private final SocketServerSettings settings;

	private volatile @Nullable String failure;

	private volatile boolean stopped;

	ServerHealth(SocketServerSettings settings) {
		this.settings = settings;
	}

	void failed(String reason) {
		this.failure = reason;
	}

	void started() {
		this.failure = null;
		this.stopped = false;
	}

	void stopped() {
		this.stopped = true;
	}

	IpcResourceState state(@Nullable BoundServerSocket accepting, int openConnections) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (accepting != null) {
			details.put((this.settings.binding() instanceof ServerBinding.Local) ? "path" : "address",
					accepting.address());
			details.put("connections", openConnections);
			details.put("framing", this.settings.framing().value());
			if (!accepting.channel().isActive()) {
				return IpcResourceState.down("no longer accepting connections", details);
			}
			return IpcResourceState.up(details);
		}
		String failed = this.failure;
		if (failed != null) {
			return IpcResourceState.down(failed, details);
		}
		return this.stopped ? IpcResourceState.down("stopped", details) : IpcResourceState.unknown("not started");
	}

}
