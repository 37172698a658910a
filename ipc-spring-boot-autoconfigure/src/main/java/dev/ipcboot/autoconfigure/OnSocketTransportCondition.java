package dev.ipcboot.autoconfigure;

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
		try {
			// local and tcp run on the engine; udp and shm have machinery of their own
			return TransportEntries.first(Binder.get(environment),
					(name) -> !name.equals("SHM") && !name.equals("UDP"));
		}
		catch (BindException ex) {
			return "ipc (not bound: " + ex.getMessage() + ")";
		}
	}

}
