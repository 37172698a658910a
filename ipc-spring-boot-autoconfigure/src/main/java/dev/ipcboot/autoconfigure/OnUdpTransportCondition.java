package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when an {@code ipc.servers} or {@code ipc.clients} entry has
 * {@code transport: udp}.
 */
class OnUdpTransportCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		for (Map.Entry<String, SocketServerProperties.Server> entry : binder.bind("ipc", SocketServerProperties.class)
			.map(SocketServerProperties::getServers)
			.orElse(Map.of())
			.entrySet()) {
			if (entry.getValue().getTransport() == SocketServerProperties.Transport.UDP) {
				return ConditionOutcome.match("ipc.servers." + entry.getKey() + ".transport is udp");
			}
		}
		for (Map.Entry<String, SocketClientProperties.Client> entry : binder.bind("ipc", SocketClientProperties.class)
			.map(SocketClientProperties::getClients)
			.orElse(Map.of())
			.entrySet()) {
			if (entry.getValue().getTransport() == SocketClientProperties.Transport.UDP) {
				return ConditionOutcome.match("ipc.clients." + entry.getKey() + ".transport is udp");
			}
		}
		return ConditionOutcome.noMatch("no ipc.servers or ipc.clients entry has transport: udp");
	}

}
