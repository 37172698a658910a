package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when an {@code ipc.servers} or {@code ipc.clients} entry is a socket (its
 * {@code transport} is {@code local}, the default, or {@code tcp}): what needs the Netty
 * socket engine. With only {@code transport: shm} or {@code udp} entries the engine is
 * not created.
 */
class OnSocketTransportCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String entry = firstSocketEntry(context.getEnvironment());
		return (entry != null) ? ConditionOutcome.match(entry + " is a socket")
				: ConditionOutcome.noMatch("every ipc.servers and ipc.clients entry has transport: shm or udp");
	}

	/**
	 * The first entry that is a socket, as a property prefix, or {@code null} when there
	 * is none. Configuration that does not bind counts as a socket entry, so that the
	 * binding of the servers or clients reports it naming the property.
	 */
	static @Nullable String firstSocketEntry(Environment environment) {
		Binder binder = Binder.get(environment);
		try {
			for (Map.Entry<String, SocketServerProperties.Server> entry : binder
				.bind("ipc", SocketServerProperties.class)
				.map(SocketServerProperties::getServers)
				.orElse(Map.of())
				.entrySet()) {
				if (entry.getValue().getTransport() != SocketServerProperties.Transport.SHM
						&& entry.getValue().getTransport() != SocketServerProperties.Transport.UDP) {
					return "ipc.servers." + entry.getKey();
				}
			}
			for (Map.Entry<String, SocketClientProperties.Client> entry : binder
				.bind("ipc", SocketClientProperties.class)
				.map(SocketClientProperties::getClients)
				.orElse(Map.of())
				.entrySet()) {
				if (entry.getValue().getTransport() != SocketClientProperties.Transport.SHM
						&& entry.getValue().getTransport() != SocketClientProperties.Transport.UDP) {
					return "ipc.clients." + entry.getKey();
				}
			}
		}
		catch (BindException ex) {
			return "ipc (not bound: " + ex.getMessage() + ")";
		}
		return null;
	}

}
