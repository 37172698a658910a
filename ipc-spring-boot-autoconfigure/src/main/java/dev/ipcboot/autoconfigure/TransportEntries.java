package dev.ipcboot.autoconfigure;

import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * The {@code ipc.servers} and {@code ipc.clients} entries by transport, for the
 * conditions that decide which transport machinery an application needs.
 */
final class TransportEntries {

	private TransportEntries() {
	}

	/**
	 * The first server or client entry whose transport's name matches, as a property
	 * prefix ({@code ipc.servers.orders}), or {@code null} when there is none.
	 * @param binder the binder of the environment
	 * @param transport a test of the transport's name ({@code LOCAL}, {@code TCP},
	 * {@code UDP}, {@code SHM})
	 * @return the prefix of the first matching entry, or {@code null}
	 */
	static @Nullable String first(Binder binder, Predicate<String> transport) {
		for (Map.Entry<String, SocketServerProperties.Server> entry : binder.bind("ipc", SocketServerProperties.class)
			.map(SocketServerProperties::getServers)
			.orElse(Map.of())
			.entrySet()) {
			if (transport.test(entry.getValue().getTransport().name())) {
				return "ipc.servers." + entry.getKey();
			}
		}
		for (Map.Entry<String, SocketClientProperties.Client> entry : binder.bind("ipc", SocketClientProperties.class)
			.map(SocketClientProperties::getClients)
			.orElse(Map.of())
			.entrySet()) {
			if (transport.test(entry.getValue().getTransport().name())) {
				return "ipc.clients." + entry.getKey();
			}
		}
		return null;
	}

}
