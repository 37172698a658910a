package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when an {@code ipc.servers} or {@code ipc.clients} entry has
 * {@code transport: shm}.
 */
class OnShmTransportCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String entry = TransportEntries.first(Binder.get(context.getEnvironment()), "SHM"::equals);
		return (entry != null) ? ConditionOutcome.match(entry + ".transport is shm")
				: ConditionOutcome.noMatch("no ipc.servers or ipc.clients entry has transport: shm");
	}

}
