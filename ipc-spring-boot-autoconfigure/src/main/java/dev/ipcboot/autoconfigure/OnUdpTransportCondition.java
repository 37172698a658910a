package dev.ipcboot.autoconfigure;

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
		String entry = TransportEntries.first(Binder.get(context.getEnvironment()), "UDP"::equals);
		return (entry != null) ? ConditionOutcome.match(entry + ".transport is udp")
				: ConditionOutcome.noMatch("no ipc.servers or ipc.clients entry has transport: udp");
	}

}
